// The case report as one self-contained HTML file: inline CSS, no scripts, no external resources (a CSP meta tag
// forbids them too), printable (@media print). Every string from the evidence or the analyst goes through
// escapeHtml, by way of the `html` template, which escapes every value that is not itself built by `html`.
import type { Annotation } from '../../../shared/domain/annotations';
import { cloudName, type DeniedEntry, type Finding } from '../../../shared/domain/correlation';
import { chainMapSvg } from './map-svg';
import { html, trusted, type Html } from './escape';
import { REPORT_TITLE, type ReportData, type ReportFinding } from './report-data';
import { evidenceSection } from './render-evidence';
import { noFindingsText, summarySection, verdictOf } from './render-summary';
import { SCORING_METHOD } from '../correlate/score-chain';
import { entryTerms } from '../correlate/wording';
import { chainRoleLabel, hasVendorList } from '../../../shared/domain/chain-words';
import { utcText, utcTextOrDash } from '../../../shared/time/utc-text';
import { principalLabel } from '../../../shared/domain/principal-label';

/** The marker of the only line that differs between two exports of the same case. */
export const EXPORT_TIME_MARKER = 'export-time';

export const AN1348_DEFINITION =
  'MITRE ATT&CK analytic AN1348 (detection strategy for T1199 Trusted Relationship and T1078.004 Valid Accounts: Cloud Accounts): ' +
  'a principal from outside the organisation (a cross-account or third-party identity) comes into it (assumes an AWS role, signs in to an ' +
  'Azure tenant or calls a subscription with another tenant\'s token, impersonates a GCP service account or federates into a project), ' +
  'privileged API calls follow in short succession, from networks or countries the organisation, the role or the caller had not used before.';


/**
 * Event ids, each kept on one line: a GCP insertId starting with `-` broke after its dash, which read as a hyphenated
 * word; the list still wraps between ids.
 */
const idList = (ids: readonly string[]): Html[] => ids.map((id, i) => html`${i ? ', ' : ''}<span class="id">${id}</span>`);

/** utcText, or a dash for no time. */
const iso = utcTextOrDash;
const duration = (ms: number) => {
  const s = Math.round(ms / 1000);
  return s < 60 ? `+${s} s` : s < 3600 ? `+${Math.floor(s / 60)} min ${s % 60} s` : `+${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
};

const CSS = `
:root { color-scheme: light; }
body { font: 13px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1f24; margin: 24px auto; max-width: 1200px; padding: 0 16px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 18px; border-bottom: 2px solid #1b1f24; padding-bottom: 2px; margin-top: 28px; }
h3 { font-size: 15px; margin: 18px 0 6px; } h4 { font-size: 13px; margin: 12px 0 4px; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; font-size: 12px; }
th, td { border: 1px solid #c9d1d9; padding: 3px 6px; text-align: left; vertical-align: top; overflow-wrap: break-word; }
td.mono { overflow-wrap: anywhere; } .nowrap, .id { white-space: nowrap; } table.kv th { width: 16em; }
/* The timeline: fixed columns wide enough for their values, the event id and user agent on a line of their own. */
table.timeline { table-layout: fixed; } table.timeline tbody { break-inside: avoid; }
table.timeline tr.sub td { border-top: none; color: #57606a; padding-top: 0; } table.timeline tr:first-child td { border-bottom: none; }
col.c-n { width: 2.5em; } col.c-time { width: 12.5em; } col.c-offset { width: 7em; } col.c-role { width: 6.5em; }
col.c-category { width: 7.5em; } col.c-outcome { width: 6.5em; } col.c-source { width: 10em; } col.c-geo { width: 8em; } /* action and principal share the rest */
table.audit { table-layout: fixed; } table.audit col.c-when { width: 13em; } table.audit col.c-id { width: 3.5em; } table.audit col.c-who { width: 10em; }
th { background: #f0f3f6; }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 11px; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; background: #f6f8fa; border: 1px solid #d0d7de; padding: 6px; margin: 4px 0 12px; }
.muted { color: #57606a; } .export-time { color: #57606a; font-style: italic; }
.warning { background: #fff8c5; } p.warning { border-left: 3px solid #d4a72c; padding: 4px 8px; }
.sev { font-weight: 600; text-transform: uppercase; padding: 0 4px; border-radius: 3px; }
.sev-critical { background: #ffd7d5; color: #82071e; } .sev-high { background: #ffe2cc; color: #762c00; } .sev-medium { background: #fff3bf; color: #5c4400; } .sev-low { background: #ddf4ff; color: #0a3069; }
.verdict { font-weight: 600; } .verdict-malicious { color: #82071e; } .verdict-benign { color: #116329; } .verdict-needs-review { color: #7d4e00; }
.yes { color: #116329; font-weight: 600; } .no { color: #57606a; }
.finding { border: 1px solid #d0d7de; border-radius: 6px; padding: 4px 14px 10px; margin: 14px 0; }
.note { white-space: pre-wrap; background: #fffbe6; border-left: 3px solid #d4a72c; padding: 4px 8px; margin: 4px 0; }
svg.map { width: 100%; max-height: 420px; border: 1px solid #d0d7de; background: #eaf2fb; }
svg.map .sea { fill: #eaf2fb; } svg.map .land path { fill: #f4f1ea; stroke: #a8a196; stroke-width: 0.6; vector-effect: non-scaling-stroke; }
svg.map .route { fill: none; stroke: #cf222e; stroke-width: 1.5; stroke-dasharray: 4 3; vector-effect: non-scaling-stroke; }
svg.map .chain { fill: #cf222e; stroke: #fff; stroke-width: 1; vector-effect: non-scaling-stroke; }
svg.map .baseline { fill: #6e7781; opacity: 0.7; }
svg.map text { fill: #1b1f24; font-family: system-ui, sans-serif; }
@page { size: A4 landscape; margin: 10mm; }
@media print {
  body { margin: 0; max-width: none; font-size: 10.5px; }
  h2, h3, h4 { break-after: avoid; } table tr, svg.map { break-inside: avoid; }
  pre { break-inside: auto; }
  a { color: inherit; text-decoration: none; }
  .appendix { break-before: page; }
  details.evidence-list:not([open]) > :not(summary) { display: none; }
}
`;

/** The analyst's verdict on a timeline row: the event's own annotation, else its session's (the credential it used). */
function noteMark(rf: ReportFinding, t: ReportFinding['timeline'][number]): Html {
  const own = rf.eventNotes.find((a) => a.target.kind === 'event' && a.target.eventId === t.id);
  const session = t.credentialId ? rf.sessionNotes.find((a) => a.target.kind === 'session' && a.target.sessionKey === t.credentialId) : undefined;
  const a = own?.verdict ? own : session?.verdict ? session : own ?? session;
  if (!a) return html``;
  return html` <span class="verdict verdict-${a.verdict ?? 'none'}" title="${a === own ? 'event' : 'session'} annotation">${a.verdict ?? 'noted'}</span>`;
}

function annotationBlock(a: Annotation | null): Html {
  if (!a) return html`<p class="muted">No analyst annotation.</p>`;
  return html`<p>Analyst verdict: ${verdictOf(a)}${a.bookmarked ? ' · bookmarked' : ''}${a.tags.length ? html` · tags: ${a.tags.map((t, i) => html`${i ? ', ' : ''}<code>${t}</code>`)}` : ''} <span class="muted">(${a.analyst}, ${iso(a.updatedMs)})</span></p>${a.note ? html`<div class="note">${a.note}</div>` : ''}`;
}

function conditionRow(f: Finding, id: 'entry' | 'privileged' | 'unfamiliar', label: string): Html {
  const reasons = f.reasons.filter((r) => r.condition === id);
  return html`<tr><th>${label}</th><td class="${f.conditions[id] ? 'yes' : 'no'}">${f.conditions[id] ? 'holds' : 'does not hold'}</td><td>${reasons.map((r) => html`<div>${r.text}${r.eventIds.length ? html` <span class="mono muted">[${idList(r.eventIds)}]</span>` : ''}</div>`)}</td></tr>`;
}

/** "role hop 2", "later sign-in", "privileged call (hop 1)": a call's hop is the session it was made in. */
function roleCell(t: ReportFinding['timeline'][number]): string {
  const label = chainRoleLabel(t.role, t.provider);
  const role = !t.depth ? label : t.role === 'assume' ? `${label} ${t.depth}` : `${label} (hop ${t.depth})`;
  // An Azure operation's Started / Accepted record: on the timeline, but counted with the record that ended it.
  return t.stageOf ? `${role} · start (counted with its final record)` : role;
}

function findingSection(rf: ReportFinding): Html {
  const f = rf.finding;
  const e = f.entry;
  const terms = entryTerms(e.kind);
  const other = f.reasons.filter((r) => r.condition !== 'entry' && r.condition !== 'privileged' && r.condition !== 'unfamiliar');
  return html`<section class="finding" id="finding-${f.id}">
<h3>Finding ${f.id}: <span class="sev sev-${f.severity}">${f.severity}</span> ${f.score}/100 — ${e.principal ?? e.sourceAccount ?? 'unknown principal'}${e.vendor ? ` (${e.vendor})` : ''}</h3>
<p>Entry <code>${e.action}</code> (${e.kind.replace(/-/g, ' ')}, ${cloudName(f.provider)}) at ${iso(e.timeMs)} from <code>${e.sourceIp ?? '—'}</code>; ${terms.source} <code>${e.sourceAccount ?? '—'}</code> → ${terms.target} <code>${e.targetAccount ?? '—'}</code>; entry event <code>${e.eventId}</code>.</p>
${annotationBlock(rf.annotation)}
<h4>The three AN1348 conditions</h4>
<table class="kv"><thead><tr><th>condition</th><th>result</th><th>reasons (evidence ids)</th></tr></thead><tbody>
${conditionRow(f, 'entry', '1. third-party entry')}
${conditionRow(f, 'privileged', '2. privileged calls in short succession')}
${conditionRow(f, 'unfamiliar', '3. unfamiliar network or country')}
</tbody></table>
${other.length ? html`<h4>Other reasons</h4><ul>${other.map((r) => html`<li><b>${r.condition}</b>: ${r.text}${r.eventIds.length ? html` <span class="mono muted">[${idList(r.eventIds)}]</span>` : ''}</li>`)}</ul>` : ''}
<h4>Timeline</h4>
<table class="timeline"><colgroup><col class="c-n"><col class="c-time"><col class="c-offset"><col class="c-role"><col class="c-action"><col class="c-category"><col class="c-outcome"><col class="c-principal"><col class="c-source"><col class="c-geo"></colgroup>
<thead><tr><th>#</th><th>time (UTC)</th><th>offset</th><th>role</th><th>action</th><th>category</th><th>outcome</th><th>principal</th><th>source</th><th>country / AS</th></tr></thead>
${rf.timeline.map((t, i) => html`<tbody><tr><td>${i + 1}${noteMark(rf, t)}</td><td class="nowrap">${iso(t.timeMs)}</td><td class="nowrap">${duration(t.offsetMs)}</td><td>${roleCell(t)}</td><td><code>${t.service ? `${t.service}:` : ''}${t.action}</code></td><td>${t.category ? rf.categoryTitles[t.category] ?? t.category : ''}</td><td>${t.outcome}${t.errorCode ? ` (${t.errorCode})` : ''}</td><td class="mono">${principalLabel(t) ?? ''}</td><td class="mono">${t.sourceIp ?? t.sourceService ?? ''}${t.newNetwork ? html` <b>new</b>` : ''}</td><td>${t.country ?? ''}${t.asn !== null ? ` AS${t.asn}` : ''}${t.asOrg ? ` ${t.asOrg}` : ''}</td></tr>
<tr class="sub"><td></td><td colspan="9" class="mono">event <b>${t.nativeId}</b>${t.userAgent ? html` · user agent ${t.userAgent}` : ''}</td></tr></tbody>`)}
</table>
${rf.sessionNotes.length ? html`<h4>Session annotations</h4><ul>${rf.sessionNotes.map((a) => html`<li>session <code>${(a.target as { sessionKey: string }).sessionKey}</code>: ${verdictOf(a)} ${a.tags.join(', ')} ${a.note ? html`<div class="note">${a.note}</div>` : ''}</li>`)}</ul>` : ''}
${rf.eventNotes.length ? html`<h4>Event annotations</h4><ul>${rf.eventNotes.map((a) => html`<li><code>${(a.target as { nativeId: string }).nativeId}</code>: ${verdictOf(a)} ${a.tags.join(', ')} ${a.note ? html`<div class="note">${a.note}</div>` : ''}</li>`)}</ul>` : ''}
<h4>Map</h4>
${chainMapSvg(rf.map.chain, rf.map.baseline, `Finding ${f.id}: located sources of the chain`)}
<p class="muted">Red: the chain's sources in time order; grey: the principal's sources before the entry (baseline). Basemap: Natural Earth via world-atlas (public domain).</p>
</section>`;
}

function attackSection(d: ReportData): Html {
  // In each cloud's words: an Azure guest uses the tokens of a sign-in, not credentials of a role assumption.
  const credentials = [...new Set(d.findings.map((f) => entryTerms(f.finding.entry.kind).credentials))].sort();
  const rows: { id: string; name: string; why: string; events: string[] }[] = [
    { id: 'T1199', name: 'Trusted Relationship', why: 'entry by a third-party / cross-account principal', events: [...new Set(d.findings.map((f) => f.finding.entry.eventId))] },
    { id: 'T1078.004', name: 'Valid Accounts: Cloud Accounts', why: `use of ${credentials.length ? credentials.join('; ') : 'the cloud credentials issued at the entry'}`, events: [...new Set(d.findings.flatMap((f) => f.finding.assumeEventIds.length ? f.finding.assumeEventIds : [f.finding.entry.eventId]))] },
  ];
  const byTechnique = new Map<string, { name: string; actions: Set<string>; events: Set<string> }>();
  for (const f of d.findings) for (const t of f.techniques) for (const a of t.attack) {
    const entry = byTechnique.get(a.id) ?? { name: a.name, actions: new Set(), events: new Set() };
    entry.actions.add(`${t.action} (${t.title})`);
    entry.events.add(t.eventId);
    byTechnique.set(a.id, entry);
  }
  for (const [id, v] of [...byTechnique].sort(([a], [b]) => a.localeCompare(b))) rows.push({ id, name: v.name, why: [...v.actions].sort().join(', '), events: [...v.events].sort() });
  // Every privileged call is accounted for, also one the catalog maps to no single technique.
  const unmapped = d.findings.flatMap((f) => f.techniques.filter((t) => t.attack.length === 0));
  if (unmapped.length) rows.push({ id: '—', name: 'no single technique in the catalog', why: [...new Set(unmapped.map((t) => `${t.action} (${t.title})`))].sort().join(', '), events: [...new Set(unmapped.map((t) => t.eventId))].sort() });
  const clouds = new Set(d.findings.map((f) => f.finding.provider));
  const catalogs = Object.entries(d.attackCatalogs).filter(([p]) => clouds.size === 0 || clouds.has(p)).map(([p, v]) => `${p}-privileged ${v}`).join(', ');
  return html`<p>Each privileged call is mapped with the catalog of its own cloud (${catalogs || 'none could be read'}) to the techniques the catalog lists for that operation; a category's techniques are named only when the category has a single one, since a category lists every technique any of its operations may be.</p>
<table><thead><tr><th>technique</th><th>name</th><th>why</th><th>evidence (event ids)</th></tr></thead><tbody>${rows.map((r) => html`<tr><td><code>${r.id}</code></td><td>${r.name}</td><td>${r.why}</td><td class="mono">${r.events.join(', ') || '—'}</td></tr>`)}</tbody></table>`;
}

/** Renders the report. `exportedAt` (UTC ms) appears on exactly one line, marked `export-time`. */
export function renderReportHtml(d: ReportData, exportedAt: number): string {
  const c = d.case;
  const run = d.run;
  // The vendor list names AWS accounts; say so when the case has findings of the clouds it does not cover.
  const nonAws = [...new Set(d.findings.map((f) => f.finding.provider).filter((p) => !hasVendorList(p)))].sort().map((p) => cloudName(p)).join(' or ');
  const settings = run?.settings ?? d.currentSettings;
  const a = settings.allowlist;
  const list = (xs: readonly (string | number)[]) => (xs.length ? xs.map((x, i) => html`${i ? ', ' : ''}<code>${x}</code>`) : html`<span class="muted">none</span>`);
  const body = html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Crossline ${d.appVersion}">
<title>${REPORT_TITLE}: ${c.name}</title>
<style>${trusted(CSS)}</style>
</head>
<body>
<header>
<h1>${REPORT_TITLE}: ${c.name}</h1>
<p class="muted">Case file <code>${c.file}</code> · Crossline ${d.appVersion}</p>
<p class="${EXPORT_TIME_MARKER}">Exported at ${iso(exportedAt)} (the only line that differs between exports of the same case)</p>
</header>

${summarySection(d)}

<h2 id="evidence">2. Evidence</h2>
${evidenceSection(d)}

<h2 id="method">3. Method</h2>
<p>${AN1348_DEFINITION}</p>
${run ? html`<table class="kv"><tbody>
<tr><th>correlation run</th><td>${iso(run.finishedAt)}</td></tr>
${run.counts ? html`<tr><th>what it looked at</th><td>${run.counts.entries.toLocaleString('en-US')} third-party entries: ${d.findingsInCase.toLocaleString('en-US')} listed as findings, ${run.counts.routine.toLocaleString('en-US')} routine (neither a privileged call nor an unfamiliar origin; not listed); ${run.counts.attempts.toLocaleString('en-US')} denied entries (refused before any session)</td></tr>` : ''}
<tr><th>scoring</th><td>${SCORING_METHOD}</td></tr>
<tr><th>privileged-call catalogs</th><td>${Object.entries(run.catalogs).map(([p, v], i) => html`${i ? ', ' : ''}<code>${p}-privileged</code> ${v}`)}</td></tr>
<tr><th>known vendor accounts</th><td>${d.vendors ? html`<code>${d.vendors.version}</code> (${d.vendors.source}), compiled by its contributors from Duo Labs' CloudMapper and Daniel Grzelak's aws_pwn; licence: ${d.vendors.licence}` : 'not available'}${nonAws ? ` — AWS accounts only; Crossline has no such list for ${nonAws}` : ''}</td></tr>
<tr><th>geolocation / ASN data</th><td>${run.geoSources.length ? run.geoSources.map((g) => html`<div>${g.name} — ${g.licence}, built ${g.buildDate ?? 'unknown'}. ${g.attribution}</div>`) : 'none recorded'}</td></tr>
<tr><th>window</th><td>${settings.windowMinutes} minutes after the entry</td></tr>
<tr><th>baseline</th><td>${settings.baselineDays === null ? 'everything before the entry' : `${settings.baselineDays} days before the entry`}</td></tr>
<tr><th>organisation accounts (added)</th><td>${list(settings.organisationAccounts)}</td></tr>
<tr><th>allowlisted accounts</th><td>${list(a.accounts)}</td></tr>
<tr><th>allowlisted roles</th><td>${list(a.roles)}</td></tr>
<tr><th>allowlisted networks</th><td>${list(a.cidrs)}</td></tr>
<tr><th>allowlisted ASNs</th><td>${list(a.asns)}</td></tr>
<tr><th>allowlisted identity providers</th><td>${list(a.identityProviders)}</td></tr>
</tbody></table>
${run.deniedEntries.length ? deniedSection(run.deniedEntries, run.counts?.attempts ?? null) : ''}
${run.coverage.length ? html`<h3>Coverage warnings</h3><ul>${run.coverage.map((w) => html`<li><code>${w.kind}</code> (${w.scope}): ${w.message}</li>`)}</ul>` : html`<p>No coverage warnings were recorded by the run.</p>`}` : html`<p>The correlator has not run on this case.</p>`}

<h2 id="findings">4. Findings</h2>
${d.findings.length ? d.findings.map(findingSection) : noFindingsText(d)}
${d.sessionNotes.length ? html`<h3>Session annotations</h3><ul>${d.sessionNotes.map((s) => html`<li><code>${s.target.provider}:${(s.target as { sessionKey: string }).sessionKey}</code> ${verdictOf(s)} ${s.tags.join(', ')}${s.note ? html`<div class="note">${s.note}</div>` : ''}</li>`)}</ul>` : ''}

<h2 id="attack">5. ATT&amp;CK mapping</h2>
${attackSection(d)}

<h2 id="audit">6. Audit log</h2>
<p class="muted">Every import, settings change and annotation of this case, oldest first (UTC). Exports are recorded in the case's audit log but not listed here, so that re-exporting gives the same report.</p>
<table class="audit"><colgroup><col class="c-id"><col class="c-when"><col class="c-who"><col class="c-who"><col></colgroup><thead><tr><th>#</th><th>time (UTC)</th><th>analyst</th><th>action</th><th>details</th></tr></thead><tbody>
${d.audit.map((x) => html`<tr><td>${x.id}</td><td class="mono">${iso(x.timeMs)}</td><td>${x.analyst}</td><td>${x.action}</td><td class="mono">${JSON.stringify(x.details)}</td></tr>`)}
</tbody></table>

<section class="appendix">
<h2 id="raw">Appendix: raw records of the chains' events</h2>
<p class="muted">Each record as it stood in the evidence, shown as text; the one change: a Unicode direction control is shown by its code point (⟦U+202E⟧), so nothing reads reordered.</p>
${d.raw.map((r) => html`<h4 id="raw-${r.id}">${r.provider} <code>${r.nativeId}</code> · ${iso(r.timeMs)}${loggedOtherwise(r) ? html` <span class="muted">(logged as ${r.timeText})</span>` : ''}</h4><pre>${r.text}</pre>`)}
</section>
</body>
</html>
`;
  return body.text;
}

/** The run's denied entries, grouped: who tried what, refused how, from where, when. */
function deniedSection(groups: DeniedEntry[], total: number | null) {
  const shown = groups.reduce((n, g) => n + g.count, 0);
  return html`<h3>Denied entries</h3>
<p class="muted">Role assumptions, sign-ins and impersonations refused before any session existed: not findings, but who probed what.${total !== null && total > shown ? ` The ${groups.length} most frequent kinds of ${total.toLocaleString('en-US')} attempts.` : ''}</p>
<table><thead><tr><th>cloud</th><th>who</th><th>tried</th><th>refused</th><th>from</th><th>when</th><th>events</th></tr></thead><tbody>
${groups.map((g) => html`<tr><td>${g.provider}</td><td>${g.who ?? 'unknown'}${g.account && g.account !== g.who ? html` <span class="muted">of ${g.account}</span>` : ''}</td><td><code>${g.action}</code>${g.target ? html` ${g.target}` : ''}</td><td>${g.errorCode ?? 'denied'}</td><td>${g.sourceIps.join(', ') || '—'}</td><td>${g.count === 1 ? iso(g.firstMs) : `${g.count}× ${iso(g.firstMs)} – ${iso(g.lastMs)}`}</td><td>${g.eventIds.map((id, i) => html`${i ? ' … ' : ''}<code>${id}</code>`)}</td></tr>`)}
</tbody></table>`;
}

/** Whether the log wrote an event's time other than as its UTC time (an offset, another form): then both are shown. */
function loggedOtherwise(r: { timeMs: number; timeText: string }): boolean {
  const utc = new Date(r.timeMs).toISOString();
  return r.timeText !== utc && r.timeText !== utc.replace('.000Z', 'Z');
}
