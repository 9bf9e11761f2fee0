// Run as a child process by test/db/bulk-journal.test.ts: a bulk import into the new case given as argv[2] that
// commits a first batch, then dies by SIGKILL in the middle of its second transaction, after writing more than its
// page cache holds (so SQLite has already written part of it into the case and its journal is hot).
import { randomBytes } from 'node:crypto';
import { openCase } from '../../electron/db/connection';
import { CaseWriter } from '../../electron/db/repos/case-writer';
import { cloudTrailRecord } from './evidence-fixtures';
import { batchOf } from './event-batches';

const db = openCase(process.argv[2]!);
const writer = new CaseWriter(db, ['killed']);
if (!writer.rollbackJournal) throw new Error('expected the bulk import to leave WAL');
const source = writer.openSource({ path: 'first', parentId: null });
writer.writeEvents(source, batchOf([cloudTrailRecord(), cloudTrailRecord(), cloudTrailRecord()]), { blockId: null });
writer.commit();
// Random text does not compress: 48 MiB of raw records, three times the writer's 16 MiB page cache.
const second = writer.openSource({ path: 'second', parentId: null });
for (let i = 0; i < 48; i++) {
  const records = Array.from({ length: 16 }, () => cloudTrailRecord({ requestParameters: { padding: randomBytes(64 * 1024).toString('base64') } }));
  writer.writeEvents(second, batchOf(records), { blockId: null });
}
process.stdout.write(`uncommitted ${db.inTransaction}\n`);
process.kill(process.pid, 'SIGKILL');
