// The `crossline` command: argument parsing and printing only; every piece of work is a core call.
import { parseArgs } from 'node:util';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCase, CaseVersionError } from '../db/connection';
import { caseSummary } from '../db/repos/case-summary-repo';
import { importEvidence, type ImportResult } from '../core/import/import-evidence';
import { progressLine } from './progress-line';

const USAGE = `crossline — offline forensic workbench for cloud audit logs (MITRE ATT&CK AN1348)

Usage:
  crossline import CASE PATH...            import evidence (folders, .zip, .tar(.gz), .gz, .json, .jsonl, .csv) into CASE
  crossline info CASE                      summarise a case file
  crossline analyze PATH... [--case FILE] [--json]
                                           import into FILE (or a temporary case) and print the findings

Options:
  --json        print exactly one JSON document on stdout
  --workers N   parse workers (default: one per core)
  --quiet       no progress on stderr
  -h, --help    this text
`;

/** Exit codes: 0 ok, 1 nothing could be imported, 2 usage, 3 the case cannot be opened. */
export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        case: { type: 'string' },
        workers: { type: 'string' },
        quiet: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    process.stderr.write(`crossline: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    process.stdout.write(USAGE);
    return values.help ? 0 : 2;
  }
  const workers = values.workers ? Number(values.workers) : undefined;
  try {
    switch (command) {
      case 'import': {
        const [caseFile, ...paths] = rest;
        if (!caseFile || paths.length === 0) return usage('import needs a case file and at least one path');
        const result = await runImport(caseFile, paths, workers, values.quiet || values.json);
        printImport(result, values.json);
        return exitFor(result);
      }
      case 'info': {
        const [caseFile] = rest;
        if (!caseFile) return usage('info needs a case file');
        const db = openCase(caseFile, { create: false });
        try {
          const summary = caseSummary(db);
          process.stdout.write(values.json ? `${JSON.stringify(summary, null, 2)}\n` : formatInfo(caseFile, summary));
        } finally {
          db.close();
        }
        return 0;
      }
      case 'analyze': {
        if (rest.length === 0) return usage('analyze needs at least one path');
        const temp = values.case ? null : mkdtempSync(join(tmpdir(), 'crossline-'));
        const caseFile = values.case ?? join(temp!, 'analysis.crossline');
        try {
          const result = await runImport(caseFile, rest, workers, values.quiet || values.json);
          const findings: unknown[] = [];
          if (values.json) {
            process.stdout.write(`${JSON.stringify({ stats: statsOf(result), findings, problems: result.problems.map(({ file, position, reason }) => ({ file, position, reason })) }, null, 2)}\n`);
          } else {
            printImport(result, false);
            process.stdout.write(`\nfindings: ${findings.length} (the AN1348 correlator is not part of this build yet)\n`);
          }
          return exitFor(result);
        } finally {
          if (temp) rmSync(temp, { recursive: true, force: true });
        }
      }
      default:
        return usage(`unknown command '${command}'`);
    }
  } catch (err) {
    if (err instanceof CaseVersionError || /case file|not a Crossline case/.test((err as Error).message)) {
      process.stderr.write(`crossline: ${(err as Error).message}\n`);
      return 3;
    }
    throw err;
  }
}

function usage(message: string): number {
  process.stderr.write(`crossline: ${message}\n\n${USAGE}`);
  return 2;
}

async function runImport(caseFile: string, paths: string[], workers: number | undefined, quiet: boolean): Promise<ImportResult> {
  const db = openCase(caseFile);
  const tty = process.stderr.isTTY;
  let lastLine = 0;
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  try {
    return await importEvidence(db, paths, {
      workers,
      signal: controller.signal,
      onProgress: quiet
        ? undefined
        : (p) => {
            // On a terminal the line rewrites itself; in a log, one line every 5 s is enough.
            if (tty) process.stderr.write(`\r${progressLine(p)}\x1b[K`);
            else if (Date.now() - lastLine > 5000) {
              lastLine = Date.now();
              process.stderr.write(`${progressLine(p)}\n`);
            }
          },
    });
  } finally {
    process.off('SIGINT', onSignal);
    if (tty && !quiet) process.stderr.write('\n');
    db.close();
  }
}

function statsOf(r: ImportResult) {
  const { events, duplicates, skipped, errors, files } = r.stats;
  return { events, duplicates, skipped, errors, files };
}

function exitFor(r: ImportResult): number {
  return r.stats.events + r.stats.duplicates === 0 ? 1 : 0;
}

function printImport(r: ImportResult, json: boolean): void {
  if (json) {
    process.stdout.write(`${JSON.stringify({ stats: statsOf(r), status: r.status, problems: r.problems }, null, 2)}\n`);
    return;
  }
  const s = r.stats;
  const lines = [
    `import ${r.status}: ${s.files} files, ${s.events} new events, ${s.duplicates} duplicates, ${s.skipped} skipped, ${s.errors} errors`,
  ];
  if (r.problems.length > 0) {
    lines.push(`problems (${r.problems.length}):`);
    for (const p of r.problems.slice(0, 50)) lines.push(`  ${p.file}${p.position ? ` (${p.position})` : ''}: ${p.reason}`);
    if (r.problems.length > 50) lines.push(`  … ${r.problems.length - 50} more (crossline info shows the counts; the case file keeps them all)`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

function formatInfo(file: string, s: ReturnType<typeof caseSummary>): string {
  const iso = (ms: number | null) => (ms === null ? '—' : new Date(ms).toISOString());
  const lines = [
    `case ${file} (schema ${s.schemaVersion}, created ${iso(s.createdAt)})`,
    `events: ${s.events.toLocaleString('en-US')} from ${iso(s.firstEventMs)} to ${iso(s.lastEventMs)}`,
    `providers: ${s.providers.map((p) => `${p.provider} ${p.events}`).join(', ') || '—'}`,
    `accounts: ${s.accounts.slice(0, 10).map((a) => `${a.account} (${a.events})`).join(', ') || '—'}${s.accounts.length > 10 ? ', …' : ''}`,
    `evidence: ${s.sources.files} files, ${s.sources.archives} archives, ${s.sources.bytes.toLocaleString('en-US')} bytes${s.sources.incomplete ? `, ${s.sources.incomplete} incomplete (re-run the import to complete them)` : ''}`,
    `formats: ${s.formats.map((f) => `${f.format} ×${f.files}`).join(', ') || '—'}`,
    `imports: ${s.imports.length}, problems recorded: ${s.problems}`,
  ];
  return `${lines.join('\n')}\n`;
}

const invokedDirectly = process.argv[1] && /(cli[\\/]main\.ts|cli[\\/]crossline\.js)$/.test(process.argv[1]);
if (invokedDirectly) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (err) => {
      process.stderr.write(`crossline: unexpected error: ${(err as Error).stack ?? err}\n`);
      process.exitCode = 70;
    },
  );
}
