import type { KeyboardEvent } from 'react';
import type { Finding, Severity } from '../../../shared/domain/correlation';
import { runningJobs } from '../../state/jobs-slice';
import { findingAnnotation, findingTarget, passesVerdictFilter } from '../../state/annotations-slice';
import { draftOf } from '../../state/drafts-slice';
import { useApp } from '../../state/store';
import { ReportPanel } from '../annotations/report-panel';
import { BookmarksPanel } from '../annotations/bookmarks-panel';
import { VerdictFilterSelect, VerdictTag } from '../../ui/annotation-editor';
import type { Annotation } from '../../../shared/domain/annotations';
import { useEffect } from 'react';
import { ConditionChecklist, Empty, SeverityBadge } from '../../ui/components';
import { asnLabel, cloudName, countOf, formatDuration, formatTime, titleCase } from '../../ui/format';
import { LogText, logText, placeText } from '../../ui/log-text';
import { hasVendorList } from '../../../shared/domain/chain-words';
import { NOT_ANALYSED_TITLE, notAnalysedSentence } from '../../../shared/domain/analysis-words';
import { AnalysisNotice } from './analysis-notice';
import { CoverageWarnings } from './coverage-warnings';
import { focusLanding } from '../../ui/focus-landing';

export function FindingsScreen() {
  const findings = useApp((s) => s.findings);
  const coverage = useApp((s) => s.coverage);
  const loading = useApp((s) => s.findingsLoading);
  const error = useApp((s) => s.findingsError);
  const loadedAt = useApp((s) => s.findingsLoadedAt);
  const caseInfo = useApp((s) => s.caseInfo);
  const correlating = useApp((s) => runningJobs(s.jobs).some((j) => j.kind === 'correlate'));
  const importing = useApp((s) => runningJobs(s.jobs).some((j) => j.kind === 'import'));
  const runCorrelation = useApp((s) => s.runCorrelation);
  const openFinding = useApp((s) => s.openFinding);
  const annotations = useApp((s) => s.annotations);
  const drafts = useApp((s) => s.annotationDrafts);
  const verdictFilter = useApp((s) => s.verdictFilter);
  const setVerdictFilter = useApp((s) => s.setVerdictFilter);
  const loadAnnotations = useApp((s) => s.loadAnnotations);
  const navigate = useApp((s) => s.navigate);
  useEffect(() => {
    if (caseInfo) void loadAnnotations();
  }, [caseInfo, loadedAt, loadAnnotations]);
  // No correlation run yet: an empty list would read as "nothing found".
  const notAnalysed = !!caseInfo && caseInfo.events > 0 && caseInfo.lastCorrelationMs === null;
  const shown = findings.filter((f) => passesVerdictFilter(verdictFilter, findingAnnotation(annotations, f)));
  // Back from its timeline (Alt+3), the focus lands on the finding that was open, else on the first.
  const openedId = useApp((s) => s.selection.findingId);
  const landingId = (shown.find((f) => f.id === openedId) ?? shown[0])?.id;

  const counts = findings.reduce<Record<Severity, number>>((acc, f) => ({ ...acc, [f.severity]: acc[f.severity] + 1 }), { critical: 0, high: 0, medium: 0, low: 0 });

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const keys: Record<string, number> = { ArrowDown: 1, j: 1, ArrowUp: -1, k: -1 };
    const delta = keys[e.key];
    if (!delta) return;
    const buttons = Array.from(e.currentTarget.querySelectorAll<HTMLButtonElement>('button.finding'));
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    const next = buttons[at < 0 ? 0 : Math.max(0, Math.min(buttons.length - 1, at + delta))];
    if (next) {
      e.preventDefault();
      next.focus();
    }
  };

  return (
    <div className="screen">
      <div className="screen-header">
        <h1>Findings</h1>
        <div className="sev-summary" aria-label="Findings by severity">
          {(['critical', 'high', 'medium', 'low'] as Severity[]).map((s) => counts[s] > 0 && (
            <span key={s} className={`badge sev-${s}`}>{counts[s]} {s}</span>
          ))}
        </div>
        <span className="sub">
          {caseInfo?.lastCorrelationMs ? `correlated ${formatTime(caseInfo.lastCorrelationMs)}` : notAnalysed ? 'not analysed yet' : ''}
        </span>
        <div className="grow" />
        <VerdictFilterSelect value={verdictFilter} onChange={setVerdictFilter} testId="verdict-filter" />
        <button type="button" className="btn" disabled={correlating || importing} onClick={() => void runCorrelation()}>
          {correlating ? 'Correlating…' : notAnalysed ? 'Run correlation' : 'Re-run correlation'}
        </button>
      </div>
      {error && <p className="error-text">{error}</p>}
      {caseInfo && !importing && <AnalysisNotice info={caseInfo} busy={correlating} onImport={() => navigate('import')} onCorrelate={() => void runCorrelation()} />}
      <CoverageWarnings warnings={coverage} />
      {findings.length === 0 ? (
        importing || correlating || loading ? (
          <Empty title={importing ? 'Importing…' : correlating ? 'Correlating…' : 'Loading…'}>Findings appear when the correlation finishes.</Empty>
        ) : caseInfo && caseInfo.events === 0 ? (
          <Empty title="No events yet">Import evidence into this case; its findings appear when the correlation has run.</Empty>
        ) : notAnalysed ? (
          <Empty title={NOT_ANALYSED_TITLE}>
            <p>{notAnalysedSentence(caseInfo.events)}</p>
            <button type="button" className="btn primary" onClick={() => void runCorrelation()} data-testid="run-analysis">Run the analysis</button>
          </Empty>
        ) : (
          <Empty title="No AN1348 chains">
            No third-party entry into the organisation (role assumption, cross-tenant sign-in, foreign token, service account
            impersonation or federation) was followed by privileged calls or came from an unfamiliar network.
          </Empty>
        )
      ) : shown.length === 0 ? (
        <Empty title={verdictFilter === 'none' ? 'Every finding has a verdict' : `No findings with verdict “${verdictFilter}”`}>
          {countOf(findings.length, 'finding')} hidden by the verdict filter above.
        </Empty>
      ) : (
        <div className="findings" role="list" aria-label="Findings, most severe first" onKeyDown={onKeyDown} data-testid="findings">
          {shown.map((f) => <FindingRow key={f.id} finding={f} annotation={findingAnnotation(annotations, f)} draft={draftOf(drafts, findingTarget(f)) !== null} landing={f.id === landingId} onOpen={() => openFinding(f.id)} />)}
        </div>
      )}
      {caseInfo && <BookmarksPanel />}
      {caseInfo && <ReportPanel />}
    </div>
  );
}

function FindingRow({ finding: f, annotation, draft, landing, onOpen }: { finding: Finding; annotation: Annotation | null; draft: boolean; landing: boolean; onOpen(): void }) {
  const origin = f.familiarity.find((x) => x.ip === f.entry.sourceIp) ?? f.familiarity[0];
  const lastOffset = f.privileged.reduce((m, p) => Math.max(m, p.offsetMs), 0);
  const categories = [...new Set(f.privileged.map((p) => p.category))];
  return (
    <div role="listitem">
      <button type="button" className={`finding ${f.severity}`} onClick={onOpen} data-testid="finding" data-finding-id={f.id} data-severity={f.severity} data-source-account={f.entry.sourceAccount ?? ''} {...focusLanding(landing)}>
        <div className="sev-col">
          <SeverityBadge severity={f.severity} />
          <span className="score">{f.score}<small>/100</small></span>
        </div>
        <div className="finding-main">
          <div className="finding-title">
            {/* A case may mix clouds, and a principal's name rarely says which one it signed in to. */}
            <span className="tag cloud" data-testid="finding-cloud" data-provider={f.provider} title="The cloud this chain happened in">{cloudName(f.provider)}</span>
            <span data-testid="finding-principal"><LogText text={f.entry.principal ?? f.entry.sourceAccount} fallback="unknown principal" /></span>
            <span className="muted">→</span>
            <span data-testid="finding-target"><LogText text={f.entry.targetAccount} fallback="?" /></span>
            {f.entry.vendor ? <span className="tag vendor" data-testid="finding-vendor"><LogText text={f.entry.vendor} /></span> : hasVendorList(f.provider) ? <span className="tag" data-testid="finding-unknown-party" title="Not in the list of known vendors' AWS accounts">unknown party</span> : null}
            <span className="tag">{titleCase(f.entry.kind)}</span>
            <VerdictTag verdict={annotation?.verdict} />
            {annotation?.bookmarked && <span className="tag" data-testid="finding-bookmark">bookmarked</span>}
            {draft && <span className="tag draft" data-testid="finding-draft">unsaved draft</span>}
          </div>
          <div className="facts">
            <span data-testid="finding-entry"><b>Entry</b><LogText text={f.entry.action} /> at {formatTime(f.entry.timeMs)}</span>
            <span data-testid="finding-accounts"><b>Accounts</b><LogText text={f.entry.sourceAccount} /> → <LogText text={f.entry.targetAccount} /></span>
            <span><b>From</b><LogText text={f.entry.sourceIp} />{origin ? ` · ${placeText(origin.city, origin.country)} · ${logText(asnLabel(origin.asn, origin.asOrg))}` : ''}</span>
          </div>
          <div className="facts">
            <span><b>Privileged</b>{f.privileged.length ? `${f.privileged.length} call${f.privileged.length === 1 ? '' : 's'} within ${formatDuration(lastOffset)}` : 'none'}</span>
            {categories.length > 0 && <span><b>Categories</b>{categories.map(titleCase).join(', ')}</span>}
            <span><b>Events</b>{f.eventIds.length}</span>
            {f.sourceIps.length > 1 && <span><b>Sources</b>{f.sourceIps.length} IPs</span>}
          </div>
        </div>
        <ConditionChecklist finding={f} />
      </button>
    </div>
  );
}
