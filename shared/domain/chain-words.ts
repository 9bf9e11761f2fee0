// The words for a chain's parts that differ per cloud, shared by the app and the report so both say the same.
// A chain member with role `assume` is a different thing in each cloud: an AssumeRole into the next role (AWS), a
// later sign-in of the same Entra sign-in session (Azure), an impersonation of the next service account (GCP).

/** How an event belongs to its chain (`TimelineEvent.role`). */
export type ChainRole = 'entry' | 'assume' | 'call' | 'privileged';

const HOP: Record<string, string> = {
  aws: 'role hop',
  azure: 'later sign-in',
  gcp: 'impersonation hop',
};

/** What a list or legend calls an event of `role` in a chain of `provider`: "role hop", "later sign-in", "privileged call" … */
export function chainRoleLabel(role: ChainRole, provider: string): string {
  switch (role) {
    case 'entry':
      return 'entry';
    case 'assume':
      // A provider this version does not know (a newer case): a word that is wrong for none of them.
      return HOP[provider] ?? 'hop';
    case 'privileged':
      return 'privileged call';
    default:
      return 'other call';
  }
}

/**
 * Whether a list of known vendors exists for the provider's callers. Only AWS has one (fwdcloudsec's known AWS
 * accounts); an Azure or GCP caller without a vendor name is not "unknown", it was never looked up.
 */
export function hasVendorList(provider: string): boolean {
  return provider === 'aws';
}
