// The multi-cloud training sample (resources/samples/globex-multicloud, made by scripts/generate-multicloud-sample.ts):
// an Azure tenant and a GCP project with three planted AN1348 chains, found exactly through the real CLI; and the
// committed files are what the generator writes, so a trainer can regenerate or vary them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = resolve(import.meta.dirname, '..', '..');
const sample = join(root, 'resources', 'samples', 'globex-multicloud');
const truth = JSON.parse(readFileSync(`${sample}.truth.json`, 'utf8')) as { chains: { provider: string; entryEventId: string; what: string }[] };

test('crossline analyze --json on the multi-cloud sample finds exactly its three planted chains', () => {
  const dir = mkdtempSync(join(tmpdir(), 'crossline-globex-'));
  try {
    const r = spawnSync(process.execPath, [join(root, 'bin', 'crossline.mjs'), 'analyze', sample, '--case', join(dir, 'globex.crossline'), '--json'], { encoding: 'utf8', maxBuffer: 1 << 26 });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.stats.errors, 0);
    assert.equal(out.stats.files, 3);
    assert.deepEqual(out.problems, []);
    assert.equal(truth.chains.length, 3);
    for (const c of truth.chains) {
      const f = out.findings.find((x: any) => x.entry.eventId === c.entryEventId);
      assert.ok(f, `planted chain found: ${c.what}`);
      assert.equal(f.provider, c.provider);
      assert.ok(f.severity === 'critical' || f.severity === 'high', `${c.what}: ${f.severity}`);
      for (const condition of ['entry', 'privileged', 'unfamiliar']) assert.equal(f.conditions[condition], true, `${c.what}: ${condition}`);
    }
    // Azure logs each write twice (Started, then Succeeded): the service provider's user made two privileged
    // operations and one read, and the finding counts operations, not records.
    const mallory = out.findings.find((x: any) => x.entry.eventId === truth.chains[0]!.entryEventId);
    assert.equal(mallory.privilegedEventIds.length, 2);
    assert.equal(mallory.eventIds.length, 6, 'the sign-in, the read, and both records of each write stay chain events');
    assert.ok(mallory.reasons.some((r: string) => /^The chain acted in \S+ \(2 privileged calls, 1 other call\)/.test(r)), mallory.reasons.join('\n'));
    assert.ok(mallory.reasons.some((r: string) => r.startsWith('Azure logged 2 operations in stages')));
    const high = out.findings.filter((f: any) => f.severity === 'critical' || f.severity === 'high');
    assert.equal(high.length, truth.chains.length, 'no other finding is high');
    // The Azure guest and the GCP service account came from one address a day apart: each finding names the other.
    const shared = out.findings.filter((f: any) => f.sourceIps.includes('94.102.49.1'));
    assert.equal(shared.length, 2);
    for (const f of shared) {
      const other = shared.find((x: any) => x !== f);
      const link = f.evidence.find((r: any) => r.text.includes('likely the same actor'));
      assert.ok(link, `${f.entry.principal} names the other finding`);
      assert.match(link.text, new RegExp(`^94\\.102\\.49\\.1 is also a source of the finding of ${other.entry.principal.replace(/[.@]/g, (m: string) => `\\${m}`)} \\(${other.provider}, entry at `));
      assert.deepEqual(link.eventIds, [other.entry.eventId]);
    }
    assert.equal(out.findings.filter((f: any) => f.evidence.some((r: any) => r.text.includes('likely the same actor'))).length, 2, 'no other finding is linked');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the committed multi-cloud sample is exactly what its generator writes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'crossline-globex-gen-'));
  try {
    const out = join(dir, 'globex-multicloud');
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'generate-multicloud-sample.ts'), '--out', out], { encoding: 'utf8', cwd: root });
    assert.equal(r.status, 0, r.stderr);
    const files = (base: string) => (readdirSync(base, { recursive: true }) as string[]).filter((f) => statSync(join(base, f)).isFile()).sort();
    assert.deepEqual(files(out), files(sample));
    for (const f of files(sample)) assert.ok(readFileSync(join(out, f)).equals(readFileSync(join(sample, f))), `${f} is reproduced byte for byte`);
    const { generator: _g, ...fresh } = JSON.parse(readFileSync(`${out}.truth.json`, 'utf8'));
    const { generator: _h, ...committed } = truth as Record<string, unknown>;
    assert.deepEqual(fresh, committed);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
