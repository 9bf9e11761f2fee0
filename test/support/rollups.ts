// The check every rollup test makes: what the import stored equals what grouping the case's events says.
import assert from 'node:assert/strict';
import type Database from 'better-sqlite3';
import { readCoverageHours, readSightings, rollupsAreComplete } from '../../electron/db/repos/rollups-repo';

export function assertRollupsMatchEvents(db: Database.Database, what: string): void {
  assert.ok(rollupsAreComplete(db), `${what}: the rollups count every event`);
  for (const multiCloud of [false, true]) {
    assert.deepEqual(readCoverageHours(db, multiCloud, 'stored'), readCoverageHours(db, multiCloud, 'events'), `${what}: hours (multiCloud ${multiCloud})`);
  }
  assert.deepEqual(readSightings(db, 'stored'), readSightings(db, 'events'), `${what}: sightings`);
}
