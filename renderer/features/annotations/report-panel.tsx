// "Export report" (written by the core to a path on the machine running it) and the case's audit log.
import { useEffect } from 'react';
import { useApp } from '../../state/store';
import { formatTime } from '../../ui/format';
import { ExportForm, type ExportChoice } from './export-form';

const REPORT_CHOICES: ExportChoice[] = [
  { label: 'HTML report', format: 'html', what: 'report' },
  { label: 'PDF report', format: 'pdf', what: 'report' },
  { label: 'findings (JSON)', format: 'json', what: 'findings' },
  { label: 'findings (CSV)', format: 'csv', what: 'findings' },
  { label: 'evidence list with SHA-256 (CSV)', format: 'csv', what: 'evidence' },
];

export function ReportPanel() {
  const audit = useApp((s) => s.auditLog);
  const loadAudit = useApp((s) => s.loadAudit);
  useEffect(() => {
    void loadAudit();
  }, [loadAudit]);

  return (
    <div className="report-panel">
      <ExportForm title="Export report" testId="report-export" choices={REPORT_CHOICES} />
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
