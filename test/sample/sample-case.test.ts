// The bundled sample case (resources/samples/acme-org, made by scripts/generate-sample.ts) analysed end to end
// through the CLI: the planted AN1348 chains of its ground truth file are found, exactly, and nothing else is high.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';

const root = resolve(import.meta.dirname, '..', '..');
const truth = JSON.parse(readFileSync(join(root, 'resources', 'samples', 'acme-org.truth.json'), 'utf8')) as {
  chains: { name: string; kind?: string; entryEventId: string; assumeEventIds: string[]; privilegedEventIds: string[]; eventIds: string[] }[];
};

/** Runs the real `crossline` command; stdout must be exactly one JSON document. */
async function analyzeJson(args: string[]): Promise<{ code: number; out: any }> {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'crossline.mjs'), ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  return { code: r.status ?? -1, out: JSON.parse(r.stdout) };
}

test('crossline analyze --json on the sample case finds exactly the planted chains', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'crossline-sample-'));
  try {
    const { code, out } = await analyzeJson(['analyze', join(root, 'resources', 'samples', 'acme-org'), '--case', join(dir, 'acme.crossline'), '--json']);
    assert.equal(code, 0);
    assert.ok(out.stats.events > 10000, `${out.stats.events} events`);
    assert.equal(out.stats.errors, 0);
    assert.ok(out.stats.skipped > 0, 'digest files are skipped and counted');
    const planted = truth.chains.filter((c) => c.kind !== 'near-miss');
    assert.ok(planted.length >= 3);
    for (const c of planted) {
      const f = out.findings.find((x: any) => x.entry.eventId === c.entryEventId || x.assumeEventIds.includes(c.entryEventId));
      assert.ok(f, `planted chain ${c.name} is found`);
      assert.ok(f.severity === 'critical' || f.severity === 'high', `${c.name}: ${f.severity}`);
      assert.deepEqual([...f.privilegedEventIds].sort(), [...c.privilegedEventIds].sort(), `${c.name}: privileged calls`);
      assert.deepEqual([...f.assumeEventIds].sort(), [...c.assumeEventIds].sort(), `${c.name}: role assumptions`);
      for (const r of ['entry', 'privileged', 'unfamiliar']) assert.equal(f.conditions[r], true, `${c.name}: ${r}`);
    }
    const high = out.findings.filter((f: any) => f.severity === 'critical' || f.severity === 'high');
    assert.equal(high.length, planted.length, 'no other finding is high');
    // Every event a reason cites is in the case: an investigator can open each one (impossible travel cites the
    // caller's earlier located event too, which may lie outside the chain).
    const db = new Database(join(dir, 'acme.crossline'), { readonly: true });
    try {
      const exists = db.prepare('SELECT 1 FROM events WHERE native_id = ?').pluck();
      for (const f of out.findings) {
        for (const r of f.evidence) for (const id of r.eventIds) assert.equal(exists.get(id), 1, `finding ${f.id} cites ${id}: ${r.text}`);
        for (const r of f.evidence.filter((x: any) => x.condition === 'travel')) assert.equal(r.eventIds.length, 2, `travel cites both events: ${r.text}`);
      }
      assert.ok(out.findings.some((f: any) => f.evidence.some((r: any) => r.condition === 'travel')), 'the sample has an impossible travel');
    } finally {
      db.close();
    }
    // The findings command reads the same result back from the case file.
    const again = await analyzeJson(['findings', join(dir, 'acme.crossline'), '--json']);
    assert.deepEqual(again.out.findings.map((f: any) => f.entry.eventId), out.findings.map((f: any) => f.entry.eventId));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
