// Whose earlier places the map's baseline layer shows, in words that match what the core read (chainMap in
// electron/db/repos/workbench-repo.ts). A travel line from the baseline claims the principal itself moved, so it
// is drawn only when the baseline is the principal's own.
import type { Finding } from '../../../shared/domain/correlation';

export interface BaselineScope {
  /** The heading of the baseline list, and the map legend's word for its points. */
  title: string;
  /** What the list says when there is nothing to show. */
  empty: string;
  /** Whether a travel line may join the baseline's last place to the chain's first. */
  travel: boolean;
}

const OWN: BaselineScope = { title: "Principal's baseline", empty: 'No earlier activity of this principal in the evidence.', travel: true };

/**
 * An AWS third-party account's baseline is every call of the caller account: the principal's own when the finding
 * names the account, a wider scope when it names a user or role in it. Azure and GCP baselines are the identity's own.
 */
export function baselineScope(finding: Pick<Finding, 'provider' | 'entry'>): BaselineScope {
  const { kind, principal, sourceAccount } = finding.entry;
  if (finding.provider === 'aws' && kind === 'third-party-account' && sourceAccount !== null && principal !== null && principal !== sourceAccount) {
    return { title: "Caller account's earlier sources", empty: 'No earlier activity of the caller account in the evidence.', travel: false };
  }
  return OWN;
}
