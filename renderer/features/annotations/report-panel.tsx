// "Export report" (written by the core to a path on the machine running it) and the case's audit log.
import { useEffect, useState } from 'react';
import { useApp } from '../../state/store';
import { formatTime } from '../../ui/format';

export function ReportPanel() {
  const caseInfo = useApp((s) => s.caseInfo);
  const exportReport = useApp((s) => s.exportReport);
  const lastExport = useApp((s) => s.lastExport);
  const exportError = useApp((s) => s.exportError);
  const audit = useApp((s) => s.auditLog);
  const loadAudit = useApp((s) => s.loadAudit);
  const [format, setFormat] = useState<'html' | 'pdf' | 'json' | 'csv'>('html');
  const defaultOut = caseInfo ? caseInfo.file.replace(/\.crossline$/, '') + '-report.html' : '';
  const [out, setOut] = useState(defaultOut);
  useEffect(() => setOut(defaultOut), [defaultOut]);
  useEffect(() => {
    void loadAudit();
  }, [loadAudit]);

  return (
    <div className="report-panel">
      <details data-testid="report-export">
        <summary>Export report</summary>
        <div className="annotation-form">
          <label>
            Format{' '}
            <select value={format} data-testid="report-format" onChange={(e) => {
              const f = e.target.value as typeof format;
              setFormat(f);
              setOut((o) => o.replace(/\.(html|pdf|json|csv)$/, `.${f}`));
            }}>
              <option value="html">HTML report</option>
              <option value="pdf">PDF report</option>
              <option value="json">findings (JSON)</option>
              <option value="csv">findings (CSV)</option>
            </select>
          </label>
          <label>
            Save to (on the machine running Crossline){' '}
            <input type="text" value={out} size={60} data-testid="report-out" onChange={(e) => setOut(e.target.value)} />
          </label>
          <button type="button" className="btn primary" data-testid="report-export-button" disabled={!out.trim()} onClick={() => void exportReport({ format, out: out.trim() })}>Export</button>
          {lastExport && <span className="muted small" data-testid="report-exported">Wrote {lastExport.file} ({lastExport.bytes.toLocaleString()} bytes)</span>}
          {exportError && <span className="error-text">{exportError}</span>}
        </div>
      </details>
      <details data-testid="audit-log" onToggle={() => void loadAudit()}>
        <summary>Audit log ({audit.length})</summary>
        <table className="audit-table">
          <thead><tr><th>time (UTC)</th><th>analyst</th><th>action</th><th>details</th></tr></thead>
          <tbody>
            {audit.map((a) => (
              <tr key={a.id} data-testid="audit-row" data-action={a.action}>
                <td>{formatTime(a.timeMs)}</td><td>{a.analyst}</td><td>{a.action}</td><td className="mono small">{JSON.stringify(a.details).slice(0, 300)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </div>
  );
}
