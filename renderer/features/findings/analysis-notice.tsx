// What the findings on screen may be missing: an import that stopped part way (its evidence is only partly in the
// case), or events stored after the last correlation run. Without this a cancelled import's case read as "nothing
// found", and the cancellation showed only inside the audit log's JSON.
import { importsAfterCorrelationSentence, unfinishedImportSentence } from '../../../shared/domain/analysis-words';
import type { CaseInfo } from '../../../shared/ipc/contract';
import { formatTime } from '../../ui/format';

export function AnalysisNotice({ info, onImport, onCorrelate, busy }: { info: CaseInfo; onImport(): void; onCorrelate(): void; busy: boolean }) {
  const { unfinishedImports, importsAfterCorrelation } = info.analysis;
  const stale = info.lastCorrelationMs !== null && importsAfterCorrelation > 0;
  if (unfinishedImports.length === 0 && !stale) return null;
  return (
    <section className="analysis-notice" role="status" aria-label="Findings may be incomplete" data-testid="analysis-notice">
      <strong>Findings may be incomplete.</strong>
      <ul>
        {unfinishedImports.map((run) => (
          <li key={run.id} data-testid="unfinished-import">{unfinishedImportSentence(run, (ms) => formatTime(ms))}</li>
        ))}
        {stale && <li data-testid="stale-correlation">{importsAfterCorrelationSentence(importsAfterCorrelation)}</li>}
      </ul>
      <div className="row">
        {unfinishedImports.length > 0 && <button type="button" className="btn small" onClick={onImport}>Import history…</button>}
        {stale && <button type="button" className="btn small" disabled={busy} onClick={onCorrelate}>Re-run correlation</button>}
      </div>
    </section>
  );
}
