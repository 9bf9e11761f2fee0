// The open case's import runs and their problems grouped by reason. The summary of the last import lives only as long
// as the app does; after reopening a case this is where a cancelled import, or the records of a file that were out of
// scope or unreadable, can still be seen.
import { logText } from '../../ui/log-text';
import { useEffect } from 'react';
import { PROBLEM_KIND_WORDS, problemTotalsSentence } from '../../../shared/domain/analysis-words';
import type { ImportRun, ProblemGroup } from '../../../shared/domain/evidence';
import { useApp } from '../../state/store';
import { formatNumber, formatTime } from '../../ui/format';

const STATUS: Record<ImportRun['status'], string> = { complete: 'complete', cancelled: 'cancelled', failed: 'failed', running: 'no recorded end' };

export function ImportHistoryPanel() {
  const caseInfo = useApp((s) => s.caseInfo);
  const entry = useApp((s) => s.importHistory);
  const load = useApp((s) => s.loadImportHistory);
  // caseInfo is replaced after every job (case.changed), so a finished import shows here at once.
  useEffect(() => {
    if (caseInfo) void load();
  }, [caseInfo, load]);
  const history = entry && entry.file === caseInfo?.file ? entry.history : null;
  if (!history || history.runs.length === 0) return null;
  const unfinished = new Set(caseInfo?.analysis.unfinishedImports.map((r) => r.id));
  return (
    <section className="panel" aria-labelledby="history-title" data-testid="import-history">
      <div className="panel-title"><h2 id="history-title">Import history of this case</h2></div>
      <div className="panel-body" style={{ display: 'flex', flexDirection: 'column', gap: 12 }}>
        <table className="table">
          <thead><tr><th>#</th><th>Started</th><th>Status</th><th>Paths</th><th>Files</th><th>New events</th><th>Duplicates</th><th>Skipped</th><th>Errors</th></tr></thead>
          <tbody>
            {history.runs.map((r) => (
              <tr key={r.id} data-testid="import-run" data-status={r.status}>
                <td>{r.id}</td>
                <td className="mono">{formatTime(r.startedAt)}</td>
                <td className={unfinished.has(r.id) ? 'error-text' : undefined}>{STATUS[r.status]}{unfinished.has(r.id) ? ' — evidence may be missing' : ''}</td>
                <td className="mono" style={{ wordBreak: 'break-all' }}>{r.inputs.map((p) => <div key={p}>{p}</div>)}</td>
                {r.stats ? (
                  <>
                    <td>{formatNumber(r.stats.files)}</td>
                    <td>{formatNumber(r.stats.events)}</td>
                    <td>{formatNumber(r.stats.duplicates)}</td>
                    <td>{formatNumber(r.stats.skipped)}</td>
                    <td>{formatNumber(r.stats.errors)}</td>
                  </>
                ) : (
                  <td colSpan={5} className="muted">not recorded</td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
        <p data-testid="problem-totals">Problems: {problemTotalsSentence(history.problemTotals)}{history.problems.length < history.problemTotals.groups ? ` (the ${history.problems.length} reasons with the most records are listed)` : ''}.</p>
        {history.problems.length > 0 && <ProblemGroups groups={history.problems} />}
      </div>
    </section>
  );
}

function ProblemGroups({ groups }: { groups: ProblemGroup[] }) {
  return (
    <div style={{ maxHeight: 320, overflow: 'auto', border: '1px solid var(--border)', borderRadius: 6 }}>
      <table className="table" data-testid="problem-groups">
        <thead><tr><th>Kind</th><th>Reason</th><th>Records</th><th>Files</th><th>First places</th></tr></thead>
        <tbody>
          {groups.map((g) => (
            <tr key={g.reason} data-testid="problem-group" data-kind={g.kind}>
              <td>{PROBLEM_KIND_WORDS[g.kind]}</td>
              <td>{logText(g.reason)}</td>
              <td>{formatNumber(g.count)}</td>
              <td>{formatNumber(g.files)}</td>
              <td className="mono" style={{ wordBreak: 'break-all' }}>
                {g.examples.map((e, i) => <div key={i}>{logText(e.file)}{e.position ? ` (${logText(e.position)})` : ''}</div>)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
