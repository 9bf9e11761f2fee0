// Import benchmark (a script, not a timed test): generates N CloudTrail events in the S3 layout (cached in
// .bench/), builds the bundle, then measures in separate processes (scripts/bench-child.mjs, so peak RSS is
// each one's own):
//   1. a bare single-thread pass: gunzip + JSON.parse of every file, nothing else;
//   2. `crossline import` into a fresh case (workers, normalization, raw records, indexes);
//   3. `crossline correlate` on that case (the AN1348 correlator in its worker).
// Usage: npm run bench:import -- [--events 1000000] [--workers N] [--keep]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    workers: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});

const mib = (b: number) => b / 1048576;

async function parent(): Promise<void> {
  const events = Number(values.events);
  const root = resolve('.bench');
  const dir = join(root, `cloudtrail-s3-${events}`);
  const marker = `${dir}.complete`; // beside the evidence, not in it (it would be imported)
  if (!existsSync(marker)) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const { generateEvents, writeS3Layout } = await import('./synth/cloudtrail-synth');
    const t = performance.now();
    // Five days of a busy organisation: CloudTrail's 5-minute delivery per account and region then gives files
    // of about 110 events (≈ 9,000 files for 1,000,000 events), the shape of a real large export.
    const days = Math.max(1, Math.min(30, Math.round(events / 200_000)));
    const out = await writeS3Layout(dir, generateEvents({ seed: 7, startMs: Date.UTC(2026, 8, 1), days, targetEvents: events, chains: true }));
    writeFileSync(marker, JSON.stringify(out));
    console.error(`generated ${out.events.toLocaleString('en-US')} events in ${out.files} files (${mib(out.jsonBytes).toFixed(0)} MiB JSON, ${mib(out.gzBytes).toFixed(0)} MiB gzip) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  const build = spawnSync(process.execPath, ['scripts/build.mjs'], { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`build failed: ${build.stderr}`);
  const run = (args: string[]) => {
    const r = spawnSync(process.execPath, ['scripts/bench-child.mjs', ...args], { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (r.status !== 0) throw new Error(`benchmark child failed: ${r.stderr}`);
    return JSON.parse(r.stdout);
  };
  const bare = run(['bare', dir]);
  const caseFile = join(root, `bench-${events}.crossline`);
  rmSync(caseFile, { force: true });
  rmSync(`${caseFile}-wal`, { force: true });
  rmSync(`${caseFile}-shm`, { force: true });
  const imp = run(['import', dir, caseFile, ...(values.workers ? [values.workers] : [])]);
  const caseBytes = statSync(caseFile).size;
  const cor = run(['correlate', dir, caseFile]);
  const s = (ms: number) => (ms / 1000).toFixed(1);
  const lines = [
    `evidence: ${bare.files.toLocaleString('en-US')} .json.gz files, ${bare.events.toLocaleString('en-US')} events, ${mib(bare.bytes).toFixed(0)} MiB of JSON`,
    `bare pass (1 thread, gunzip + JSON.parse): ${s(bare.ms)} s, ${Math.round(bare.events / (bare.ms / 1000)).toLocaleString('en-US')} events/s, ${(mib(bare.bytes) / (bare.ms / 1000)).toFixed(0)} MiB/s, peak RSS ${(bare.maxRssKb / 1024).toFixed(0)} MiB`,
    `import (crossline): ${s(imp.ms)} s, ${Math.round(imp.stats.events / (imp.ms / 1000)).toLocaleString('en-US')} events/s, ${(mib(bare.bytes) / (imp.ms / 1000)).toFixed(0)} MiB/s, peak RSS ${(imp.maxRssKb / 1024).toFixed(0)} MiB`,
    `import / bare pass: ${(imp.ms / bare.ms).toFixed(2)}x (target ≤ 1.5x); stored ${imp.stats.events.toLocaleString('en-US')}, duplicates ${imp.stats.duplicates}, skipped ${imp.stats.skipped}, errors ${imp.stats.errors}`,
    `case file: ${mib(caseBytes).toFixed(0)} MiB (${caseFile})`,
    `correlation (worker, whole case): ${s(cor.ms)} s = ${((100 * cor.ms) / imp.ms).toFixed(1)}% of the import time (target < 10%), ${cor.findings} findings, peak RSS ${(cor.maxRssKb / 1024).toFixed(0)} MiB`,
  ];
  console.log(lines.join('\n'));
  if (!values.keep) rmSync(caseFile, { force: true });
}

await parent();
