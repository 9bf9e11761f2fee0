// One measured run for scripts/bench-import.ts, in its own process (so peak RSS is its own) and on the
// built bundle (what users run), never through tsx.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

const [mode, dir, caseFile, workers] = process.argv.slice(2);
const started = performance.now();

function* files(d) {
  for (const name of readdirSync(d).sort()) {
    const p = join(d, name);
    if (statSync(p).isDirectory()) yield* files(p);
    else if (name.endsWith('.json.gz')) yield p;
  }
}

if (mode === 'bare') {
  // The floor: one thread, gunzip + JSON.parse of every file, nothing kept.
  let events = 0, bytes = 0, count = 0;
  for (const f of files(dir)) {
    const json = gunzipSync(readFileSync(f));
    bytes += json.length;
    events += JSON.parse(json.toString('utf8')).Records?.length ?? 0;
    count++;
  }
  process.stdout.write(JSON.stringify({ ms: performance.now() - started, events, bytes, files: count, maxRssKb: process.resourceUsage().maxRSS }));
} else {
  const out = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = (chunk) => (out.push(String(chunk)), true);
  const { main } = await import('../out/cli/crossline.js');
  const args = mode === 'import' ? ['import', caseFile, dir, '--json', '--quiet'] : ['correlate', caseFile, '--quiet', '--json'];
  if (workers) args.push('--workers', workers);
  const code = await main(args);
  process.stdout.write = write;
  const result = JSON.parse(out.join(''));
  process.stdout.write(JSON.stringify({ code, ms: performance.now() - started, stats: result.stats, findings: result.findings?.length, maxRssKb: process.resourceUsage().maxRSS }));
}
