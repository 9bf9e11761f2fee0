import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JsonRecordSplitter, type RecordPosition } from './json-record-splitter';

function split(input: string | Buffer, chunkSize = Infinity, max?: number) {
  const records: { text: string; at: RecordPosition }[] = [];
  const problems: { at: RecordPosition | null; reason: string }[] = [];
  const s = new JsonRecordSplitter(
    { record: (b, at) => records.push({ text: b.toString('utf8'), at }), problem: (at, reason) => problems.push({ at, reason }) },
    max,
  );
  const buf = Buffer.isBuffer(input) ? input : Buffer.from(input);
  const step = Number.isFinite(chunkSize) ? chunkSize : buf.length || 1;
  for (let i = 0; i < buf.length; i += step) s.push(buf.subarray(i, i + step));
  s.end();
  return { records, problems, envelope: s.envelope };
}

const cases: [string, string, string[]][] = [
  ['JSON lines', '{"a":1}\n{"b":"x}"}\n', ['{"a":1}', '{"b":"x}"}']],
  ['bare array', '[ {"a":1} , {"b":[1,2]} ]', ['{"a":1}', '{"b":[1,2]}']],
  ['single object', '{"eventID":"e1","resources":[{"x":1}]}', ['{"eventID":"e1","resources":[{"x":1}]}']],
  ['Records envelope', '{"Records":[{"eventID":"1"},{"eventID":"2"}]}', ['{"eventID":"1"}', '{"eventID":"2"}']],
  ['JSON lines of Records batches', '{"Records":[{"a":1}]}\n{"Records":[{"a":2},{"a":3}]}\n', ['{"a":1}', '{"a":2}', '{"a":3}']],
  ['array of envelopes', '[{"Records":[{"a":1}]},{"Records":[{"a":2}]}]', ['{"a":1}', '{"a":2}']],
  ['lookup-events Events envelope', '{"Events":[{"EventId":"x","CloudTrailEvent":"{\\"a\\":\\"]}\\"}"}],"NextToken":"t"}', ['{"EventId":"x","CloudTrailEvent":"{\\"a\\":\\"]}\\"}"}']],
  ['escaped quotes and backslashes', '{"k":"a\\\\"}\n{"k":"b\\"}"}', ['{"k":"a\\\\"}', '{"k":"b\\"}"}']],
];

for (const [name, input, expected] of cases) {
  test(`splits ${name} into verbatim records, whole and byte by byte`, () => {
    for (const chunk of [Infinity, 1, 3, 7]) {
      const { records, problems } = split(input, chunk);
      assert.deepEqual(problems, [], `chunk ${chunk}`);
      assert.deepEqual(records.map((r) => r.text), expected, `chunk ${chunk}`);
    }
  });
}

test('reports the envelope key it saw', () => {
  assert.equal(split('{"Records":[{"a":1}]}').envelope, 'Records');
  assert.equal(split('{"value":[{"a":1}]}').envelope, 'value');
  assert.equal(split('{"a":1}').envelope, null);
});

test('positions give line, ordinal and byte offset of each record', () => {
  const { records } = split('{"a":1}\n\n  {"b":2}\n');
  assert.deepEqual(records.map((r) => r.at), [
    { ordinal: 0, line: 1, offset: 0 },
    { ordinal: 1, line: 3, offset: 11 },
  ]);
});

test('a truncated file yields the complete records and one truncation problem', () => {
  const { records, problems } = split('{"Records":[{"a":1},{"b":');
  assert.deepEqual(records.map((r) => r.text), ['{"a":1}']);
  assert.equal(problems.length, 1);
  assert.match(problems[0]!.reason, /truncated/);
});

test('an oversized record is refused without being held, and the next one still arrives', () => {
  const big = `{"x":"${'a'.repeat(5000)}"}`;
  const { records, problems } = split(`{"a":1}\n${big}\n{"b":2}\n`, 512, 1024);
  assert.deepEqual(records.map((r) => r.text), ['{"a":1}', '{"b":2}']);
  assert.equal(problems.length, 1);
  assert.match(problems[0]!.reason, /larger than/);
  assert.equal(problems[0]!.at?.line, 2);
});

test('an oversized bare value (a junk line) gives one problem, not one per chunk', () => {
  const { records, problems } = split(`${'z'.repeat(10000)}\n{"b":2}\n`, 100, 1024);
  assert.deepEqual(records.map((r) => r.text), ['{"b":2}']);
  assert.equal(problems.length, 1);
});

test('invalid UTF-8 inside a record refuses that record only', () => {
  const bad = Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}\n{"b":1}\n')]);
  const { records, problems } = split(bad);
  assert.deepEqual(records.map((r) => r.text), ['{"b":1}']);
  assert.match(problems[0]!.reason, /invalid UTF-8/);
});

test('a UTF-8 byte order mark is ignored', () => {
  const { records } = split(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('[{"a":1}]')]));
  assert.deepEqual(records.map((r) => r.text), ['{"a":1}']);
});

test('a stray closing bracket is reported', () => {
  const { problems } = split('{"a":1}}\n');
  assert.match(problems[0]!.reason, /unexpected '}'/);
});
