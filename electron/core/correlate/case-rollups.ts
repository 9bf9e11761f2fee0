import type Database from 'better-sqlite3';
import { caseProviders } from '../../db/repos/correlate-repo';
import { readCoverageHours, readSightings, trustedRollupSource, type CoverageHour, type Sighting } from '../../db/repos/rollups-repo';

/**
 * The correlator's view of every event at once: who used which source address when (the familiarity baseline) and
 * the events per hour of each log scope (coverage). The import keeps both rolled up as it writes (rollups-repo.ts),
 * so this reads a few thousand rows, not a million events.
 */
export interface CaseRollups {
  sightings: Sighting[];
  coverageHours: CoverageHour[];
}

/** Whether Azure or GCP logs are in the case: coverage then tells their categories and sign-ins apart. */
export function isMultiCloudCase(db: Database.Database, providers: Set<string> = caseProviders(db)): boolean {
  return [...providers].some((p) => p !== 'aws');
}

/** `providers`: the case's, when the caller has them already (correlate() does). */
export function caseRollups(db: Database.Database, providers: Set<string> = caseProviders(db)): CaseRollups {
  const source = trustedRollupSource(db);
  return { sightings: readSightings(db, source), coverageHours: readCoverageHours(db, isMultiCloudCase(db, providers), source) };
}
