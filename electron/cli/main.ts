// The `crossline` command: argument parsing and printing only; every piece of work is a core call.
import { parseArgs } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openCase, CaseBusyError, CaseVersionError } from '../db/connection';
import { caseSummary } from '../db/repos/case-summary-repo';
import { readCaseFacts } from '../db/repos/workbench-repo';
import { importsAfterCorrelationSentence, unfinishedImportSentence } from '../../shared/domain/analysis-words';
import { readImportHistory } from '../core/import/import-history';
import { formatInfo } from './format-info';
import { importEvidence, type ImportResult } from '../core/import/import-evidence';
import { progressLine } from './progress-line';
import { runCorrelation } from '../core/correlate/run-correlation';
import { latestRun, readCoverage, readFindings } from '../db/repos/chains-repo';
import { readCorrelationSettings, writeCorrelationSettings } from '../db/repos/settings-repo';
import { formatCoverage, formatFindings, formatMethod } from './format-findings';
import { serve } from './serve';
import type { CorrelationSettings, CoverageWarning, Finding } from '../../shared/domain/correlation';
import { validateCorrelationSettings } from '../../shared/ipc/validators';
import { defaultAnalyst } from '../core/analyst';
import { appendAudit } from '../db/repos/audit-repo';
import { report } from './report';
import { showBidiControls } from '../../shared/text/bidi-controls';

const USAGE = `crossline — offline forensic workbench for cloud audit logs (MITRE ATT&CK AN1348)

Usage:
  crossline import CASE PATH...            import evidence (folders, .zip, .tar(.gz), .gz, .json, .jsonl, .csv) into CASE
  crossline info CASE                      summarise a case file
  crossline analyze PATH... [--case FILE] [--json]
                                           import into FILE (or a temporary case), correlate, print the findings
  crossline findings CASE [--json]         the AN1348 findings of a case (correlates first if it never ran or events were imported since)
  crossline correlate CASE                 re-run the correlator (after changing settings)
  crossline settings CASE [changes…]       show or change settings, then re-correlate:
        --org-account ID   --allow-account ID   --allow-role ROLE   --allow-cidr CIDR   --allow-asn N
        --allow-idp PROVIDER   --window MINUTES   --baseline-days DAYS|all
        --remove VALUE     (takes VALUE off the organisation accounts and every allowlist)
        --city-mmdb FILE   --asn-mmdb FILE     (your own MaxMind GeoLite2/GeoIP2 databases instead of the bundled DB-IP data)
  crossline report CASE --format html|pdf|json|csv --out PATH [--force] [--what report|findings|events|timeline|evidence] [--finding ID]
                   [--from TIME] [--to TIME] [--principal P] [--account A] [--source-ip IP] [--asn N] [--country CC]
                   [--action NAME] [--outcome success|failure|unknown] [--credential KEY] [--text TEXT]
                                           the case report (html, pdf through Chromium), or the findings, the events
                                           matching the filter, or a finding's timeline as json / csv (streamed)
  crossline serve [CASE] [--port N] [--data DIR] [--no-open]
                                           the workbench in a browser: serves the app and its API on 127.0.0.1 and
                                           prints one line, "crossline serve: <address with token>", when ready

Options:
  --json        print exactly one JSON document on stdout
  --workers N   parse workers (default: one per core)
  --quiet       no progress on stderr
  --analyst N   the analyst recorded in the case's audit log (default: $CROSSLINE_ANALYST, else the OS user)
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
        'org-account': { type: 'string', multiple: true },
        'allow-account': { type: 'string', multiple: true },
        'allow-role': { type: 'string', multiple: true },
        'allow-cidr': { type: 'string', multiple: true },
        'allow-asn': { type: 'string', multiple: true },
        'allow-idp': { type: 'string', multiple: true },
        remove: { type: 'string', multiple: true },
        window: { type: 'string' },
        'baseline-days': { type: 'string' },
        'city-mmdb': { type: 'string' },
        'asn-mmdb': { type: 'string' },
        port: { type: 'string' },
        data: { type: 'string' },
        'no-open': { type: 'boolean', default: false },
        analyst: { type: 'string' },
        format: { type: 'string' },
        out: { type: 'string' },
        force: { type: 'boolean', default: false },
        what: { type: 'string' },
        finding: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        principal: { type: 'string' },
        account: { type: 'string' },
        'source-ip': { type: 'string' },
        asn: { type: 'string' },
        country: { type: 'string' },
        action: { type: 'string' },
        outcome: { type: 'string' },
        text: { type: 'string' },
        credential: { type: 'string' },
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
  const analyst = defaultAnalyst(values.analyst);
  try {
    switch (command) {
      case 'import': {
        const [caseFile, ...paths] = rest;
        if (!caseFile || paths.length === 0) return usage('import needs a case file and at least one path');
        const result = await runImport(caseFile, paths, workers, values.quiet || values.json);
        auditImport(caseFile, analyst, paths, result);
        printImport(result, values.json);
        return exitFor(result);
      }
      case 'info': {
        const [caseFile] = rest;
        if (!caseFile) return usage('info needs a case file');
        const { summary, history } = withCase(caseFile, (db) => ({ summary: caseSummary(db), history: readImportHistory(db) }));
        const importProblems = { totals: history.problemTotals, groups: history.problems };
        process.stdout.write(values.json ? `${JSON.stringify({ ...summary, importProblems }, null, 2)}\n` : terminalText(formatInfo(caseFile, summary, history.problemTotals)));
        return 0;
      }
      case 'analyze': {
        if (rest.length === 0) return usage('analyze needs at least one path');
        const temp = values.case ? null : mkdtempSync(join(tmpdir(), 'crossline-'));
        const caseFile = values.case ?? join(temp!, 'analysis.crossline');
        try {
          const result = await runImport(caseFile, rest, workers, values.quiet || values.json);
          auditImport(caseFile, analyst, rest, result);
          const correlated = result.stats.events > 0 || result.stats.duplicates > 0;
          const findings = correlated ? await correlateAndRead(caseFile, values.quiet || values.json) : [];
          const coverage = correlated ? readCaseCoverage(caseFile) : [];
          if (values.json) {
            process.stdout.write(`${JSON.stringify({ stats: statsOf(result), findings: findings.map(findingJson), coverage: coverage.map(coverageJson), problems: result.problems.map(({ file, position, reason }) => ({ file, position, reason })) }, null, 2)}\n`);
          } else {
            printImport(result, false);
            // "No entry was found" would be a finding; with no event read there is nothing to say either way.
            if (!correlated) process.stdout.write(`\nfindings: not analysed — no event was read from the evidence${result.problems.length ? ' (see the problems above)' : ''}\n`);
            else process.stdout.write(terminalText(`\n${formatFindings(findings)}${formatCoverage(coverage)}`));
            if (findings.length > 0 || result.stats.events > 0) process.stdout.write(terminalText(formatMethod(readMethod(caseFile))));
          }
          return exitFor(result);
        } finally {
          if (temp) rmSync(temp, { recursive: true, force: true });
        }
      }
      case 'findings':
      case 'correlate': {
        const [caseFile] = rest;
        if (!caseFile) return usage(`${command} needs a case file`);
        const before = withCase(caseFile, (db) => ({ ...readCaseFacts(db), runs: (db.prepare('SELECT count(*) n FROM correlation_runs').get() as { n: number }).n }));
        // Findings of a run that did not see every stored event would be read as the case's findings: a case never
        // correlated, or with events imported since, is correlated first (as the app offers to).
        const stale = before.runs > 0 && before.analysis.importsAfterCorrelation > 0;
        if (command === 'findings' && stale && !values.quiet && !values.json) process.stderr.write(`${importsAfterCorrelationSentence(before.analysis.importsAfterCorrelation)} Correlating again.\n`);
        const findings = command === 'correlate' || before.runs === 0 || stale ? await correlateAndRead(caseFile, values.quiet || values.json) : readCaseFindings(caseFile);
        const method = readMethod(caseFile);
        const coverage = method?.coverage ?? [];
        const { unfinishedImports } = withCase(caseFile, (db) => readCaseFacts(db).analysis);
        const iso = (ms: number) => new Date(ms).toISOString();
        if (values.json) {
          const analysis = { events: before.events, unfinishedImports: unfinishedImports.map((r) => ({ id: r.id, status: r.status, inputs: r.inputs, startedAt: iso(r.startedAt) })) };
          process.stdout.write(`${JSON.stringify({ findings: findings.map(findingJson), coverage: coverage.map(coverageJson), analysis, method }, null, 2)}\n`);
        } else {
          // With no event there is nothing to say either way: "none found" would be a finding.
          const head = before.events === 0 ? `findings: not analysed — the case holds no events (crossline import ${caseFile} PATH...)\n` : formatFindings(findings);
          const warnings = unfinishedImports.map((run) => `warning: ${unfinishedImportSentence(run, iso)}\n`).join('');
          process.stdout.write(terminalText(head + warnings + formatCoverage(coverage) + formatMethod(method)));
        }
        return 0;
      }
      case 'settings': {
        const [caseFile] = rest;
        if (!caseFile) return usage('settings needs a case file');
        const db = openCase(caseFile, { create: false });
        const settings = readCorrelationSettings(db);
        const add = (list: string[], more: string[] | undefined) => [...new Set([...list, ...(more ?? []).map((v) => v.trim())])];
        const changed = ['org-account', 'allow-account', 'allow-role', 'allow-cidr', 'allow-asn', 'allow-idp', 'remove', 'window', 'baseline-days', 'city-mmdb', 'asn-mmdb'].some((k) => (values as Record<string, unknown>)[k] !== undefined);
        if (values['city-mmdb']) settings.geo.cityMmdb = resolve(values['city-mmdb']);
        if (values['asn-mmdb']) settings.geo.asnMmdb = resolve(values['asn-mmdb']);
        settings.organisationAccounts = add(settings.organisationAccounts, values['org-account']);
        settings.allowlist.accounts = add(settings.allowlist.accounts, values['allow-account']);
        settings.allowlist.roles = add(settings.allowlist.roles, values['allow-role']);
        settings.allowlist.cidrs = add(settings.allowlist.cidrs, values['allow-cidr']);
        settings.allowlist.asns = [...new Set([...settings.allowlist.asns, ...(values['allow-asn'] ?? []).map((a) => Number(String(a).replace(/^AS/i, '')))])];
        settings.allowlist.identityProviders = add(settings.allowlist.identityProviders, values['allow-idp']);
        const removed = removeValues(settings, values.remove ?? []);
        if (removed.missing.length > 0) {
          db.close();
          return usage(`--remove: not in the settings: ${removed.missing.join(', ')}`);
        }
        if (values.window) settings.windowMinutes = Number(values.window);
        if (values['baseline-days']) settings.baselineDays = values['baseline-days'] === 'all' ? null : Number(values['baseline-days']);
        if (!(settings.windowMinutes > 0) || (settings.baselineDays !== null && !(settings.baselineDays > 0)) || settings.allowlist.asns.some((a) => !Number.isInteger(a))) {
          db.close();
          return usage('window and baseline must be positive numbers, ASNs whole numbers');
        }
        // The app's own check of every value (an address or CIDR block, no empty id): settings it would refuse are
        // refused here too, rather than stored and printed in the report's method as if in force.
        try {
          validateCorrelationSettings(settings);
        } catch (err) {
          db.close();
          process.stderr.write(`crossline: ${settingsFlagMessage((err as Error).message)}\n`);
          return 2;
        }
        if (changed) {
          const before = readCorrelationSettings(db);
          db.transaction(() => {
            writeCorrelationSettings(db, settings);
            appendAudit(db, analyst, 'settings.change', { before, after: settings });
          })();
        }
        db.close();
        process.stdout.write(`${JSON.stringify(settings, null, 2)}\n`);
        if (changed) {
          const t = performance.now();
          const findings = await correlateAndRead(caseFile, true);
          process.stderr.write(`re-correlated in ${((performance.now() - t) / 1000).toFixed(2)} s: ${findings.length} findings\n`);
        }
        return 0;
      }
      case 'report': {
        const [caseFile] = rest;
        if (!caseFile || rest.length > 1) return usage('report needs exactly one case file');
        return report(caseFile, values, analyst);
      }
      case 'serve': {
        const port = values.port === undefined ? 0 : Number(values.port);
        if (!Number.isInteger(port) || port < 0 || port > 65535) return usage(`--port must be a port number, got '${values.port}'`);
        if (rest.length > 1) return usage('serve takes at most one case file');
        return await serve({ caseFile: rest[0], port, dataDir: values.data, open: !values['no-open'], workers });
      }
      default:
        return usage(`unknown command '${command}'`);
    }
  } catch (err) {
    if (err instanceof CaseVersionError || err instanceof CaseBusyError || /case file|not a Crossline case/.test((err as Error).message)) {
      process.stderr.write(`crossline: ${(err as Error).message}\n`);
      return 3;
    }
    throw err;
  }
}

function auditImport(caseFile: string, analyst: string, paths: string[], r: ImportResult): void {
  const { events, duplicates, skipped, errors, files } = r.stats;
  withCase(caseFile, (db) => appendAudit(db, analyst, 'import', { paths: paths.map((p) => resolve(p)), status: r.status, events, duplicates, skipped, errors, files }));
}

export function usage(message: string): number {
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

async function correlateAndRead(caseFile: string, quiet: boolean): Promise<Finding[]> {
  if (!quiet) process.stderr.write('correlating…\n');
  await runCorrelation(caseFile, {});
  return readCaseFindings(caseFile);
}

/** How the findings were made: catalog version, data sources with licences and build dates, settings. */
function readMethod(caseFile: string): ReturnType<typeof latestRun> {
  return withCase(caseFile, latestRun);
}

/** Opens an existing case for one read (or one small write), always closing it. */
function withCase<T>(caseFile: string, use: (db: ReturnType<typeof openCase>) => T): T {
  const db = openCase(caseFile, { create: false });
  try {
    return use(db);
  } finally {
    db.close();
  }
}

/** The coverage warnings of the case's latest correlation run (evidence gaps that hide chains). */
function readCaseCoverage(caseFile: string): CoverageWarning[] {
  return withCase(caseFile, readCoverage);
}

function coverageJson(w: CoverageWarning) {
  return { kind: w.kind, scope: w.scope, message: w.message };
}

function readCaseFindings(caseFile: string): Finding[] {
  return withCase(caseFile, readFindings);
}

/** The documented --json shape of a finding (native ids only), plus the explanation fields. */
function findingJson(f: Finding) {
  const { id, severity, score, scoreParts, provider, entry, assumeEventIds, eventIds, privilegedEventIds, sourceIps, reasons, conditions, privileged, familiarity, attempted, operationStages } = f;
  return {
    id, severity, score, scoreParts: scoreParts ?? null, provider,
    entry: { eventId: entry.eventId, action: entry.action, principal: entry.principal, sourceAccount: entry.sourceAccount, targetAccount: entry.targetAccount, sourceIp: entry.sourceIp, vendor: entry.vendor, kind: entry.kind, time: new Date(entry.timeMs).toISOString() },
    assumeEventIds, eventIds, privilegedEventIds, sourceIps, reasons: reasons.map((r) => r.text), conditions, privileged,
    // Absent from findings stored before they were kept: null (not known), as scoreParts, never [] or {} (none).
    attempted: attempted ?? null, operationStages: operationStages ?? null, familiarity, evidence: reasons,
  };
}

function statsOf(r: ImportResult) {
  const { events, duplicates, skipped, errors, files } = r.stats;
  return { events, duplicates, skipped, errors, files };
}

function exitFor(r: ImportResult): number {
  return r.stats.events + r.stats.duplicates === 0 ? 1 : 0;
}

/** The validator's `settings.allowlist.cidrs[2]: …` said with the option that sets that list: `--allow-cidr: …`. */
function settingsFlagMessage(message: string): string {
  const flags: Record<string, string> = {
    organisationAccounts: '--org-account', 'allowlist.accounts': '--allow-account', 'allowlist.roles': '--allow-role',
    'allowlist.cidrs': '--allow-cidr', 'allowlist.asns': '--allow-asn', 'allowlist.identityProviders': '--allow-idp',
  };
  const m = /^settings\.([\w.]+)\[\d+\]: (.*)$/s.exec(message);
  return m && flags[m[1]!] ? `${flags[m[1]!]}: ${m[2]}` : message;
}

/** Takes each value off the organisation accounts and every allowlist; `missing`: values found in none. */
function removeValues(settings: CorrelationSettings, values: string[]): { missing: string[] } {
  const missing: string[] = [];
  for (const raw of values) {
    const value = raw.trim();
    const asn = /^(AS)?\d+$/i.test(value) ? Number(value.replace(/^AS/i, '')) : null;
    const lists = [settings.organisationAccounts, settings.allowlist.accounts, settings.allowlist.roles, settings.allowlist.cidrs, settings.allowlist.identityProviders];
    let found = false;
    for (const list of lists) {
      for (let i = list.length - 1; i >= 0; i--) if (list[i] === value) (list.splice(i, 1), (found = true));
    }
    if (asn !== null && settings.allowlist.asns.includes(asn)) {
      settings.allowlist.asns = settings.allowlist.asns.filter((a) => a !== asn);
      found = true;
    }
    if (!found) missing.push(value);
  }
  return { missing };
}

/**
 * Text for the terminal: file names, principals and reasons come from the evidence, and a direction control in them
 * (U+202E …) would reorder what the terminal shows. Shown by code point, as in the app and the report; JSON output
 * keeps every value exact.
 */
const terminalText = showBidiControls;

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
  process.stdout.write(terminalText(`${lines.join('\n')}\n`));
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
