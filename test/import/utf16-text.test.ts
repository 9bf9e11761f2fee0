// Exports saved as UTF-16 import as their text. Windows PowerShell 5.1 writes UTF-16 whenever output is redirected
// (`az monitor activity-log list > activity.json`, `ConvertTo-Json | Out-File`, `Export-Csv -Encoding Unicode`), so a
// responder on a Windows jump host hands over UTF-16 files as often as UTF-8 ones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  cloudTrailRecord, consoleCsv, importInto, jsonLines, sha256, sourceEndingWith, storedEvents, tempDir, writeEvidence, type CloudTrailRecord,
} from '../support/evidence-fixtures';
import { AzureScenario, people } from '../support/azure-scenario';

const BOM_LE = Buffer.from([0xff, 0xfe]);

function utf16be(text: string): Buffer {
  return Buffer.from(text, 'utf16le').swap16();
}

test('an az CLI activity log redirected by Windows PowerShell 5.1 (UTF-16LE, byte order mark, CRLF) imports as its text', async () => {
  const s = new AzureScenario();
  const { token } = s.signIn({ at: s.t0, who: people.pat, ip: '203.0.113.77' });
  s.call({ at: s.t0 + 60_000, token, op: 'Microsoft.Authorization/roleAssignments/write' });
  s.call({ at: s.t0 + 120_000, token, op: 'Microsoft.Storage/storageAccounts/listKeys/action' });
  const pretty = JSON.stringify(s.activity, null, 2).replace(/\n/g, '\r\n');
  const bytes = Buffer.concat([BOM_LE, Buffer.from(pretty, 'utf16le')]);
  const file = writeEvidence(tempDir(), 'jumphost/activity.json', bytes);

  const { db, result } = await importInto([file]);

  assert.deepEqual(result.problems, []);
  const source = sourceEndingWith(db, 'activity.json');
  assert.equal(source.format, 'azure-activity:array:utf-16le', 'the format says the file was UTF-16');
  assert.equal(source.sha256, sha256(bytes), 'the hash is of the file as given, not of its text');
  const rows = storedEvents(db);
  assert.equal(rows.length, s.activity.length);
  const grant = rows.find((r) => r.action === 'Microsoft.Authorization/roleAssignments/write' && r.outcome === 'success');
  assert.ok(grant, 'the role assignment is stored with its action');
  assert.equal(grant.source_ip, '203.0.113.77');
  const record = s.activity.find((a) => a.eventDataId === grant.native_id)!;
  // The raw record is the element's text as the file holds it: indented, CRLF line ends, in UTF-8.
  assert.equal(grant.raw, JSON.stringify(record, null, 2).split('\n').join('\r\n  '));
});

test('UTF-16BE JSON lines without a byte order mark keep characters beyond the BMP, even split between read chunks', async () => {
  // Over the small-file limit, so the file is read in 1 MiB chunks; one emoji's surrogate pair straddles the first
  // chunk boundary, and every record's user agent holds more of them.
  const agent = 'aws-cli/2.15.0 \u{1F480}\u{1F9E8} Python/3.11.6';
  const records: CloudTrailRecord[] = [];
  for (let i = 0; i < 2400; i++) records.push(cloudTrailRecord({ userAgent: `${agent} #${i}` }));
  let text = jsonLines(records);
  const boundary = 1024 * 1024;
  const firstEmoji = text.indexOf('\u{1F480}', boundary / 2 - 3000);
  // Pad the first line (JSON allows whitespace after a record) so that emoji's pair starts 2 bytes before the boundary.
  const pad = boundary / 2 - 1 - firstEmoji;
  assert.ok(pad >= 0 && pad < 3000, `pad ${pad}`);
  const firstLineEnd = text.indexOf('\n');
  text = `${text.slice(0, firstLineEnd)}${' '.repeat(pad)}${text.slice(firstLineEnd)}`;
  const bytes = utf16be(text);
  assert.equal(bytes.readUInt16BE(boundary - 2), 0xd83d, 'a high surrogate ends the first chunk');
  const file = writeEvidence(tempDir(), 'export/events.jsonl', bytes);

  const { db, result } = await importInto([file]);

  assert.deepEqual(result.problems, []);
  assert.equal(sourceEndingWith(db, 'events.jsonl').format, 'cloudtrail:lines:utf-16be');
  const rows = storedEvents(db);
  assert.equal(rows.length, records.length);
  const byId = new Map(rows.map((r) => [r.native_id, r]));
  for (const [i, r] of records.entries()) {
    const row = byId.get(String(r.eventID))!;
    assert.equal(row.user_agent, `${agent} #${i}`);
    assert.equal(row.raw, JSON.stringify(r));
  }
});

test('a console Event history CSV saved as UTF-16LE (Export-Csv -Encoding Unicode) imports its rows', async () => {
  const records = [cloudTrailRecord({ eventName: 'CreateAccessKey', sourceIPAddress: '198.51.100.23' }), cloudTrailRecord()];
  const { text, lines } = consoleCsv(records);
  const file = writeEvidence(tempDir(), 'event_history.csv', Buffer.concat([BOM_LE, Buffer.from(text, 'utf16le')]));

  const { db, result } = await importInto([file]);

  assert.deepEqual(result.problems, []);
  assert.equal(sourceEndingWith(db, 'event_history.csv').format, 'cloudtrail:csv:utf-16le');
  const row = storedEvents(db).find((r) => r.native_id === records[0]!.eventID)!;
  assert.equal(row.action, 'CreateAccessKey');
  assert.equal(row.source_ip, '198.51.100.23');
  assert.equal(row.raw, lines[0]);
});

test('UTF-16 that breaks off (an unpaired surrogate, an odd last byte) keeps the records before it and says where', async () => {
  const dir = tempDir();
  const records = [cloudTrailRecord(), cloudTrailRecord(), cloudTrailRecord({ userAgent: 'LONE' }), cloudTrailRecord()];
  const text = jsonLines(records).replace('LONE', '\ud83d'); // a high surrogate with no pair: no text can hold it
  const broken = writeEvidence(dir, 'broken.jsonl', Buffer.concat([BOM_LE, Buffer.from(text, 'utf16le')]));
  const whole = [cloudTrailRecord()];
  const odd = writeEvidence(dir, 'odd.json', Buffer.concat([BOM_LE, Buffer.from(JSON.stringify(whole), 'utf16le'), Buffer.from([0x0a])]));

  const { db, result } = await importInto([dir]);

  const stored = new Set(storedEvents(db).map((r) => r.native_id));
  assert.ok(stored.has(String(records[0]!.eventID)) && stored.has(String(records[1]!.eventID)), 'the records before the damage');
  assert.ok(!stored.has(String(records[2]!.eventID)) && !stored.has(String(records[3]!.eventID)), 'nothing from the damage on');
  const at = 2 + 2 * text.indexOf('\ud83d');
  assert.deepEqual(
    result.problems.filter((p) => p.file === broken).map((p) => p.reason),
    [`invalid UTF-16LE text: an unpaired surrogate at byte ${at} of the text; records before it were kept`],
  );
  assert.ok(stored.has(String(whole[0]!.eventID)), 'a whole record before an odd last byte');
  assert.deepEqual(
    result.problems.filter((p) => p.file === odd).map((p) => p.reason),
    ['invalid UTF-16LE text: it ends in half a character (an odd number of bytes); records before it were kept'],
  );
  assert.equal(readFileSync(broken).length % 2, 0);
});
