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

/** The same folder and file name with the format's extension: one of ours is replaced, anything else is kept. */
function withExportExtension(path: string, format: string): string {
  const base = path.trimEnd().replace(/\.(html?|pdf|json|csv)$/i, '');
  return `${base}.${format}`;
}

/** Whether an export writes rows (a CSV or JSON list) rather than a report document, so its row count means something. */
const writesRows = (format: ExportChoice['format']) => format === 'csv' || format === 'json';

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
  const defaultOut = (c: ExportChoice) => (caseFile ? defaultExportPath(caseFile, suffixOf(c), c.format) : '');
  /**
   * A typed path for another choice: its extension, and for another export its suffix (`-findings`, `-evidence`), so the
   * findings and the evidence list, both CSV, never share one name (the second export had offered to replace the first).
   */
  const retargeted = (path: string, from: ExportChoice, to: ExportChoice): string => {
    const withExt = withExportExtension(path, to.format);
    if (from.what === to.what) return withExt;
    const ext = /\.[^./\\]+$/.exec(withExt)?.[0] ?? '';
    const stem = ext ? withExt.slice(0, -ext.length) : withExt;
    const previous = `-${suffixOf(from)}`;
    return `${stem.endsWith(previous) ? stem.slice(0, -previous.length) : stem}-${suffixOf(to)}${ext}`;
  };
  const [out, setOut] = useState(() => defaultOut(choice));
  /** The analyst typed the path: another format keeps its folder and name (an HTML report saved to /tmp/x went back
   * to the data folder as PDF). */
  const [typed, setTyped] = useState(false);
  const [outcome, setOutcome] = useState<(ExportOutcome & { format: ExportChoice['format'] }) | null>(null);
  // Another case or finding: a new default path, and the last result no longer applies.
  useEffect(() => {
    setOut(defaultOut(choice));
    setTyped(false);
    setOutcome(null);
  }, [caseFile, request.findingId]); // eslint-disable-line react-hooks/exhaustive-deps
  const changeFormat = (nextKey: string) => {
    const next = choices.find((c) => keyOf(c) === nextKey) ?? choices[0]!;
    setKey(nextKey);
    setOut(typed && out.trim() ? retargeted(out, choice, next) : defaultOut(next));
    setOutcome(null);
  };

  /** `overwrite` only after the analyst saw that a file is there and chose to replace it. */
  const run = async (overwrite = false) => {
    setOutcome(null);
    const { format } = choice;
    setOutcome({ ...(await exportReport({ format, what: choice.what, out: out.trim(), ...request, ...(overwrite ? { overwrite } : {}) })), format });
  };
  return (
    <details data-testid={testId} className="export-form">
      <summary>{title}</summary>
      <div className="annotation-form">
        <label>
          Format{' '}
          <select value={key} data-testid="report-format" onChange={(e) => changeFormat(e.target.value)}>
            {choices.map((c) => <option key={keyOf(c)} value={keyOf(c)}>{c.label}</option>)}
          </select>
        </label>
        <label>
          Save to (on the machine running Crossline){' '}
          <input type="text" value={out} size={60} data-testid="report-out" onChange={(e) => { setOut(e.target.value); setTyped(true); setOutcome(null); }} />
        </label>
        <button type="button" className="btn primary" data-testid="report-export-button" disabled={!out.trim()} onClick={() => void run()}>Export</button>
        {outcome && !outcome.ok && outcome.exists && (
          <button type="button" className="btn" data-testid="report-replace-button" onClick={() => void run(true)}>Replace it</button>
        )}
        {outcome?.ok && (
          <span className="muted small" data-testid="report-exported">
            Wrote {outcome.file} ({outcome.bytes.toLocaleString()} bytes{writesRows(outcome.format) ? `, ${outcome.rows.toLocaleString()} rows` : ''})
          </span>
        )}
        {outcome && !outcome.ok && <span className="error-text" data-testid="report-export-error">{outcome.error}</span>}
      </div>
    </details>
  );
}
