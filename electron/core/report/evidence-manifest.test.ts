import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { groupEvidence, manifestSha256, manifestText, type ManifestItem } from './evidence-manifest';

const item = (path: string, n: number, complete = true): ManifestItem => ({ path, size: 100 * n, sha256: createHash('sha256').update(path).digest('hex'), events: n, complete });

test('the manifest is sha256sum lines sorted by path, and its digest is theirs', () => {
  const items = [item('/e/b.json', 1), item('/e/a.json', 2), item('/e/z.zip!/m/c.json', 3)];
  const text = manifestText(items);
  assert.deepEqual(text.split('\n').slice(0, -1).map((l) => l.split('  ')[1]), ['/e/a.json', '/e/b.json', '/e/z.zip!/m/c.json']);
  assert.match(text, /^[0-9a-f]{64} {2}\/e\/a\.json\n/);
  assert.equal(manifestSha256(items), createHash('sha256').update(text).digest('hex'));
});

test('groups go as deep as the folders allow while staying under the cap, with counts and a digest each', () => {
  const items: ManifestItem[] = [];
  for (const account of ['111', '222']) {
    for (const region of ['eu-west-1', 'us-east-1', 'ap-south-1']) {
      for (let day = 1; day <= 30; day++) items.push(item(`/cases/x/AWSLogs/${account}/CloudTrail/${region}/2026/10/${String(day).padStart(2, '0')}/f.json.gz`, 1, day !== 7));
    }
  }
  const groups = groupEvidence(items, 10);
  // Account × region is 6 groups; a level deeper (year) is still 6; month 6; day would be 180.
  assert.equal(groups.length, 6);
  assert.deepEqual(groups.map((g) => g.prefix).slice(0, 2), ['/cases/x/AWSLogs/111/CloudTrail/ap-south-1/2026/10', '/cases/x/AWSLogs/111/CloudTrail/eu-west-1/2026/10']);
  assert.ok(groups.every((g) => g.files === 30 && g.events === 30 && g.bytes === 3000 && g.incomplete === 1));
  const first = items.filter((i) => i.path.startsWith(`${groups[0]!.prefix}/`));
  assert.equal(groups[0]!.manifestSha256, manifestSha256(first));
  // A tighter cap stops at the deepest level with one group per account.
  assert.deepEqual(groupEvidence(items, 3).map((g) => [g.prefix, g.files]), [['/cases/x/AWSLogs/111/CloudTrail', 90], ['/cases/x/AWSLogs/222/CloudTrail', 90]]);
  assert.deepEqual(groupEvidence([]), []);
  // Prefixes keep the paths' own separators (Windows folders, archive members), so they match the files' paths.
  const mixed = [item('C:\\ev\\a.zip!/AWSLogs/1/x.json', 1), item('C:\\ev\\a.zip!/AWSLogs/2/y.json', 1), item('C:\\ev\\b.json', 1)];
  const g = groupEvidence(mixed, 2);
  assert.deepEqual(g.map((x) => [x.prefix, x.files]), [['C:\\ev', 1], ['C:\\ev\\a.zip!/AWSLogs', 2]]);
  assert.ok(g.every((x) => mixed.filter((i) => i.path.startsWith(x.prefix)).length >= x.files));
  assert.deepEqual(groupEvidence([item('one.json', 1)]).map((g) => g.prefix), ['.']);
});

test("a group's bytes are what was given (an archive's, not its members' again), its archives counted apart", () => {
  const zip = { ...item('/e/x.zip', 0), size: 500, archive: true };
  const members = [1, 2].map((n) => ({ ...item(`/e/x.zip!/m${n}.json`, n), given: false, outOfScope: n, unreadable: 1 }));
  const [group] = groupEvidence([zip, ...members], 1);
  assert.deepEqual([group!.files, group!.archives, group!.bytes, group!.events, group!.outOfScope, group!.unreadable], [2, 1, 500, 3, 3, 2]);
});
