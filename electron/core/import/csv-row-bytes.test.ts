import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CsvRowBytes } from './csv-row-bytes';

async function drain(rows: CsvRowBytes, chunks: Buffer[]): Promise<void> {
  async function* source() {
    yield* chunks;
  }
  for await (const _ of rows.tap(source())) {
    // the parser would read here
  }
}

test('rows are judged by their own bytes, across chunk boundaries, a real U+FFFD being valid', async () => {
  const header = Buffer.from('a,b\r\n');
  const good = Buffer.from('1,Bot\uFFFD\r\n'); // a real U+FFFD: EF BF BD
  const bad = Buffer.concat([Buffer.from('2,Bot'), Buffer.from([0xe9]), Buffer.from('\r\n')]);
  const last = Buffer.from('3,x');
  const file = Buffer.concat([header, good, bad, last]);
  // Cut everywhere a chunk boundary can fall, inside the U+FFFD and the header included.
  for (let cut = 1; cut < file.length; cut++) {
    const rows = new CsvRowBytes();
    await drain(rows, [file.subarray(0, cut), file.subarray(cut)]);
    let end = header.length + good.length;
    assert.equal(rows.nextRowIsUtf8(end, '1,Bot\uFFFD\r\n'), true, `cut ${cut}: the row with U+FFFD`);
    end += bad.length;
    assert.equal(rows.nextRowIsUtf8(end, '2,Bot\uFFFD\r\n'), false, `cut ${cut}: the row with 0xE9`);
    assert.equal(rows.nextRowIsUtf8(file.length, '3,x'), true, `cut ${cut}: the last row, without a line ending`);
  }
});
