import type { DeniedEntry } from '../../../shared/domain/correlation';
import type { CorrEvent } from '../../db/repos/correlate-repo';

/** Groups listed; the rest are counted in the run's `attempts`. */
const MAX_GROUPS = 50;
const MAX_IPS = 5;

/**
 * The denied entries of a run (role assumptions, sign-ins, impersonations refused before any session), grouped by who
 * tried, where, how and why it failed. They are never findings (no session came of them), but "3 denied entries" with
 * no way to see whose was a dead end for the investigator: a probe of OrganizationAccountAccessRole is worth a look.
 */
export function deniedEntries(attempts: readonly CorrEvent[]): DeniedEntry[] {
  const groups = new Map<string, DeniedEntry>();
  for (const e of [...attempts].sort((a, b) => a.timeMs - b.timeMs)) {
    // An AWS caller seen only as its account (userIdentity type AWSAccount) is named by the account, not its opaque id.
    const who = e.principalName ?? (e.principalType === 'AWSAccount' ? e.principalAccount : e.principalId) ?? e.principalAccount ?? null;
    const target = e.targetResource ?? e.targetAccount ?? null;
    const key = [e.provider, who, e.principalAccount, target, e.action, e.errorCode].join('\u0001');
    const g = groups.get(key);
    if (g) {
      g.count++;
      g.lastMs = e.timeMs;
      g.eventIds[1] = e.nativeId;
      if (e.sourceIp && !g.sourceIps.includes(e.sourceIp) && g.sourceIps.length < MAX_IPS) g.sourceIps.push(e.sourceIp);
    } else {
      groups.set(key, {
        provider: e.provider, who, account: e.principalAccount ?? null, target, action: e.action, errorCode: e.errorCode ?? null,
        sourceIps: e.sourceIp ? [e.sourceIp] : [], firstMs: e.timeMs, lastMs: e.timeMs, count: 1, eventIds: [e.nativeId],
      });
    }
  }
  // Every attempt grouped first, then the most frequent kinds kept: a brute force after 50 one-off probes stays listed.
  return [...groups.values()].sort((a, b) => b.count - a.count || a.firstMs - b.firstMs).slice(0, MAX_GROUPS);
}
