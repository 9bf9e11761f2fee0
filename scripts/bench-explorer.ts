// Explorer benchmark (a script, not a timed test): keyset pages and histograms of the event explorer for
// typical filters on a large case, through the same repo the app uses. Target: every page under 100 ms.
// Build the case once with `npx tsx scripts/bench-import.ts --events 1000000 --keep` (about 2 minutes), then:
//   npx tsx scripts/bench-explorer.ts [--case .bench/bench-1000000.crossline] [--limit 200] [--pages 5]
// The first run migrates the case (new indexes) and, when its IP table is empty, correlates it once.
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { EventFilter } from '../shared/ipc/contract';
import { openCase } from '../electron/db/connection';
import { EventQueries } from '../electron/db/repos/workbench-repo';
import { runCorrelation } from '../electron/core/correlate/run-correlation';

const { values } = parseArgs({
  options: {
    case: { type: 'string', default: '.bench/bench-1000000.crossline' },
    limit: { type: 'string', default: '200' },
    pages: { type: 'string', default: '5' },
  },
});
const caseFile = values.case!;
const limit = Number(values.limit);
const pages = Number(values.pages);
if (!existsSync(caseFile)) {
  console.error(`${caseFile} does not exist: build it with npx tsx scripts/bench-import.ts --events 1000000 --keep`);
  process.exit(2);
}

let t = performance.now();
let db = openCase(caseFile, { create: false });
console.error(`opened (migrations and indexes ensured) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
const located = db.prepare('SELECT count(*) FROM ip_geo').pluck().get() as number;
if (located === 0) {
  db.close();
  t = performance.now();
  await runCorrelation(caseFile);
  console.error(`correlated (fills the IP table) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  db = openCase(caseFile, { create: false });
}
db.pragma('cache_size = -65536'); // as the app's connection

// Filter values picked from the case itself, so the script fits any generated case.
const one = <T>(sql: string) => db.prepare(sql).pluck().get() as T;
const commonAction = one<string>('SELECT s.value FROM events e JOIN strings s ON s.id = e.action_sid GROUP BY e.action_sid ORDER BY count(*) DESC LIMIT 1');
const rareAction = one<string>("SELECT value FROM strings WHERE value IN ('CreateAccessKey', 'StopLogging', 'PutBucketPolicy') LIMIT 1") ?? commonAction;
const commonIp = one<string>('SELECT source_ip FROM events WHERE source_ip IS NOT NULL GROUP BY source_ip ORDER BY count(*) DESC LIMIT 1');
const rareIp = one<string>('SELECT source_ip FROM events WHERE source_ip IS NOT NULL GROUP BY source_ip ORDER BY count(*) LIMIT 1');
const countries = db.prepare('SELECT g.country, count(*) n FROM events e JOIN ip_geo g ON g.ip = e.source_ip WHERE g.country IS NOT NULL GROUP BY 1 ORDER BY n DESC').all() as { country: string; n: number }[];
const mid = countries.find((c) => c.n < 50_000 && c.n > 5_000)?.country ?? countries[1]?.country;
const topAsn = one<number>('SELECT g.asn FROM events e JOIN ip_geo g ON g.ip = e.source_ip WHERE g.asn IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1');
const ownAccount = one<string>('SELECT account FROM case_accounts LIMIT 1');
const outsideAccount = one<string>('SELECT principal_account FROM events WHERE principal_account NOT IN (SELECT account FROM case_accounts) GROUP BY 1 ORDER BY count(*) LIMIT 1');
const topPrincipal = one<string>('SELECT s.value FROM events e JOIN strings s ON s.id = e.principal_name_sid GROUP BY e.principal_name_sid ORDER BY count(*) DESC LIMIT 1');
const span = db.prepare('SELECT (SELECT min(time_ms) FROM events) lo, (SELECT max(time_ms) FROM events) hi').get() as { lo: number; hi: number };
const midDay = span.lo + Math.floor((span.hi - span.lo) / 2);

const filters: [string, EventFilter][] = [
  ['no filter', {}],
  ['one hour', { fromMs: midDay, toMs: midDay + 3_600_000 }],
  [`action ${commonAction} (most common)`, { action: commonAction }],
  [`action ${rareAction} (rare)`, { action: rareAction }],
  [`source IP ${commonIp} (busiest)`, { sourceIp: commonIp }],
  [`source IP ${rareIp} (rarest)`, { sourceIp: rareIp }],
  [`country ${countries[0]?.country} (most common)`, { country: countries[0]?.country }],
  [`country ${mid} (mid)`, { country: mid }],
  [`country ${countries.at(-1)?.country} (rarest)`, { country: countries.at(-1)?.country }],
  [`ASN ${topAsn}`, { asn: topAsn }],
  [`account ${ownAccount} (the organisation's)`, { account: ownAccount }],
  [`account ${outsideAccount} (outside)`, { account: outsideAccount }],
  ['principal (busiest)', { principal: topPrincipal }],
  ['outcome failure', { outcome: 'failure' }],
  ['text "Describe"', { text: 'Describe' }],
  [`text "${rareIp}"`, { text: rareIp }],
  [`action ${commonAction} + country ${countries[0]?.country}`, { action: commonAction, country: countries[0]?.country }],
  [`action ${commonAction} + country ${mid}`, { action: commonAction, country: mid }],
  [`outcome failure + country ${countries[1]?.country}`, { outcome: 'failure', country: countries[1]?.country }],
  [`account ${ownAccount} + failure + one day`, { account: ownAccount, outcome: 'failure', fromMs: midDay, toMs: midDay + 86_400_000 }],
  [`action ${commonAction} + source IP ${commonIp} (worst case: two busy filters)`, { action: commonAction, sourceIp: commonIp }],
];

const events = one<number>('SELECT count(*) FROM events');
console.log(`${caseFile}: ${events.toLocaleString('en-US')} events; pages of ${limit}, ${pages} per filter (ms: first page on a fresh connection, then the next pages)`);
console.log(`${'filter'.padEnd(58)} ${'pages (ms)'.padEnd(40)} ${'rows'.padStart(6)}  histogram  plan`);
let worst = 0;
for (const [label, filter] of filters) {
  // A fresh connection per filter: the first page pays for an empty SQLite page cache, as after opening a case.
  const conn = openCase(caseFile, { create: false, readonly: true });
  conn.pragma('cache_size = -65536');
  const q = new EventQueries(conn);
  const times: number[] = [];
  let after: { timeMs: number; id: number } | undefined;
  let rows = 0;
  let plan = '';
  for (let p = 0; p < pages; p++) {
    const s = performance.now();
    const page = q.page(filter, after, limit);
    times.push(performance.now() - s);
    rows += page.rows.length;
    plan ||= page.plan;
    if (!page.hasMore) break;
    const last = page.rows.at(-1)!;
    after = { timeMs: last.timeMs, id: last.id };
  }
  const s = performance.now();
  const h = q.histogram(filter, 120);
  const hMs = performance.now() - s;
  conn.close();
  worst = Math.max(worst, ...times);
  const total = h.counts.reduce((a, b) => a + b, 0);
  console.log(`${label.slice(0, 58).padEnd(58)} ${times.map((x) => x.toFixed(1)).join(' ').padEnd(40)} ${String(rows).padStart(6)}  ${hMs.toFixed(0).padStart(5)} ms  ${plan} [${total.toLocaleString('en-US')} matches]`);
}
console.log(`slowest page: ${worst.toFixed(1)} ms (target < 100 ms)`);
db.close();
