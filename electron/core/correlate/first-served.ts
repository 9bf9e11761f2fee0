import type { Familiarity } from '../../../shared/domain/correlation';
import { utcText } from '../../../shared/time/utc-text';
import type { Attribute } from './familiarity-index';

/** When an address, network, ASN or country first served a listed chain as part of an unfamiliar origin, and that chain's finding in words. */
export interface FirstServing {
  timeMs: number;
  finding: string;
  attribute: Attribute;
}

export type OriginValues = Record<Attribute, string | null>;

/**
 * Where earlier findings came from while it was new. The familiarity baseline is built from every sighting, the
 * attacker's own among them: an actor's first chain made its address, network, ASN and country familiar to the
 * organisation, the role and its account by the time of its next, which then lost condition 3 (a returning actor
 * with three privileged calls scored medium; another Tor exit of the same /24 looked familiar). A later chain with
 * privileged calls is judged, attribute by attribute, on what was known before that value first served a finding.
 * A chain without one is judged so only against high and critical findings (`strongOnly`): an actor back for a look
 * around after a takeover is listed, while a vendor flagged once, at medium, for a new address stays routine when it
 * goes on polling from there. (The sightings are day-level rollups: the actor's own cannot be taken out one by one,
 * hence a cut-off in time.)
 */
export class FirstServed {
  private readonly byValue = new Map<string, FirstServing>();
  /** The same, from high and critical findings only. */
  private readonly strongByValue = new Map<string, FirstServing>();

  /**
   * Records a listed chain's unfamiliar sources, each attribute at the source's first event in the chain. `values`
   * gives an address's network, ASN and country as the baseline keys them.
   */
  record(
    unfamiliar: readonly Familiarity[],
    members: readonly { sourceIp: string | null; timeMs: number }[],
    finding: { principal: string; provider: string; entryMs: number; strong: boolean },
    values: (ip: string) => OriginValues,
  ): void {
    for (const f of unfamiliar) {
      let first = Number.POSITIVE_INFINITY;
      for (const m of members) if (m.sourceIp === f.ip && m.timeMs < first) first = m.timeMs;
      if (first === Number.POSITIVE_INFINITY) continue;
      const of = values(f.ip);
      for (const attribute of ATTRIBUTES) {
        const value = of[attribute];
        if (value === null) continue;
        const key = `${attribute}\u0001${value}`;
        const serving = { timeMs: first, attribute, finding: `${finding.principal} (${finding.provider}, entry at ${utcText(finding.entryMs)})` };
        for (const map of finding.strong ? [this.byValue, this.strongByValue] : [this.byValue]) {
          const known = map.get(key);
          if (!known || first < known.timeMs) map.set(key, serving);
        }
      }
    }
  }

  /** The first serving of the value strictly before `beforeMs` (of a high or critical finding with `strongOnly`), if any. */
  before(attribute: Attribute, value: string | null, beforeMs: number, strongOnly = false): FirstServing | null {
    if (value === null) return null;
    const s = (strongOnly ? this.strongByValue : this.byValue).get(`${attribute}\u0001${value}`);
    return s && s.timeMs < beforeMs ? s : null;
  }
}

const ATTRIBUTES: Attribute[] = ['ip', 'network', 'asn', 'country'];
