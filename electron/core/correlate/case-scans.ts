import type Database from 'better-sqlite3';
import { caseProviders, CorrelateRepo, type Sighting } from '../../db/repos/correlate-repo';
import { coverageHours, type CoverageHour } from '../../db/repos/coverage-repo';

/**
 * The correlator's two passes over every event: who used which source address (the familiarity baseline) and the
 * events per hour of each log scope (coverage). Each is a GROUP BY that sorts the whole case, most of a correlation's
 * time on a million events, and neither needs anything else of the run: the correlation worker starts them on their
 * own connections in helper threads (start-case-scans.ts) and goes on with the rest meanwhile. Tests and other
 * in-thread callers get them from scanCaseInline.
 */
export interface CaseScans {
  sightings: Promise<Sighting[]>;
  coverageHours: Promise<CoverageHour[]>;
}

export type CaseScanName = keyof CaseScans;

/** Whether Azure or GCP logs are in the case: both scans then group by more (and slower) columns. */
export function isMultiCloudCase(db: Database.Database): boolean {
  return [...caseProviders(db)].some((p) => p !== 'aws');
}

/** Runs one scan on this connection. */
export function runCaseScan(db: Database.Database, name: 'sightings'): Sighting[];
export function runCaseScan(db: Database.Database, name: 'coverageHours'): CoverageHour[];
export function runCaseScan(db: Database.Database, name: CaseScanName): Sighting[] | CoverageHour[];
export function runCaseScan(db: Database.Database, name: CaseScanName): Sighting[] | CoverageHour[] {
  const multiCloud = isMultiCloudCase(db);
  return name === 'sightings' ? new CorrelateRepo(db).sightings(multiCloud) : coverageHours(db, multiCloud);
}

/** Both scans, run now on the caller's connection. */
export function scanCaseInline(db: Database.Database): CaseScans {
  return { sightings: Promise.resolve(runCaseScan(db, 'sightings')), coverageHours: Promise.resolve(runCaseScan(db, 'coverageHours')) };
}
