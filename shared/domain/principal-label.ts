// What to show for an event's principal. Stored principalName is what the log named, and it is part of every stored
// event's identity (the import fingerprint hashes it), so a caller the log did not name stays null in the case and is
// named here, for display only. CloudTrail's `userIdentity.type = AWSAccount` (the caller's side of a cross-account
// AssumeRole, the entry of every third-party chain) carries only principalId (`AROA…:vendor-sess`) and accountId.
import type { NormalizedEvent } from './event';

/** An event's principal fields; the lists' rows carry no principal id (the label is then the account, without the session). */
type PrincipalFields = Pick<NormalizedEvent, 'principalName' | 'principalType' | 'principalAccount'> & { principalId?: string | null };

/**
 * The principal as an analyst should see it: principalName when the log named one; for an AWSAccount caller its
 * account and, when principalId carries one, the session name (`999988887777 (vendor-sess)`); else the account, else
 * the principal id; null when the event has none of them. The timeline and the HTML report show `principalName ??
 * principalAccount`, which this agrees with apart from the session name.
 */
export function principalLabel(e: PrincipalFields): string | null {
  if (e.principalName) return e.principalName;
  if (e.principalType === 'AWSAccount' && e.principalAccount) {
    const colon = e.principalId?.indexOf(':') ?? -1;
    const session = colon > 0 ? e.principalId!.slice(colon + 1) : '';
    return session ? `${e.principalAccount} (${session})` : e.principalAccount;
  }
  return e.principalAccount ?? e.principalId ?? null;
}
