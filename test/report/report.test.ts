// The case report and the exports: content on the sample case (every finding, every evidence hash, the analyst's
// annotation), reproducibility, escaping of hostile log content, the CSV injection prefix, streaming exports, and
// the audit log (append-only, written for imports, settings, annotations and exports).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { openCase } from '../../electron/db/connection';
import { importEvidence } from '../../electron/core/import/import-evidence';
import { runCorrelation } from '../../electron/core/correlate/run-correlation';
import { readFindings } from '../../electron/db/repos/chains-repo';
import { readAudit } from '../../electron/db/repos/audit-repo';
import { exportCase } from '../../electron/core/report/export-report';
import { EXPORT_TIME_MARKER } from '../../electron/core/report/render-html';
import { Workbench } from '../../electron/core/services/workbench';
import { PAYLOADS, hostileCase } from './hostile-case';

const root = resolve(import.meta.dirname, '..', '..');
/** The case's evidence files once each, sorted by path in byte order (as the manifest is). */
function db2Evidence(caseFile: string): { path: string; sha256: string }[] {
  const db = openCase(caseFile, { create: false });
  try {
    const rows = db.prepare('SELECT DISTINCT path, sha256 FROM evidence_sources').all() as { path: string; sha256: string }[];
    return rows.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  } finally {
    db.close();
  }
}

const withoutExportTime = (html: string) => html.split('\n').filter((l) => !l.includes(`class="${EXPORT_TIME_MARKER}"`)).join('\n');

test('the sample case report: every finding, every evidence hash, the annotation; reproducible; exports audited', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'crossline-report-'));
  const caseFile = join(dir, 'acme.crossline');
  const service = new Workbench({ dataDir: join(dir, 'data'), analyst: 'Ada <Analyst>', log: () => {} });
  try {
    const db0 = openCase(caseFile);
    await importEvidence(db0, [join(root, 'resources', 'samples', 'acme-org')], {});
    db0.close();
    await runCorrelation(caseFile, {});
    await service.handlers['case.open']({ file: caseFile });
    const findings = await service.handlers['findings.list']({});
    assert.ok(findings.length >= 3);
    const top = findings[0]!;
    const note = 'Confirmed with the vendor: not theirs. <b>escalate</b> & rotate';
    const saved = await service.handlers['annotations.save']({ target: { kind: 'finding', provider: top.provider, entryEventId: top.entry.eventId }, verdict: 'malicious', tags: ['ir-2026-11'], note, bookmarked: true });
    assert.equal(saved.analyst, 'Ada <Analyst>');
    await service.handlers['annotations.save']({ ...saved, target: saved.target, verdict: 'malicious', tags: ['ir-2026-11', 'vendor'], note, bookmarked: true });
    const extra = await service.handlers['annotations.save']({ target: { kind: 'event', provider: 'aws', eventId: 1, nativeId: 'x' }, verdict: null, tags: [], note: 'temp', bookmarked: false });
    assert.deepEqual(await service.handlers['annotations.delete']({ id: extra.id }), { deleted: true });
    assert.equal((await service.handlers['annotations.list']({})).length, 1);
    // A session of the top chain (the credential its privileged calls used), annotated: shown in that finding's section.
    const topTimeline = await service.handlers['chain.timeline']({ findingId: top.id });
    const sessionKey = topTimeline.find((t) => t.role === 'privileged')!.credentialId!;
    await service.handlers['annotations.save']({ target: { kind: 'session', provider: top.provider, sessionKey }, verdict: 'malicious', tags: [], note: 'Session <i>of the intruder</i>', bookmarked: false });

    const out1 = join(dir, 'r1.html');
    const out2 = join(dir, 'r2.html');
    await service.handlers['report.export']({ format: 'html', out: out1 });
    await service.handlers['report.export']({ format: 'html', out: out2 });
    const html1 = readFileSync(out1, 'utf8');
    const html2 = readFileSync(out2, 'utf8');
    assert.equal(html1.split('\n').filter((l) => l.includes(`class="${EXPORT_TIME_MARKER}"`)).length, 1, 'one marked export-time line');
    assert.equal(withoutExportTime(html1), withoutExportTime(html2), 'two exports differ only in the export time');

    for (const f of findings) {
      assert.ok(html1.includes(`id="finding-${f.id}"`), `finding ${f.id} has a section`);
      assert.ok(html1.includes(f.entry.eventId), `finding ${f.id}'s entry event id`);
      for (const p of f.privilegedEventIds) assert.ok(html1.includes(p), `privileged event ${p}`);
    }
    const db = openCase(caseFile, { create: false });
    const hashes = db.prepare('SELECT DISTINCT sha256 FROM evidence_sources').all() as { sha256: string }[];
    db.close();
    assert.ok(hashes.length > 1000);
    for (const { sha256 } of hashes) assert.ok(html1.includes(sha256), `evidence hash ${sha256}`);
    // Thousands of files: folded in a <details> (left out of print), with folder groups and a manifest digest that
    // anyone can recompute as sha256sum-style lines sorted by path.
    const rowsOfEvidence = db2Evidence(caseFile);
    const manifest = rowsOfEvidence.map((e) => `${e.sha256}  ${e.path}\n`).join('');
    assert.ok(html1.includes(createHash('sha256').update(manifest).digest('hex')), 'the manifest SHA-256');
    assert.ok(html1.includes('<details class="evidence-list">'), 'the per-file list is folded');
    const groupTable = html1.slice(html1.indexOf('<h2 id="evidence">'), html1.indexOf('<details class="evidence-list">'));
    const groupRows = groupTable.match(/<tr><td class="mono">/g)?.length ?? 0;
    assert.ok(groupRows >= 1 && groupRows <= 40, `${groupRows} folder groups`);
    const findingSection = html1.slice(html1.indexOf(`id="finding-${top.id}"`), html1.indexOf('</section>', html1.indexOf(`id="finding-${top.id}"`)));
    assert.ok(findingSection.includes('Session annotations') && findingSection.includes(sessionKey) && findingSection.includes('Session &lt;i&gt;of the intruder&lt;/i&gt;'));
    const markedRows = findingSection.match(/title="session annotation">malicious</g)?.length ?? 0;
    assert.equal(markedRows, topTimeline.filter((t) => t.credentialId === sessionKey).length, 'every timeline row made with that credential is marked');
    assert.ok(html1.includes('Confirmed with the vendor: not theirs. &lt;b&gt;escalate&lt;/b&gt; &amp; rotate'), 'the note, escaped');
    assert.ok(html1.includes('verdict-malicious'));
    assert.ok(html1.includes('T1199') && html1.includes('T1078.004'), 'ATT&CK mapping');
    assert.ok(/<svg class="map"[^>]*viewBox=/.test(html1), 'an inline SVG map');
    assert.ok(html1.includes('AN1348') && html1.includes('CC BY 4.0'), 'method: definition and licences');
    assert.ok(!/<script/i.test(html1), 'no script');
    assert.ok(!/(src|href)="(https?:)?\/\//i.test(html1), 'no external resources');
    assert.ok(html1.includes('Ada &lt;Analyst&gt;'), 'the analyst in the audit log, escaped');

    const audit = await service.handlers['audit.list']({});
    assert.deepEqual(audit.map((a) => a.action), ['annotation.add', 'annotation.edit', 'annotation.add', 'annotation.delete', 'annotation.add', 'export', 'export']);
    assert.equal((audit[1]!.details.before as { tags: string[] }).tags.join(), 'ir-2026-11');

    // JSON and CSV of the findings: all of them, with the annotation.
    const json = join(dir, 'f.json');
    await service.handlers['report.export']({ format: 'json', out: json });
    const parsed = JSON.parse(readFileSync(json, 'utf8')) as { id: number; annotation: { note: string } | null }[];
    assert.equal(parsed.length, findings.length);
    assert.equal(parsed.find((f) => f.id === top.id)!.annotation!.note, note);
    const csv = join(dir, 'f.csv');
    const r = await service.handlers['report.export']({ format: 'csv', what: 'findings', out: csv });
    assert.equal(r.rows, findings.length);
    assert.equal(readFileSync(csv, 'utf8').trimEnd().split('\r\n').length, findings.length + 1);
    // A relative path would land in the app's own working folder, out of sight: refused, nothing written.
    await assert.rejects(service.handlers['report.export']({ format: 'csv', what: 'findings', out: 'relative-export.csv' }), /Give the export a full path .*relative-export\.csv/);
    assert.equal(existsSync(resolve('relative-export.csv')), false);

    // Timeline and an explorer view, streamed.
    const tl = join(dir, 't.csv');
    const t = await service.handlers['report.export']({ format: 'csv', what: 'timeline', findingId: top.id, out: tl });
    assert.equal(t.rows, (await service.handlers['chain.timeline']({ findingId: top.id })).length);
    const ev = join(dir, 'e.json');
    const e = await service.handlers['report.export']({ format: 'json', what: 'events', filter: { action: 'AssumeRole' }, out: ev });
    const events = JSON.parse(readFileSync(ev, 'utf8')) as { action: string }[];
    assert.equal(events.length, e.rows);
    assert.ok(events.length > 10 && events.every((x) => x.action === 'AssumeRole'));

    // The evidence list: every file once, with size and SHA-256.
    const evCsv = join(dir, 'evidence.csv');
    const ex = await service.handlers['report.export']({ format: 'csv', what: 'evidence', out: evCsv });
    const evLines = readFileSync(evCsv, 'utf8').trimEnd().split('\r\n');
    assert.equal(evLines[0], 'path,size,sha256,format,events,complete,duplicates,skipped,errors,given,archive,outOfScope,unreadable');
    assert.equal(ex.rows, rowsOfEvidence.length);
    assert.equal(evLines.length, rowsOfEvidence.length + 1);
    assert.ok(evLines.slice(1).every((l) => /,[0-9a-f]{64},/.test(l)));
  } finally {
    await service.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('hostile log content is escaped in the report; CSV cells that could be formulas are prefixed; exports stream', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'crossline-hostile-'));
  const caseFile = join(dir, 'hostile.crossline');
  try {
    const { dir: evidenceDir } = await hostileCase(caseFile);
    const db = openCase(caseFile, { create: false });
    try {
      const findings = readFindings(db);
      assert.equal(findings.length, 1, 'the hostile chain is a finding');
      const out = join(dir, 'r.html');
      exportCase(db, caseFile, { format: 'html', what: 'report', out, analyst: 'a' });
      const html = readFileSync(out, 'utf8');
      assert.ok(!/<script/i.test(html), 'no <script anywhere');
      assert.ok(!/<img/i.test(html), 'no <img anywhere');
      assert.ok(!/<[^>]*\son[a-z]+=/i.test(html), 'no on* attribute in any tag');
      assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), 'the script payload shows as text');
      assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'), 'the img payload shows as text');
      assert.ok(html.includes('&quot;&gt;&lt;svg onload=alert(1)&gt;'), 'the svg payload shows as text');
      assert.ok(html.includes('curl/8.4 ⟦U+202E⟧live') && !html.includes('\u202E'), 'a right-to-left override is shown by its code point');
      // The raw record appendix carries the request parameters as JSON text, escaped.
      assert.ok(html.includes('\\&quot;&gt;&lt;svg onload=alert(1)&gt;') || html.includes('&quot;&gt;&lt;svg onload=alert(1)&gt;'));

      const csv = join(dir, 'events.csv');
      const r = exportCase(db, caseFile, { format: 'csv', what: 'events', filter: {}, out: csv, analyst: 'a', pageSize: 7 });
      const text = readFileSync(csv, 'utf8');
      const lines = text.trimEnd().split('\r\n');
      assert.equal(lines.length, r.rows + 1);
      const total = (db.prepare('SELECT count(*) n FROM events').get() as { n: number }).n;
      assert.equal(r.rows, total, 'every event, read 7 at a time');
      assert.ok(text.includes(`"'=HYPERLINK(""http://evil.example"",""x"")"`), 'the formula is prefixed with a quote');
      assert.ok(!/(^|,)"?=HYPERLINK/m.test(text), 'no cell starts with =');
    } finally {
      db.close();
    }
    rmSync(evidenceDir, { recursive: true, force: true });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the audit log is append-only: UPDATE and DELETE are refused', () => {
  const dir = mkdtempSync(join(tmpdir(), 'crossline-audit-'));
  try {
    const db = openCase(join(dir, 'a.crossline'));
    db.prepare("INSERT INTO audit_log (time_ms, analyst, action, details) VALUES (1, 'a', 'import', '{}')").run();
    assert.throws(() => db.prepare("UPDATE audit_log SET analyst = 'b'").run(), /append-only/);
    assert.throws(() => db.prepare('DELETE FROM audit_log').run(), /append-only/);
    assert.equal(readAudit(db).length, 1);
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('crossline report: html, csv with filter flags, pdf through Chromium or a clear refusal; settings and import audited', () => {
  const dir = mkdtempSync(join(tmpdir(), 'crossline-cli-report-'));
  const cli = (args: string[], env: Record<string, string> = {}) =>
    spawnSync(process.execPath, [join(root, 'bin', 'crossline.mjs'), ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  try {
    const caseFile = join(dir, 'c.crossline');
    const evidence = join(root, 'resources', 'samples', 'acme-org', 'AWSLogs');
    assert.equal(cli(['import', caseFile, evidence, '--quiet', '--analyst', 'cli analyst']).status, 0);
    assert.equal(cli(['settings', caseFile, '--window', '90'], { CROSSLINE_ANALYST: 'env analyst' }).status, 0);
    const html = join(dir, 'r.html');
    const r = cli(['report', caseFile, '--format', 'html', '--out', html]);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(readFileSync(html, 'utf8').includes('90 minutes after the entry'));
    assert.doesNotMatch(readFileSync(html, 'utf8'), /this report is an extract/);
    // The method says how a score is made and whose list names the vendors.
    assert.match(readFileSync(html, 'utf8'), /<th>scoring<\/th><td>0–100: 20 for the entry, up to 40 for the privileged calls/);
    assert.match(readFileSync(html, 'utf8'), /<th>known vendor accounts<\/th><td><code>fwdcloudsec\/known_aws_accounts@[0-9a-f]{40}<\/code> \(https:\/\/github.com\/fwdcloudsec\/known_aws_accounts\)/);
    const one = join(dir, 'one.html');
    assert.equal(cli(['report', caseFile, '--format', 'html', '--finding', '1', '--out', one]).status, 0);
    assert.match(readFileSync(one, 'utf8'), /<td>1 of [2-9] in the case \(this report is an extract\):/, 'a one-finding report says it is an extract');
    const csv = join(dir, 'e.csv');
    const c = cli(['report', caseFile, '--format', 'csv', '--what', 'events', '--action', 'AssumeRole', '--out', csv]);
    assert.equal(c.status, 0, c.stderr);
    const rows = readFileSync(csv, 'utf8').trimEnd().split('\r\n');
    assert.ok(rows.length > 2 && rows.slice(1).every((l) => l.includes(',AssumeRole,')));
    assert.equal(cli(['report', caseFile, '--format', 'docx', '--out', csv]).status, 2);
    assert.equal(cli(['report', caseFile, '--format', 'html', '--out', caseFile]).status, 2, 'never over a case file');
    assert.equal(cli(['report', caseFile, '--format', 'csv', '--what', 'timeline', '--out', csv]).status, 2, 'a timeline needs --finding');
    // A filter the export would not apply is refused by name, never silently dropped (nor recorded as applied).
    const ignored = cli(['report', caseFile, '--format', 'csv', '--what', 'findings', '--country', 'XX', '--source-ip', '1.2.3.4', '--out', csv]);
    assert.equal(ignored.status, 2);
    assert.match(ignored.stderr, /--source-ip, --country: the findings export is not filtered; the event filters apply to --what events/);
    const timeline = cli(['report', caseFile, '--format', 'csv', '--what', 'timeline', '--finding', '1', '--action', 'AssumeRole', '--out', csv]);
    assert.match(timeline.stderr, /--action: a timeline export is filtered by time only/);
    const missing = cli(['report', caseFile, '--format', 'pdf', '--out', join(dir, 'r.pdf')], { CROSSLINE_CHROMIUM: join(dir, 'no-such-chromium') });
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /PDF export needs Chromium .*use --format html and print it/);
    const db = openCase(caseFile, { create: false });
    const audit = readAudit(db);
    db.close();
    assert.deepEqual(audit.map((a) => `${a.action} ${a.analyst}`), ['import cli analyst', 'settings.change env analyst', ...[1, 2, 3].map(() => `export ${audit[2]!.analyst}`)]);
    assert.equal((audit[1]!.details.after as { windowMinutes: number }).windowMinutes, 90);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
