import { lazy, Suspense, useEffect, useRef } from 'react';
import { runningJobs } from '../state/jobs-slice';
import type { Screen } from '../state/app-slice';
import { StoreProvider, useApp, useAppShallow, useAppStore, type AppStore } from '../state/store';
import { ProgressBar, progressText } from '../ui/components';
import { countOf, formatTime } from '../ui/format';
import { landLostFocus } from '../ui/focus-landing';
import { StartScreen } from '../features/start/start-screen';
import { ImportScreen } from '../features/import/import-screen';
import { FindingsScreen } from '../features/findings/findings-screen';
import { TimelineScreen } from '../features/timeline/timeline-screen';
import { ExplorerScreen } from '../features/explorer/explorer-screen';
import { SettingsScreen } from '../features/settings/settings-screen';
import { DraftsIndicator, useWarnBeforeUnload } from '../features/annotations/drafts-indicator';
import { useCaseFileWatch } from './use-case-file-watch';

// MapLibre is large; it loads when the map is first shown.
const MapScreen = lazy(() => import('../features/map/map-screen').then((m) => ({ default: m.MapScreen })));

const NAV: { screen: Screen; label: string; needsCase: boolean }[] = [
  { screen: 'start', label: 'Cases', needsCase: false },
  { screen: 'import', label: 'Import', needsCase: true },
  { screen: 'findings', label: 'Findings', needsCase: true },
  { screen: 'timeline', label: 'Timeline', needsCase: true },
  { screen: 'explorer', label: 'Explorer', needsCase: true },
  { screen: 'map', label: 'Map', needsCase: true },
  { screen: 'settings', label: 'Settings', needsCase: true },
];

/** The app over a store; whoever created the store disposes of it. */
export function App({ store }: { store: AppStore }) {
  return (
    <StoreProvider store={store}>
      <Shell />
    </StoreProvider>
  );
}

function Shell() {
  const screen = useApp((s) => s.screen);
  const hasCase = useApp((s) => s.caseInfo !== null);
  const findingId = useApp((s) => s.selection.findingId);
  const findingsLoadedAt = useApp((s) => s.findingsLoadedAt);
  const store = useAppStore();
  const mainRef = useRef<HTMLElement>(null);
  useWarnBeforeUnload();
  useCaseFileWatch();

  useEffect(() => {
    // Alt+1…7 switch screens from anywhere.
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey) return;
      const index = Number(e.key) - 1;
      const item = NAV[index];
      if (!item || (item.needsCase && !store.getState().caseInfo)) return;
      e.preventDefault();
      // Asked for the screen already shown, with the focus lost: it takes the focus as if it had just been opened.
      if (store.getState().screen === item.screen) landLostFocus(mainRef.current);
      else store.getState().navigate(item.screen);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store]);

  // Another screen, or another chain in the timeline, replaced what held the focus (the finding opened with Enter); or
  // the findings arrived after their screen was shown (the app opens on them), with the focus parked on the screen.
  useEffect(() => landLostFocus(mainRef.current), [screen, findingId, findingsLoadedAt]);

  return (
    <div className="shell" data-screen={screen}>
      <header className="topbar">
        <div className="brand"><span className="brand-mark" aria-hidden="true" />Crossline</div>
        <CaseChip />
        <div className="topbar-spacer" />
        <DraftsIndicator />
        <JobBar />
      </header>
      <Nav hasCase={hasCase} />
      <main className="main" ref={mainRef} tabIndex={-1} aria-label={NAV.find((n) => n.screen === screen)?.label}>
        {screen === 'start' && <StartScreen />}
        {screen === 'import' && <ImportScreen />}
        {screen === 'findings' && <FindingsScreen />}
        {screen === 'timeline' && <TimelineScreen />}
        {screen === 'explorer' && <ExplorerScreen />}
        {screen === 'map' && (
          <Suspense fallback={<div className="empty">Loading the map…</div>}>
            <MapScreen />
          </Suspense>
        )}
        {screen === 'settings' && <SettingsScreen />}
      </main>
      <Notices />
    </div>
  );
}

function Nav({ hasCase }: { hasCase: boolean }) {
  const screen = useApp((s) => s.screen);
  const navigate = useApp((s) => s.navigate);
  const findingCount = useApp((s) => s.findings.length);
  const version = useApp((s) => s.about?.version);
  return (
    <nav className="nav" aria-label="Screens">
      {NAV.map((item, i) => (
        <button
          key={item.screen}
          type="button"
          aria-current={screen === item.screen ? 'page' : undefined}
          disabled={item.needsCase && !hasCase}
          onClick={() => navigate(item.screen)}
          title={`${item.label} (Alt+${i + 1})`}
          data-nav={item.screen}
        >
          <span>{item.label}</span>
          {item.screen === 'findings' && findingCount > 0 ? <span className="nav-count">{findingCount}</span> : <span className="kbd">Alt+{i + 1}</span>}
        </button>
      ))}
      <div className="nav-footer">
        <div>MITRE ATT&amp;CK AN1348</div>
        {version && <div>Crossline {version}</div>}
      </div>
    </nav>
  );
}

function CaseChip() {
  const info = useApp((s) => s.caseInfo);
  const gone = useApp((s) => (s.caseGone && s.caseGone.caseInfo === s.caseInfo ? s.caseGone.text : null));
  if (gone !== null) return <CaseGoneChip text={gone} />;
  if (!info) return <div className="case-chip"><span>No case open</span></div>;
  return (
    <div className="case-chip" data-testid="case-chip" title={info.file}>
      <strong>{info.name}</strong>
      <span>
        {countOf(info.events, 'event')}
        {info.firstEventMs !== null && ` · ${formatTime(info.firstEventMs, { seconds: false, zone: false })} → ${formatTime(info.lastEventMs, { seconds: false })}`}
      </span>
    </div>
  );
}

function JobBar() {
  const jobs = useAppShallow((s) => runningJobs(s.jobs));
  const cancelJob = useApp((s) => s.cancelJob);
  const job = jobs[0];
  if (!job) return null;
  const label = job.kind === 'import' ? 'Importing' : 'Correlating';
  return (
    <div className="jobbar" data-testid="job-bar" data-job-kind={job.kind}>
      <span>{label}</span>
      <ProgressBar fraction={job.progress?.fraction} label={`${label} progress`} />
      <span className="muted">{progressText(job.progress)}</span>
      {job.kind === 'import' && <button type="button" className="btn small" onClick={() => void cancelJob(job.jobId)}>Cancel</button>}
    </div>
  );
}

/**
 * The open case's file is gone from disk: a standing warning in place of the case chip (every later save would fail
 * too), on one line in the top bar so it covers nothing; the whole message on hover and to screen readers.
 */
function CaseGoneChip({ text }: { text: string }) {
  return (
    <div className="case-chip case-gone" role="alert" data-testid="case-gone" title={text}>
      <strong>Case file gone</strong>
      <span>{text}</span>
    </div>
  );
}

function Notices() {
  const notices = useApp((s) => s.notices);
  const dismiss = useApp((s) => s.dismissNotice);
  if (!notices.length) return null;
  return (
    <div className="notices">
      {notices.map((n) => (
        <div key={n.id} className={`notice ${n.kind}`} role={n.kind === 'error' ? 'alert' : 'status'}>
          <p>{n.text}</p>
          <button type="button" className="btn small ghost" onClick={() => dismiss(n.id)} aria-label="Dismiss">×</button>
        </div>
      ))}
    </div>
  );
}
