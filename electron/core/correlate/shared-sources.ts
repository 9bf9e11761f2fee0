import type { Finding } from '../../../shared/domain/correlation';
import { isReservedAddress } from '../enrich/geo-enricher';
import { utcText } from '../../../shared/time/utc-text';

/** Other findings named per shared address; the rest are counted. */
const MAX_LINKED = 5;

/**
 * Findings that share a source address are likely one actor working across accounts, tenants or clouds: each finding
 * says which others its addresses also served, earlier or later. (The scores do not rely on it: a later chain with
 * privileged calls from an address an earlier finding came from is judged as of that finding, see FirstServed.) Only
 * addresses that name one party count: a private, NAT or local address is shared by strangers, and an allowlisted one
 * is the organisation's own.
 */
export function linkSharedSources(findings: Omit<Finding, 'id'>[]): void {
  const byIp = new Map<string, Omit<Finding, 'id'>[]>();
  for (const f of findings) {
    for (const ip of linkable(f)) {
      const list = byIp.get(ip);
      if (list) list.push(f);
      else byIp.set(ip, [f]);
    }
  }
  for (const list of byIp.values()) list.sort((a, b) => a.entry.timeMs - b.entry.timeMs);
  for (const f of findings) {
    const sentences: string[] = [];
    const eventIds = new Set<string>();
    for (const ip of linkable(f)) {
      const others = byIp.get(ip)!.filter((o) => o !== f);
      if (others.length === 0) continue;
      const named = others.slice(0, MAX_LINKED).map((o) => {
        eventIds.add(o.entry.eventId);
        return `${o.entry.principal ?? o.entry.sourceAccount ?? 'an unknown principal'} (${o.provider}, entry at ${utcText(o.entry.timeMs)})`;
      });
      const more = others.length > MAX_LINKED ? ` and ${others.length - MAX_LINKED} more` : '';
      sentences.push(`${ip} is also a source of the finding${others.length > 1 ? 's' : ''} of ${named.join('; ')}${more}`);
    }
    if (sentences.length === 0) continue;
    const reason = { condition: 'context' as const, text: `${sentences.join('. ')}: likely the same actor.`, eventIds: [...eventIds] };
    const at = f.reasons.findIndex((r) => r.condition === 'suppression');
    f.reasons.splice(at < 0 ? f.reasons.length : at, 0, reason);
  }
}

function linkable(f: Omit<Finding, 'id'>): string[] {
  return f.sourceIps.filter((ip) => !isReservedAddress(ip) && !f.familiarity.some((x) => x.ip === ip && x.allowlisted));
}
