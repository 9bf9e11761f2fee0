import { useRef, useState, type DragEvent } from 'react';
import { logText } from '../../ui/log-text';
import { runningJobs } from '../../state/jobs-slice';
import { useApp, useAppShallow, useAppStore } from '../../state/store';
import { Empty, ProgressBar, Stat, progressText } from '../../ui/components';
import { formatBytes, formatDuration, formatNumber } from '../../ui/format';
import { ImportHistoryPanel } from './import-history';
import { missingPathsIn, stagedPathProblem } from './staged-path-checks';
import { problemsOfRun } from './summary-problems';

export function ImportScreen() {
  const caseInfo = useApp((s) => s.caseInfo);
  if (!caseInfo) return <Empty title="No case open">Create or open a case first.</Empty>;
  return (
    <div className="screen">
      <div className="settings">
        <div className="screen-header">
          <h1>Import evidence</h1>
          <span className="sub">into {caseInfo.name}</span>
        </div>
        <ImportProgress />
        <ImportSummary />
        <PathPicker />
        <ImportHistoryPanel />
        <SupportedFormats />
      </div>
    </div>
  );
}

function PathPicker() {
  const mode = useApp((s) => s.clientMode);
  const staged = useApp((s) => s.stagedPaths);
  const stagePaths = useApp((s) => s.stagePaths);
  const unstage = useApp((s) => s.unstagePath);
  const clear = useApp((s) => s.clearStaged);
  const startImport = useApp((s) => s.startImport);
  const importing = useApp((s) => runningJobs(s.jobs).some((j) => j.kind === 'import'));
  const store = useAppStore();
  const [text, setText] = useState('');
  const [over, setOver] = useState(false);
  const [dropNote, setDropNote] = useState<string | null>(null);
  /** Paths the core said are not there, with the reason shown beside each while it stays staged. */
  const [missing, setMissing] = useState<ReadonlyMap<string, string>>(new Map());
  /** The core's refusal of the last import, kept in view until the analyst imports again, clears or closes it. */
  const [refusal, setRefusal] = useState<string | null>(null);
  const filesInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  const electron = mode === 'electron';

  const pathsOf = (files: FileList | null, folder: boolean): string[] => {
    const out = new Set<string>();
    for (const file of Array.from(files ?? [])) {
      const p = store.getState().pathForFile(file);
      if (!p) continue;
      if (folder && file.webkitRelativePath) {
        // The folder itself, not each file in it: strip the relative part below the chosen folder.
        const below = file.webkitRelativePath.split('/').slice(1).join('/');
        out.add(below && p.endsWith(below) ? p.slice(0, p.length - below.length - 1) : p);
      } else out.add(p);
    }
    return [...out];
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    const paths = pathsOf(e.dataTransfer.files, false);
    if (paths.length) {
      stagePaths(paths);
      setDropNote(null);
    } else {
      setDropNote(electron ? 'Those items have no path on this machine.' : 'A browser cannot see where dropped files live: type their paths on the machine running Crossline below.');
    }
  };

  const problemOf = (p: string) => stagedPathProblem(p) ?? missing.get(p) ?? null;
  const marked = staged.filter((p) => problemOf(p) !== null);
  const forget = (paths: string[]) => setMissing((m) => new Map([...m].filter(([p]) => !paths.includes(p))));
  const remove = (paths: string[]) => {
    paths.forEach(unstage);
    forget(paths);
  };

  const runImport = async () => {
    setRefusal(null);
    const lastNotice = Math.max(0, ...store.getState().notices.map((n) => n.id));
    await startImport();
    const after = store.getState();
    if (after.stagedPaths.length === 0) {
      setMissing(new Map());
      return;
    }
    // Refused: the store raised it as a passing notice; the list keeps it, and marks each path it names.
    const notice = after.notices.filter((n) => n.kind === 'error' && n.id > lastNotice).at(-1);
    if (!notice) return;
    after.dismissNotice(notice.id);
    const found = missingPathsIn(notice.text, after.stagedPaths);
    setMissing((m) => new Map([...m, ...[...found.missing].map((p) => [p, 'not found on the machine running Crossline'] as const)]));
    setRefusal(`Nothing was imported. ${notice.text}`);
  };

  const addTyped = () => {
    stagePaths(text.split('\n'));
    setText('');
  };

  return (
    <section className="panel" aria-labelledby="pick-title">
      <div className="panel-title"><h2 id="pick-title">Evidence</h2></div>
      <div className="panel-body" style={{ display: 'flex', flexDirection: 'column', gap: 12 }}>
        <div
          className={`dropzone${over ? ' over' : ''}`}
          onDragOver={(e) => {
            e.preventDefault();
            setOver(true);
          }}
          onDragLeave={() => setOver(false)}
          onDrop={onDrop}
          data-testid="dropzone"
        >
          <b>Drop folders, archives or log files here</b>
          <span className="small">Folders, .zip, .tar, .tar.gz, .gz, .json, .jsonl, .csv — nested archives too. Evidence is read, hashed, never changed.</span>
          {electron && (
            <div className="row">
              <button type="button" className="btn" onClick={() => filesInput.current?.click()}>Add files…</button>
              <button type="button" className="btn" onClick={() => folderInput.current?.click()}>Add folder…</button>
              <input ref={filesInput} type="file" multiple hidden onChange={(e) => { stagePaths(pathsOf(e.target.files, false)); e.target.value = ''; }} />
              <input
                ref={(el) => {
                  folderInput.current = el;
                  el?.setAttribute('webkitdirectory', '');
                }}
                type="file"
                hidden
                onChange={(e) => { stagePaths(pathsOf(e.target.files, true)); e.target.value = ''; }}
              />
            </div>
          )}
          {dropNote && <span className="small error-text">{dropNote}</span>}
        </div>
        <label className="field">
          <span>{electron ? 'Or type paths' : 'Paths on the machine running Crossline'} <span className="hint">one per line</span></span>
          <textarea
            className="textarea"
            rows={3}
            value={text}
            onChange={(e) => setText(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                e.preventDefault();
                addTyped();
              }
            }}
            placeholder="/evidence/AWSLogs&#10;/evidence/cloudtrail-export.zip"
            spellCheck={false}
            data-testid="import-paths"
          />
        </label>
        <div className="row">
          <button type="button" className="btn" disabled={!text.trim()} onClick={addTyped}>Add paths <kbd>Ctrl+Enter</kbd></button>
        </div>
        {staged.length > 0 && (
          <>
            {refusal && (
              <div className="row" role="alert" data-testid="import-refused">
                <span className="error-text grow">{refusal}</span>
                <button type="button" className="btn small ghost" onClick={() => setRefusal(null)} aria-label="Close the message">×</button>
              </div>
            )}
            <ul className="path-list" aria-label="Paths to import">
              {staged.map((p) => {
                const problem = problemOf(p);
                return (
                  <li key={p} data-testid="staged-path" data-path={p} data-problem={problem ?? undefined}>
                    <span title={p}>{p}</span>
                    {problem && <em className="error-text" style={{ flex: 'none', fontStyle: 'normal' }} data-testid="staged-path-problem">{problem}</em>}
                    <button type="button" className="btn small ghost" onClick={() => remove([p])} aria-label={`Remove ${p}`}>×</button>
                  </li>
                );
              })}
            </ul>
            <div className="row">
              <button type="button" className="btn primary" disabled={importing || marked.length > 0} onClick={() => void runImport()} data-testid="start-import">
                Import {staged.length} path{staged.length === 1 ? '' : 's'}
              </button>
              <button type="button" className="btn ghost" onClick={() => { clear(); setMissing(new Map()); setRefusal(null); }}>Clear</button>
              {marked.length > 0 && (
                <>
                  <span className="small error-text" data-testid="staged-blocked">
                    {marked.length} marked path{marked.length === 1 ? '' : 's'} cannot be imported: remove or correct {marked.length === 1 ? 'it' : 'them'} to import the rest.
                  </span>
                  <button type="button" className="btn small" onClick={() => remove(marked)} data-testid="remove-marked">Remove marked</button>
                </>
              )}
              {importing && <span className="muted small">An import is running.</span>}
            </div>
          </>
        )}
      </div>
    </section>
  );
}

function ImportProgress() {
  const jobs = useAppShallow((s) => runningJobs(s.jobs));
  const cancelJob = useApp((s) => s.cancelJob);
  if (!jobs.length) return null;
  return (
    <section className="panel" aria-label="Running jobs" data-testid="import-progress">
      {jobs.map((job) => {
        const p = job.progress;
        const label = job.kind === 'import' ? 'Importing evidence' : 'Correlating (finding AN1348 chains)';
        return (
          <div key={job.jobId} className="panel-body" style={{ display: 'flex', flexDirection: 'column', gap: 8 }} data-job-kind={job.kind}>
            <div className="row">
              <b className="grow">{label}</b>
              <span className="muted">{p?.fraction !== null && p?.fraction !== undefined ? `${Math.round(p.fraction * 100)}%` : ''}</span>
              {job.kind === 'import' && <button type="button" className="btn small danger" onClick={() => void cancelJob(job.jobId)} data-testid="cancel-import">Cancel</button>}
            </div>
            <ProgressBar fraction={p?.fraction} label={label} />
            <div className="stats">
              {p?.files !== undefined && <Stat label="files" value={formatNumber(p.files)} />}
              {p?.events !== undefined && <Stat label="events" value={formatNumber(p.events)} />}
              {p?.eventsPerSecond !== undefined && <Stat label="events/s" value={formatNumber(p.eventsPerSecond)} />}
              {p?.etaMs !== undefined && <Stat label="time left" value={p.etaMs === null ? '—' : formatDuration(p.etaMs)} />}
            </div>
            <span className="muted small">{progressText(p)}</span>
          </div>
        );
      })}
    </section>
  );
}

function ImportSummary() {
  const summary = useApp((s) => s.importSummary);
  const navigate = useApp((s) => s.navigate);
  const findings = useApp((s) => s.findings.length);
  const correlating = useApp((s) => runningJobs(s.jobs).some((j) => j.kind === 'correlate'));
  const history = useApp((s) => (s.importHistory && s.importHistory.file === s.caseInfo?.file ? s.importHistory.history : null));
  if (!summary) return null;
  const stats = summary.import?.stats;
  const problems = summary.import?.problems ?? [];
  // In the history's split, once it has the run: out-of-scope records are left out by design, not errors.
  const run = stats ? problemsOfRun(stats, history) : null;
  const records = run ? run.outOfScope + run.damaged : stats?.errors ?? 0;
  return (
    <section className="panel" aria-labelledby="summary-title" data-testid="import-summary" data-status={summary.status}>
      <div className="panel-title">
        <h2 id="summary-title" className="grow">
          {summary.kind === 'correlate'
            ? summary.status === 'complete' ? 'Case ready: correlation complete' : `Correlation ${summary.status}`
            : summary.status === 'complete' ? 'Import complete' : summary.status === 'cancelled' ? 'Import cancelled' : 'Import failed'}
        </h2>
        {summary.status === 'complete' && (
          <button type="button" className="btn primary" onClick={() => navigate('findings')} disabled={correlating}>
            {correlating ? 'Correlating…' : findings === 0 ? 'Go to findings' : `Review ${findings} finding${findings === 1 ? '' : 's'}`}
          </button>
        )}
      </div>
      <div className="panel-body" style={{ display: 'flex', flexDirection: 'column', gap: 12 }}>
        {summary.error && <p className="error-text">{summary.error}</p>}
        {stats && (
          <div className="stats">
            <Stat label="events stored" value={formatNumber(stats.events)} />
            <Stat label="duplicates" value={formatNumber(stats.duplicates)} />
            <Stat label="skipped" value={formatNumber(stats.skipped)} />
            {run ? (
              <>
                <Stat label="out of scope" value={formatNumber(run.outOfScope)} />
                <Stat label="damaged or unreadable" value={formatNumber(run.damaged)} />
              </>
            ) : (
              <Stat label="problem records" value={formatNumber(stats.errors)} />
            )}
            <Stat label="files" value={formatNumber(stats.files)} />
            <Stat label="read" value={formatBytes(stats.bytes)} />
          </div>
        )}
        {summary.correlate && (
          <p data-testid="correlation-summary">
            Correlation: {formatNumber(summary.correlate.chains)} AN1348 chain{summary.correlate.chains === 1 ? '' : 's'}
            {(['critical', 'high', 'medium', 'low'] as const).filter((k) => (summary.correlate?.bySeverity[k] ?? 0) > 0).map((k) => (
              <span key={k} className={`badge sev-${k}`} style={{ marginLeft: 6 }}>{summary.correlate?.bySeverity[k]} {k}</span>
            ))}
          </p>
        )}
        {problems.length > 0 && (
          <div>
            <h3 style={{ marginBottom: 6 }}>Problem lines ({formatNumber(problems.length)}{run && run.lines > problems.length ? ` of ${formatNumber(run.lines)}` : ''})</h3>
            <p className="muted small" data-testid="problem-lines-note" style={{ marginTop: 0 }}>
              {formatNumber(run?.lines ?? problems.length)} line{(run?.lines ?? problems.length) === 1 ? '' : 's'} for {formatNumber(records)} record{records === 1 ? '' : 's'}
              {run ? ` (${formatNumber(run.outOfScope)} out of scope, ${formatNumber(run.damaged)} damaged or unreadable)` : ''}: past the first few records of one reason in a file, the rest share one line (&ldquo;N more records: …&rdquo;).
            </p>
            <div style={{ maxHeight: 260, overflow: 'auto', border: '1px solid var(--border)', borderRadius: 6 }}>
              <table className="table" data-testid="import-problems">
                <thead><tr><th>File</th><th>Where</th><th>Reason</th></tr></thead>
                <tbody>
                  {problems.map((p, i) => (
                    <tr key={i}>
                      <td className="mono" style={{ wordBreak: 'break-all' }}>{logText(p.file)}</td>
                      <td className="mono">{p.position ?? '—'}</td>
                      <td>{logText(p.reason)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
        )}
      </div>
    </section>
  );
}

function SupportedFormats() {
  return (
    <p className="muted small">
      AWS CloudTrail: S3 delivery (AWSLogs/…/CloudTrail/…), console Event history and lookup-events (JSON, CSV), CloudTrail Lake and
      Athena results, JSON lines, Logstash copies. Azure Activity and Entra ID sign-ins: REST API and Graph pages, diagnostic settings
      exports, Log Analytics CSV. GCP Cloud Audit Logs: gcloud logging read, Logs Explorer downloads, BigQuery exports. Folders, zip,
      tar(.gz) and gzip, nested. Digest and Insights files are skipped and counted. Bad input is reported per file; the rest goes on.
    </p>
  );
}
