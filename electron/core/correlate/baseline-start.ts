import type { CoverageHour } from '../../db/repos/rollups-repo';

/** When the evidence of a log scope (provider and AWS account, Azure tenant or subscription, GCP project) begins. */
export type BaselineStart = (provider: string, scope: string | null) => number;

/**
 * Each scope's first hour of events, from the coverage rollup; the case's first event for a scope with no events of
 * its own (or none named). A case often holds scopes whose logs begin on different days (an account onboarded
 * later, a second cloud's shorter retention): measured from the case's first event, the first days of the later
 * scope passed the short-baseline guard with nothing of theirs to compare against, and its own identity provider
 * became "not used routinely".
 */
export function baselineStarts(hours: readonly CoverageHour[], caseStartMs: number): BaselineStart {
  const first = new Map<string, number>();
  for (const h of hours) {
    if (h.account === null) continue;
    const key = `${h.provider}\u0001${h.account}`;
    const ms = h.hour * 3_600_000;
    const known = first.get(key);
    if (known === undefined || ms < known) first.set(key, ms);
  }
  return (provider, scope) => {
    const start = scope === null ? undefined : first.get(`${provider}\u0001${scope}`);
    return start === undefined ? caseStartMs : Math.max(start, caseStartMs);
  };
}
