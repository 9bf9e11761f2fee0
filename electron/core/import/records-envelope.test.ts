import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PIECE_BYTES, wholeRecordsEnvelope, WHOLE_FILE_MAX_BYTES } from './records-envelope';
import { recordSpans } from './raw-records';

const plain = '{"Records":[{"eventID":"1","eventName":"A"},{"eventID":"2","requestParameters":{"x":[1,{"y":"]}"}]}}]}';

test('a plain S3 delivery is parsed whole, and the splitter finds the same n-th record in its bytes', () => {
  const records = wholeRecordsEnvelope(Buffer.from(plain));
  assert.deepEqual(records, JSON.parse(plain).Records);
  const bytes = Buffer.from(plain);
  const spans = recordSpans(bytes);
  assert.deepEqual(
    spans.starts.map((s, i) => JSON.parse(bytes.toString('utf8', s, spans.ends[i]))),
    records,
  );
});

const refused: [string, string | Buffer][] = [
  ['a byte order mark', `\uFEFF${plain}`],
  ['whitespace before the envelope', ` ${plain}`],
  ['pretty-printed JSON', JSON.stringify(JSON.parse(plain), null, 2)],
  ['another top-level key', '{"Records":[{"eventID":"1"}],"NextToken":"x"}'],
  ['a repeated Records key', '{"Records":[{"eventID":"1"}],"Records":[{"eventID":"2"}]}'],
  ['a repeated Records key spelled with an escape', '{"Records":[{"eventID":"1"}],"Recor\\u0064s":[{"eventID":"2"},{"eventID":"3"}]}'],
  ['a repeated Records key with an escaped capital R', '{"Records":[{"eventID":"1"}],"\\u0052ecords":[{"eventID":"2"}]}'],
  ['a repeated Records key after words that end in Records', '{"Records":[{"eventName":"GetRecords","n":"PutRecords"}],"Records":[{"eventID":"2"}]}'],
  ['an event mentioning "Records" in a quoted string', '{"Records":[{"eventID":"1","requestParameters":{"k":"Records"}}]}'],
  ['an element holding an envelope of its own', '{"Records":[{"eventID":"1","value":[{"eventID":"2"}]}]}'],
  ['an element that is not an object', '{"Records":[{"eventID":"1"},2]}'],
  ['an empty Records array', '{"Records":[]}'],
  ['truncated JSON', plain.slice(0, -3)],
  ['invalid UTF-8', Buffer.concat([Buffer.from('{"Records":[{"eventID":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}]}')])],
  ['JSON lines of Records batches', '{"Records":[{"eventID":"1"}]}\n{"Records":[{"eventID":"2"}]}\n'],
];

for (const [name, input] of refused) {
  test(`a file with ${name} is left to the splitter`, () => {
    assert.equal(wholeRecordsEnvelope(Buffer.isBuffer(input) ? input : Buffer.from(input)), null);
  });
}

test('events whose names merely contain Records are parsed whole', () => {
  const text = '{"Records":[{"eventID":"1","eventName":"GetRecords"},{"eventID":"2","eventName":"PutRecordsRecords","x":"Records_"}]}';
  assert.deepEqual(wholeRecordsEnvelope(Buffer.from(text)), JSON.parse(text).Records);
});

test('escapes that cannot spell a letter do not send a file to the splitter', () => {
  const text = '{"Records":[{"eventID":"1","errorMessage":"\\u003cb\\u003e \\u00e9 \\"q\\""}]}';
  assert.deepEqual(wholeRecordsEnvelope(Buffer.from(text)), JSON.parse(text).Records);
});

test('a file larger than the record limit is left to the splitter, which refuses its records by that limit', () => {
  assert.equal(wholeRecordsEnvelope(Buffer.from(plain), plain.length - 1), null);
  assert.notEqual(wholeRecordsEnvelope(Buffer.from(plain), plain.length), null);
});

test('a file over the whole-file size is left to the splitter', () => {
  const pad = 'x'.repeat(WHOLE_FILE_MAX_BYTES);
  assert.equal(wholeRecordsEnvelope(Buffer.from(`{"Records":[{"eventID":"1","p":"${pad}"}]}`)), null);
});

test('a delivery of many pieces gives every record in order, also where a cut falls inside a record', () => {
  const record = (i: number) => ({ eventVersion: '1.08', eventID: String(i), eventName: 'GetObject', requestParameters: { key: `k${i}`.padEnd(900, '.') } });
  const records: Record<string, unknown>[] = [];
  // A nested array whose second object starts like a record, just past the first cut, where the search lands first.
  const inner = { items: [{ a: 1 }, { eventVersion: 'not a record' }] };
  const fake = '},{"eventVersion":"not a record"';
  let text = '';
  for (let i = 0; i < 300; i++) {
    records.splice(0, records.length, ...Array.from({ length: 300 }, (_, j) => record(j)));
    records[i] = { ...record(i), responseElements: inner };
    text = JSON.stringify({ Records: records });
    if (text.indexOf('},{"eventVersion":', PIECE_BYTES) === text.indexOf(fake)) break;
  }
  assert.equal(text.indexOf('},{"eventVersion":', PIECE_BYTES), text.indexOf(fake), 'the first cut falls inside a record');
  assert.ok(text.length > 4 * PIECE_BYTES);
  assert.deepEqual(wholeRecordsEnvelope(Buffer.from(text)), records);
  assert.equal(recordSpans(Buffer.from(text)).starts.length, 300, 'the splitter finds the same records when one is read');
});

test('text after the records or a damaged record in a later piece sends the file to the splitter', () => {
  const many = JSON.stringify({ Records: Array.from({ length: 200 }, (_, i) => ({ eventVersion: '1.08', eventID: String(i), p: 'y'.repeat(1000) })) });
  assert.notEqual(wholeRecordsEnvelope(Buffer.from(`${many}\n`)), null, 'trailing whitespace is still JSON');
  assert.equal(wholeRecordsEnvelope(Buffer.from(many.replace('"eventID":"150"', '"eventID":150"'))), null);
  assert.equal(wholeRecordsEnvelope(Buffer.from(`${many.slice(0, -2)}],"N":[1]}`)), null);
});
