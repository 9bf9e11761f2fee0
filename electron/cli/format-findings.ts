import { plural } from '../../shared/text/plural';
import type { CoverageWarning, DeniedEntry, Finding } from '../../shared/domain/correlation';
import { utcText } from '../../shared/time/utc-text';

/** The findings as an investigator reads them in a terminal: the three conditions, then the reasons. */
export function formatFindings(findings: Finding[]): string {
  if (findings.length === 0) return 'findings: none — no third-party entry (role assumption, cross-tenant sign-in, foreign token, service account impersonation or federation) into the organisation was found\n';
  const out: string[] = [`findings: ${findings.length}`];
  for (const f of findings) {
    const tick = (b: boolean) => (b ? '✔' : '·');
    out.push('');
    out.push(`#${f.id} ${f.severity.toUpperCase()} ${f.score}/100  ${utcText(f.entry.timeMs)}  ${f.provider === 'aws' ? '' : `[${f.provider}] `}${f.entry.action} by ${f.entry.vendor ?? f.entry.sourceAccount ?? f.entry.principal ?? '?'} → ${f.entry.targetAccount ?? '?'} from ${f.entry.sourceIp ?? '?'}`);
    out.push(`   ${tick(f.conditions.entry)} third-party entry   ${tick(f.conditions.privileged)} privileged calls (${f.privilegedEventIds.length})   ${tick(f.conditions.unfamiliar)} unfamiliar origin`);
    for (const r of f.reasons) out.push(`   - [${r.condition}] ${r.text}`);
    out.push(`   events: ${f.eventIds.length} (entry ${f.entry.eventId})`);
  }
  return `${out.join('\n')}\n`;
}

/** The coverage warnings under the findings: what the evidence cannot show. */
export function formatCoverage(warnings: CoverageWarning[]): string {
  if (warnings.length === 0) return '';
  return `\ncoverage: ${warnings.length} warning${warnings.length === 1 ? '' : 's'} — gaps in the evidence that can hide chains\n${warnings.map((w) => `   ! [${w.kind}] ${w.scope}: ${w.message}`).join('\n')}\n`;
}

/** `catalog aws-privileged 2026.11.1, azure-privileged …`: the catalogs of the clouds the run correlated. */
function catalogs(run: { catalogVersion: string; stats: unknown }): string {
  const used = Object.entries((run.stats as { catalogs?: Record<string, string> }).catalogs ?? {});
  // Runs before the per-cloud record, and a case with no events, name the AWS catalog the run recorded.
  const list = used.length > 0 ? used : [['aws', run.catalogVersion]];
  return `catalog ${list.map(([p, v]) => `${p}-privileged ${v}`).join(', ')}`;
}

/** The method footer: what the findings rest on, with the attribution the data licences require. */
export function formatMethod(run: { catalogVersion: string; geoSources: unknown[]; settings: { windowMinutes: number; baselineDays: number | null }; stats: unknown } | null): string {
  if (!run) return '';
  const sources = (run.geoSources as { name: string; licence: string; attribution: string; buildDate: string | null }[])
    .map((g) => `   ${g.name} (${g.licence}${g.buildDate ? `, built ${g.buildDate}` : ''}): ${g.attribution}`);
  const stats = run.stats as { entries?: number; routine?: number; attempts?: number; attemptedPrivileged?: number; byProvider?: Record<string, { entries: number; chains: number }>; deniedEntries?: DeniedEntry[] };
  const perProvider = Object.entries(stats.byProvider ?? {});
  return [
    '',
    `method: AN1348 (third-party ${perProvider.some(([p]) => p !== 'aws') ? 'entry' : 'role assumption'} → privileged calls within ${run.settings.windowMinutes} min → unfamiliar origin), ${catalogs(run)}, baseline ${run.settings.baselineDays === null ? 'everything before each entry' : `${run.settings.baselineDays} days`}`,
    `   ${plural(stats.entries ?? 0, 'third-party entry', 'third-party entries')}, ${stats.routine ?? 0} routine (not listed), ${plural(stats.attempts ?? 0, 'denied entry', 'denied entries')}, ${plural(stats.attemptedPrivileged ?? 0, 'privileged call')} attempted without success in the findings${perProvider.length > 1 ? ` (${perProvider.map(([p, c]) => `${p}: ${plural(c.entries, 'entry', 'entries')}, ${plural(c.chains, 'finding')}`).join('; ')})` : ''}`,
    ...deniedLines(stats.deniedEntries ?? [], stats.attempts ?? 0),
    'geolocation and ASN data:',
    ...[...new Set(sources)],
    '',
  ].join('\n');
}

/** Denied entries shown under the counts; the JSON (`method.stats.deniedEntries`) has up to 50 groups. */
const DENIED_SHOWN = 10;

function deniedLines(groups: DeniedEntry[], total: number): string[] {
  if (groups.length === 0) return [];
  const lines = ['denied entries (refused before any session; not findings):'];
  for (const g of groups.slice(0, DENIED_SHOWN)) {
    const who = [g.who, g.account && g.account !== g.who ? `of ${g.account}` : null].filter(Boolean).join(' ') || 'an unknown caller';
    const when = g.count === 1 ? utcText(g.firstMs) : `${g.count} times, ${utcText(g.firstMs)} to ${utcText(g.lastMs)}`;
    lines.push(`   ${g.provider === 'aws' ? '' : `[${g.provider}] `}${who} → ${g.action}${g.target ? ` ${g.target}` : ''}: ${g.errorCode ?? 'denied'}, ${when}${g.sourceIps.length ? ` from ${g.sourceIps.join(', ')}` : ''} (${g.eventIds.join(' … ')})`);
  }
  const shown = groups.slice(0, DENIED_SHOWN).reduce((n, g) => n + g.count, 0);
  if (total > shown) lines.push(`   … ${total - shown} more (--json lists up to 50 kinds)`);
  return lines;
}
