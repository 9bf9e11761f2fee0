// Coverage warnings above the findings, one folded line per kind. A case of many tenants or projects gets one
// warning per scope (37 of about three lines each pushed the first finding 2,100 px down at 1280×800); the kind
// and how many scopes it hit is what the analyst needs first, the scopes one click away.
import type { CoverageKind, CoverageWarning } from '../../../shared/domain/correlation';
import { logText } from '../../ui/log-text';

const KIND_TITLES: Record<CoverageKind, string> = {
  'gcp-no-data-access': 'GCP without Data Access logs',
  'entra-no-noninteractive': 'Entra sign-ins without non-interactive sign-ins',
  'entra-no-service-principal': 'Entra sign-ins without service principal sign-ins',
  'azure-no-signins': 'Azure Activity without sign-in logs',
  'azure-subscription-tenant-unknown': 'Subscriptions whose tenant is unknown',
  'cloudtrail-gap': 'Silent hours in CloudTrail',
  'thin-export': 'Exports missing what the analysis follows',
  'short-coverage': 'Less than a day of events',
};

/** The warnings by kind, in the order the correlator gave them (it orders kinds by weight). */
function byKind(warnings: CoverageWarning[]): [CoverageKind, CoverageWarning[]][] {
  const groups = new Map<CoverageKind, CoverageWarning[]>();
  for (const w of warnings) groups.set(w.kind, [...(groups.get(w.kind) ?? []), w]);
  return [...groups];
}

export function CoverageWarnings({ warnings }: { warnings: CoverageWarning[] }) {
  if (warnings.length === 0) return null;
  return (
    <section className="coverage-warnings" data-testid="coverage-warnings" aria-label="Coverage warnings">
      <strong>Coverage warnings</strong> — what the evidence cannot show ({warnings.length}):
      {byKind(warnings).map(([kind, list]) => (
        <details key={kind} className="coverage-kind" data-testid="coverage-kind" data-kind={kind}>
          <summary>
            <b>{KIND_TITLES[kind] ?? kind}</b>
            <span className="coverage-count">{list.length} {list.length === 1 ? 'warning' : 'warnings'}</span>
            <span className="coverage-preview">{logText(list[0]?.message, '')}</span>
          </summary>
          <ul>
            {list.map((w, i) => (
              <li key={i}><code>{logText(w.scope)}</code>: {logText(w.message)}</li>
            ))}
          </ul>
        </details>
      ))}
    </section>
  );
}
