// `crossline info`: what a case holds, and whether its findings can be relied on, in the words the app and the
// report use (shared/domain/analysis-words.ts).
import { utcTextOrDash } from '../../shared/time/utc-text';
import { NOT_ANALYSED_TITLE, importsAfterCorrelationSentence, notAnalysedSentence, problemTotalsSentence, unfinishedImportSentence } from '../../shared/domain/analysis-words';
import type { ImportHistory } from '../../shared/domain/evidence';
import type { CaseSummary } from '../db/repos/case-summary-repo';

const iso = utcTextOrDash;

function findingsLine(file: string, s: CaseSummary): string {
  if (s.lastCorrelationMs === null) {
    return s.events === 0 ? 'findings: not analysed (no events yet)' : `findings: ${NOT_ANALYSED_TITLE.toLowerCase()} — ${notAnalysedSentence(s.events)} Run: crossline correlate ${file}`;
  }
  return `findings: ${s.findings} (last correlation ${iso(s.lastCorrelationMs)})`;
}

export function formatInfo(file: string, s: CaseSummary, problems: ImportHistory['problemTotals']): string {
  const lines = [
    `case ${file} (schema ${s.schemaVersion}, created ${iso(s.createdAt)})`,
    `events: ${s.events.toLocaleString('en-US')} from ${iso(s.firstEventMs)} to ${iso(s.lastEventMs)}`,
    `providers: ${s.providers.map((p) => `${p.provider} ${p.events}`).join(', ') || '—'}`,
    `accounts: ${s.accounts.slice(0, 10).map((a) => `${a.account} (${a.events})`).join(', ') || '—'}${s.accounts.length > 10 ? ', …' : ''}`,
    `evidence: ${s.sources.files} files, ${s.sources.archives} archives, ${s.sources.bytes.toLocaleString('en-US')} bytes${s.sources.incomplete ? `, ${s.sources.incomplete} incomplete (re-run the import to complete them)` : ''}`,
    `formats: ${s.formats.map((f) => `${f.format} ×${f.files}`).join(', ') || '—'}`,
    `imports: ${s.imports.length}; import problems: ${problemTotalsSentence(problems)}`,
    findingsLine(file, s),
    ...s.analysis.unfinishedImports.map((run) => `warning: ${unfinishedImportSentence(run, iso)}`),
    ...(s.lastCorrelationMs !== null && s.analysis.importsAfterCorrelation > 0 ? [`warning: ${importsAfterCorrelationSentence(s.analysis.importsAfterCorrelation)} Run: crossline correlate ${file}`] : []),
  ];
  return `${lines.join('\n')}\n`;
}
