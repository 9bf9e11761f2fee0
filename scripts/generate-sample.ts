/**
 * Writes the bundled sample case: a deterministic CloudTrail S3 layout for the Acme organisation with
 * the planted AN1348 chains, and its ground truth beside the folder.
 *
 *   tsx scripts/generate-sample.ts [--out resources/samples/acme-org] [--events 15000] [--days 30]
 *                                  [--seed 1348] [--start 2026-10-01] [--no-chains]
 *
 * Output: <out>/AWSLogs/o-acme12345x/<account>/CloudTrail[-Digest]/… and <out>.truth.json.
 * Nothing in either depends on the clock, so re-running with the same flags reproduces them byte for byte.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  ACCOUNTS, DATADOG_ACCOUNT, NETWORKS, ORG_ID, generateEvents, plantedChains, plantedNearMisses, writeS3Layout,
  type SynthOptions,
} from './synth/cloudtrail-synth';

const USAGE = 'usage: tsx scripts/generate-sample.ts [--out DIR] [--events N] [--days N] [--seed N] [--start YYYY-MM-DD] [--no-chains]';

function positiveInt(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive whole number (got '${text}')\n${USAGE}`);
  return n;
}

function parseStart(text: string): number {
  const ms = Date.parse(`${text}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(ms)) throw new Error(`--start must be a date like 2026-10-01 (got '${text}')\n${USAGE}`);
  return ms;
}

function readArgs(argv: string[]): { out: string; opts: SynthOptions } {
  const { values } = parseArgs({
    args: argv,
    options: {
      out: { type: 'string', default: 'resources/samples/acme-org' },
      events: { type: 'string', default: '15000' },
      days: { type: 'string', default: '30' },
      seed: { type: 'string', default: '1348' },
      start: { type: 'string', default: '2026-10-01' },
      'no-chains': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  // The truth file sits beside the folder, so a trailing slash must not put it inside.
  const out = resolve(String(values.out)).replace(/[\\/]+$/, '');
  return {
    out,
    opts: {
      seed: positiveInt('seed', String(values.seed)),
      startMs: parseStart(String(values.start)),
      days: positiveInt('days', String(values.days)),
      targetEvents: positiveInt('events', String(values.events)),
      chains: !values['no-chains'],
    },
  };
}

async function main(): Promise<void> {
  const { out, opts } = readArgs(process.argv.slice(2));
  const started = performance.now();
  // Only the layout this script owns is replaced: stale files from another seed would otherwise linger.
  await rm(join(out, 'AWSLogs'), { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  const stats = await writeS3Layout(out, generateEvents(opts), { digests: true });
  const chains = plantedChains(opts);
  const truth = {
    generator: 'scripts/generate-sample.ts',
    options: { ...opts, start: new Date(opts.startMs).toISOString() },
    orgId: ORG_ID,
    accounts: ACCOUNTS,
    vendor: { name: 'Datadog', account: DATADOG_ACCOUNT, ips: NETWORKS.datadog },
    stats,
    chains,
    nearMisses: plantedNearMisses(opts),
  };
  const truthPath = `${out}.truth.json`;
  await mkdir(dirname(truthPath), { recursive: true });
  await writeFile(truthPath, `${JSON.stringify(truth, null, 2)}\n`);
  const secs = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`wrote ${stats.events} events in ${stats.files} log files (+${stats.digestFiles} digests) under ${out}/AWSLogs in ${secs}s`);
  console.log(`  json ${(stats.jsonBytes / 1e6).toFixed(1)} MB, gzip ${(stats.gzBytes / 1e6).toFixed(1)} MB; truth: ${truthPath}`);
  for (const c of chains) console.log(`  chain ${c.name}: entry ${c.entryEventId} (${c.eventIds.length} events)`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
