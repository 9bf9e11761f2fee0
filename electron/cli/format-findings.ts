import type { Finding } from '../../shared/domain/correlation';

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/** The findings as an investigator reads them in a terminal: the three conditions, then the reasons. */
export function formatFindings(findings: Finding[]): string {
  if (findings.length === 0) return 'findings: none — no third-party role assumption into the organisation was found\n';
  const out: string[] = [`findings: ${findings.length}`];
  for (const f of findings) {
    const tick = (b: boolean) => (b ? '✔' : '·');
    out.push('');
    out.push(`#${f.id} ${f.severity.toUpperCase()} ${f.score}/100  ${iso(f.entry.timeMs)}  ${f.entry.action} by ${f.entry.vendor ?? f.entry.sourceAccount ?? f.entry.principal ?? '?'} → ${f.entry.targetAccount ?? '?'} from ${f.entry.sourceIp ?? '?'}`);
    out.push(`   ${tick(f.conditions.entry)} third-party entry   ${tick(f.conditions.privileged)} privileged calls (${f.privilegedEventIds.length})   ${tick(f.conditions.unfamiliar)} unfamiliar origin`);
    for (const r of f.reasons) out.push(`   - [${r.condition}] ${r.text}`);
    out.push(`   events: ${f.eventIds.length} (entry ${f.entry.eventId})`);
  }
  return `${out.join('\n')}\n`;
}

/** The method footer: what the findings rest on, with the attribution the data licences require. */
export function formatMethod(run: { catalogVersion: string; geoSources: unknown[]; settings: { windowMinutes: number; baselineDays: number | null }; stats: unknown } | null): string {
  if (!run) return '';
  const sources = (run.geoSources as { name: string; licence: string; attribution: string; buildDate: string | null }[])
    .map((g) => `   ${g.name} (${g.licence}${g.buildDate ? `, built ${g.buildDate}` : ''}): ${g.attribution}`);
  const stats = run.stats as { entries?: number; routine?: number; attempts?: number };
  return [
    '',
    `method: AN1348 (third-party role assumption → privileged calls within ${run.settings.windowMinutes} min → unfamiliar origin), catalog aws-privileged ${run.catalogVersion}, baseline ${run.settings.baselineDays === null ? 'everything before each entry' : `${run.settings.baselineDays} days`}`,
    `   ${stats.entries ?? 0} third-party entries, ${stats.routine ?? 0} routine (not listed), ${stats.attempts ?? 0} denied attempts`,
    'geolocation and ASN data:',
    ...[...new Set(sources)],
    '',
  ].join('\n');
}
