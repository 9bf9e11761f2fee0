// One export form for the report, the findings, the evidence list, a timeline or an explorer view. The core writes
// the file on the machine running it (the app's own disk; the bridge's host in browser mode) and logs the export.
import { useEffect, useState } from 'react';
import type { ReportExportRequest } from '../../../shared/ipc/contract';
import type { ExportOutcome } from '../../state/annotations-slice';
import { useApp } from '../../state/store';

export interface ExportChoice {
  label: string;
  format: ReportExportRequest['format'];
  what: NonNullable<ReportExportRequest['what']>;
}

/** A choice's value in the select, e.g. `pdf:report`, `csv:evidence`. */
const keyOf = (c: ExportChoice) => `${c.format}:${c.what}`;

/** Where an export goes by default: beside the case file, named after it and what is exported. */
export function defaultExportPath(caseFile: string, suffix: string, format: string): string {
  return `${caseFile.replace(/\.crossline$/, '')}-${suffix}.${format}`;
}

export function ExportForm({ title, choices, request = {}, testId }: {
  title: string;
  choices: ExportChoice[];
  /** The rest of the request: a finding id for a timeline, a filter for an explorer view. */
  request?: Pick<ReportExportRequest, 'findingId' | 'filter'>;
  testId: string;
}) {
  const caseFile = useApp((s) => s.caseInfo?.file ?? '');
  const exportReport = useApp((s) => s.exportReport);
  const [key, setKey] = useState(() => keyOf(choices[0]!));
  const choice = choices.find((c) => keyOf(c) === key) ?? choices[0]!;
  const suffixOf = (c: ExportChoice) => (c.what === 'report' ? 'report' : c.what === 'timeline' ? `timeline-${request.findingId ?? ''}` : c.what);
  const [out, setOut] = useState(() => (caseFile ? defaultExportPath(caseFile, suffixOf(choice), choice.format) : ''));
  const [outcome, setOutcome] = useState<ExportOutcome | null>(null);
  // Another case, format or finding: a new default path, and the last result no longer applies.
  useEffect(() => {
    setOut(caseFile ? defaultExportPath(caseFile, suffixOf(choice), choice.format) : '');
    setOutcome(null);
  }, [caseFile, key, request.findingId]); // eslint-disable-line react-hooks/exhaustive-deps

  /** `overwrite` only after the analyst saw that a file is there and chose to replace it. */
  const run = async (overwrite = false) => {
    setOutcome(null);
    setOutcome(await exportReport({ format: choice.format, what: choice.what, out: out.trim(), ...request, ...(overwrite ? { overwrite } : {}) }));
  };
  return (
    <details data-testid={testId} className="export-form">
      <summary>{title}</summary>
      <div className="annotation-form">
        <label>
          Format{' '}
          <select value={key} data-testid="report-format" onChange={(e) => setKey(e.target.value)}>
            {choices.map((c) => <option key={keyOf(c)} value={keyOf(c)}>{c.label}</option>)}
          </select>
        </label>
        <label>
          Save to (on the machine running Crossline){' '}
          <input type="text" value={out} size={60} data-testid="report-out" onChange={(e) => { setOut(e.target.value); setOutcome(null); }} />
        </label>
        <button type="button" className="btn primary" data-testid="report-export-button" disabled={!out.trim()} onClick={() => void run()}>Export</button>
        {outcome && !outcome.ok && outcome.exists && (
          <button type="button" className="btn" data-testid="report-replace-button" onClick={() => void run(true)}>Replace it</button>
        )}
        {outcome?.ok && <span className="muted small" data-testid="report-exported">Wrote {outcome.file} ({outcome.bytes.toLocaleString()} bytes, {outcome.rows.toLocaleString()} rows)</span>}
        {outcome && !outcome.ok && <span className="error-text" data-testid="report-export-error">{outcome.error}</span>}
      </div>
    </details>
  );
}
