import type { GeoInfo } from './ports';

export type Level = 'principal' | 'role' | 'organisation';
export type Attribute = 'ip' | 'network' | 'asn' | 'country';
const ATTRIBUTES: Attribute[] = ['ip', 'network', 'asn', 'country'];
const DAY = 86_400_000;

/**
 * The `asn` attribute's value: the network's operator. One operator runs several ASNs (Amazon's AS14618 and AS16509,
 * Google's AS15169 and AS396982), and a vendor hosted there moves between them all the time: keyed by number, its
 * next address on the other ASN was "asn new to the organisation" (12 points) for nothing. By the operator's name when
 * the ASN data names one, else by number.
 */
export function operatorKey(geo: GeoInfo | null): string | null {
  if (geo?.asOrg) return `org:${geo.asOrg.trim().toLowerCase()}`;
  return geo?.asn != null ? `as:${geo.asn}` : null;
}

/** When a value was first seen, and the distinct UTC days it was seen on (ascending). */
interface Sightings {
  firstMs: number;
  days: number[];
}

/** The values one event contributes: the owner keys it belongs to at each level. */
export interface SightingOwners {
  principal: string[];
  role: string[];
}

/**
 * What sources each principal, role and the organisation used, built from the case's aggregated sightings. Answers
 * "was this IP / network / ASN / country seen at this level before time T (within the baseline)?" in
 * O(log days). Built once per correlation run, so a re-run after a settings change stays fast.
 */
export class FamiliarityIndex {
  private readonly seen = new Map<string, Sightings>();
  /** First sighting of anything per level+owner, UTC ms. */
  private readonly owners = new Map<string, number>();

  constructor(private readonly describe: (ip: string) => { network: string; geo: GeoInfo | null }) {}

  /** Records one sourced event (a convenience over addSightings for a single time). */
  add(timeMs: number, ip: string, owners: SightingOwners): void {
    this.addSightings(timeMs, [Math.floor(timeMs / DAY)], ip, owners);
  }

  /** Records that `ip` was used by these owners, first at `firstMs`, on these UTC days (any order). */
  addSightings(firstMs: number, days: number[], ip: string, owners: SightingOwners): void {
    const { network, geo } = this.describe(ip);
    const values: Record<Attribute, string | null> = {
      ip,
      network,
      asn: operatorKey(geo),
      country: geo?.country ?? null,
    };
    this.record('organisation', '', values, firstMs, days);
    for (const o of owners.principal) this.record('principal', o, values, firstMs, days);
    for (const o of owners.role) this.record('role', o, values, firstMs, days);
  }

  private record(level: Level, owner: string, values: Record<Attribute, string | null>, firstMs: number, days: number[]): void {
    const ownerKey = `${level}\u0001${owner}`;
    const known = this.owners.get(ownerKey);
    if (known === undefined || firstMs < known) this.owners.set(ownerKey, firstMs);
    for (const attr of ATTRIBUTES) {
      const value = values[attr];
      if (value === null) continue;
      const key = `${level}\u0001${owner}\u0001${attr}\u0001${value}`;
      const s = this.seen.get(key);
      if (!s) {
        this.seen.set(key, { firstMs, days: [...days] });
      } else {
        if (firstMs < s.firstMs) s.firstMs = firstMs;
        s.days.push(...days);
        this.dirty.add(s);
      }
    }
  }

  /** Merged day lists are sorted and deduplicated once, lazily, before the first query. */
  private readonly dirty = new Set<Sightings>();
  private tidy(): void {
    for (const s of this.dirty) s.days = [...new Set(s.days)].sort((a, b) => a - b);
    this.dirty.clear();
  }

  /** Whether the owner has any sourced activity before `beforeMs` at all (a first-time principal has none). */
  hasHistory(level: Level, owner: string, beforeMs: number): boolean {
    const first = this.owners.get(`${level}\u0001${owner}`);
    return first !== undefined && first < beforeMs;
  }

  /**
   * Seen at this level strictly before `beforeMs`, and within `baselineDays` of it when set. With a baseline,
   * resolution is a UTC day: a sighting earlier on the entry's own day counts when it precedes the entry.
   */
  wasSeen(level: Level, owner: string, attr: Attribute, value: string | null, beforeMs: number, baselineDays: number | null): boolean {
    if (value === null) return false;
    const s = this.seen.get(`${level}\u0001${owner}\u0001${attr}\u0001${value}`);
    if (!s || s.firstMs >= beforeMs) return false;
    if (baselineDays === null) return true;
    if (this.dirty.size > 0) this.tidy();
    const entryDay = Math.floor(beforeMs / DAY);
    const startDay = entryDay - baselineDays;
    // Any sighting day in [startDay, entryDay]; the first-seen check above rules out "only later that day".
    let lo = 0;
    let hi = s.days.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (s.days[mid]! < startDay) lo = mid + 1;
      else hi = mid;
    }
    return lo < s.days.length && s.days[lo]! <= entryDay;
  }
}
