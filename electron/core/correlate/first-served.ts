import type { Familiarity } from '../../../shared/domain/correlation';
import { utcText } from '../../../shared/time/utc-text';

/** When an address first served a listed chain as an unfamiliar origin, and that chain's finding in words. */
export interface FirstServing {
  timeMs: number;
  finding: string;
}

/**
 * The addresses earlier findings came from while they were new. The familiarity baseline is built from every
 * sighting, the attacker's own among them: an actor's first chain made its address, ASN and country familiar to the
 * organisation, the role and its account by the time of its next, which then lost condition 3 (a returning actor with
 * three privileged calls scored medium). A later chain with privileged calls from such an address is judged on what
 * was known before the address first served a finding. Chains without a privileged call keep the full baseline, so a
 * vendor's polling from an address first flagged once stays routine.
 */
export class FirstServed {
  private readonly byIp = new Map<string, FirstServing>();

  /** Records a listed chain's unfamiliar sources, each at its first event from that address in the chain. */
  record(unfamiliar: readonly Familiarity[], members: readonly { sourceIp: string | null; timeMs: number }[], finding: { principal: string; provider: string; entryMs: number }): void {
    for (const f of unfamiliar) {
      let first = Number.POSITIVE_INFINITY;
      for (const m of members) if (m.sourceIp === f.ip && m.timeMs < first) first = m.timeMs;
      if (first === Number.POSITIVE_INFINITY) continue;
      const known = this.byIp.get(f.ip);
      if (known && known.timeMs <= first) continue;
      this.byIp.set(f.ip, { timeMs: first, finding: `${finding.principal} (${finding.provider}, entry at ${utcText(finding.entryMs)})` });
    }
  }

  /** The first serving of `ip` strictly before `beforeMs`, if any. */
  before(ip: string, beforeMs: number): FirstServing | null {
    const s = this.byIp.get(ip);
    return s && s.timeMs < beforeMs ? s : null;
  }
}
