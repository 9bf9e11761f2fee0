// Section 2 of the report: the evidence files (what each brought the case and what of it could not be used), the
// import runs, and the import problems grouped by reason. A client must be able to see that 21 of 48 records of a
// file were out of scope (or unreadable), and why, without the case file.
import { PROBLEM_KIND_WORDS } from '../../../shared/domain/analysis-words';
import { utcText, utcTextOrDash } from '../../../shared/time/utc-text';
import { html, type Html } from './escape';
import { groupEvidence, manifestSha256 } from './evidence-manifest';
import type { ReportData } from './report-data';

/** Above this many files the list is folded (and so left out of print), with the groups and digests shown instead. */
export const EVIDENCE_LIST_OPEN_MAX = 200;

const n = (x: number) => x.toLocaleString('en-US');
const iso = utcTextOrDash;

/** "7,557 files, 1 archive, 9,870,641 bytes": the summary's and the evidence section's words for the same counts. */
export function sourcesText(s: ReportData['case']['sources']): string {
  return `${n(s.files)} file${s.files === 1 ? '' : 's'}${s.archives ? `, ${n(s.archives)} archive${s.archives === 1 ? '' : 's'}` : ''}, ${n(s.bytes)} bytes${s.incomplete ? `, ${n(s.incomplete)} incomplete` : ''}`;
}

const COUNT_HEADS = html`<th>events</th><th>duplicates</th><th>skipped</th><th>out of scope</th><th>unreadable</th>`;

function evidenceList(d: ReportData): Html {
  return html`<table><thead><tr><th>path</th><th>bytes</th><th>SHA-256</th><th>format</th>${COUNT_HEADS}</tr></thead><tbody>
${d.evidence.map((e) => html`<tr><td class="mono">${e.path}</td><td>${n(e.size)}${e.given ? '' : html` <span class="muted">(in its archive)</span>`}</td><td class="mono">${e.sha256}</td><td>${e.format ?? ''}</td><td>${n(e.events)}${e.complete ? '' : ' (incomplete)'}</td><td>${n(e.duplicates)}</td><td>${n(e.skipped)}</td><td>${n(e.outOfScope)}</td><td>${n(e.unreadable)}</td></tr>`)}
</tbody></table>`;
}

function evidenceGroups(d: ReportData): Html {
  return html`<table><thead><tr><th>folder</th><th>files</th><th>bytes</th><th>events</th><th>out of scope</th><th>unreadable</th><th>manifest SHA-256 of the folder's files</th></tr></thead><tbody>
${groupEvidence(d.evidence).map((g) => html`<tr><td class="mono">${g.prefix}</td><td>${n(g.files)}${g.archives ? ` + ${n(g.archives)} archive${g.archives === 1 ? '' : 's'}` : ''}</td><td>${n(g.bytes)}</td><td>${n(g.events)}${g.incomplete ? ` (${g.incomplete} incomplete)` : ''}</td><td>${n(g.outOfScope)}</td><td>${n(g.unreadable)}</td><td class="mono">${g.manifestSha256}</td></tr>`)}
</tbody></table>`;
}

export function evidenceSection(d: ReportData): Html {
  const ev = d.evidence;
  return html`<p>${sourcesText(d.case.sources)} as given (archive members are listed as <code>archive!/member</code>; their bytes are inside their archive's), each file once however often it was imported, with its SHA-256.
Manifest SHA-256 <code class="manifest">${manifestSha256(ev)}</code>: the SHA-256 of the lines <code>&lt;sha256&gt;  &lt;path&gt;</code>, one per file, sorted by path (the format of <code>sha256sum</code>); <code>crossline report CASE --what evidence --format csv</code> writes the same list.</p>
<p class="muted">Per file: <b>events</b> it added to the case, <b>duplicates</b> of events already stored (another trail's copy), <b>skipped</b> non-events (digest files, Insights), records <b>out of scope</b> (left out by design: not sign-in or control-plane audit records), and <b>unreadable</b> input (damaged records, or the whole file).</p>
${ev.length > EVIDENCE_LIST_OPEN_MAX ? html`${evidenceGroups(d)}
<details class="evidence-list"><summary>Every file with its SHA-256 (${n(ev.length)} rows; open to read them here — a printed report shows the folders above)</summary>
${evidenceList(d)}
</details>` : evidenceList(d)}
${importRuns(d)}
${importProblems(d)}`;
}

function importRuns(d: ReportData): Html {
  const runs = d.imports.runs;
  if (runs.length === 0) return html`<h3 id="imports">Import runs</h3><p>No import has run on this case.</p>`;
  return html`<h3 id="imports">Import runs</h3>
<table><thead><tr><th>#</th><th>started (UTC)</th><th>finished (UTC)</th><th>status</th><th>paths given</th><th>files</th><th>new events</th><th>duplicates</th><th>skipped</th><th>errors</th></tr></thead><tbody>
${runs.map((r) => html`<tr><td>${r.id}</td><td class="mono">${iso(r.startedAt)}</td><td class="mono">${iso(r.finishedAt)}</td><td>${r.status === 'running' ? 'no recorded end' : r.status}</td><td class="mono">${r.inputs.map((p, i) => html`${i ? html`<br>` : ''}${p}`)}</td>${r.stats ? html`<td>${n(r.stats.files)}</td><td>${n(r.stats.events)}</td><td>${n(r.stats.duplicates)}</td><td>${n(r.stats.skipped)}</td><td>${n(r.stats.errors)}</td>` : html`<td colspan="5" class="muted">not recorded</td>`}</tr>`)}
</tbody></table>`;
}

function importProblems(d: ReportData): Html {
  const { problems, problemTotals: t } = d.imports;
  if (t.groups === 0) return html`<h3 id="import-problems">Import problems</h3><p>None: every record read was imported or skipped by design.</p>`;
  const row = (g: ReportData['imports']['problems'][number]) =>
    html`<tr><td>${PROBLEM_KIND_WORDS[g.kind]}</td><td>${g.reason}</td><td>${n(g.count)}</td><td>${n(g.files)}</td><td class="mono">${g.examples.map((e, i) => html`${i ? html`<br>` : ''}${e.file}${e.position ? ` (${e.position})` : ''}`)}</td></tr>`;
  return html`<h3 id="import-problems">Import problems</h3>
<p>${n(t.outOfScope)} record${t.outOfScope === 1 ? '' : 's'} out of scope (recognised and left out by design, since they are not sign-in or control-plane audit records: Entra audit logs, Microsoft 365 activity, AKS kube-audit, GCP logs that are not audit logs) and ${n(t.damaged)} damaged or unreadable (a record, or a whole file), in ${n(t.groups)} reason${t.groups === 1 ? '' : 's'}${problems.length < t.groups ? `; the ${problems.length} with the most records are listed` : ''}. Each problem is counted once however often its file was imported; the first few places of each are named.</p>
<table><thead><tr><th>kind</th><th>reason</th><th>records</th><th>files</th><th>first places</th></tr></thead><tbody>
${problems.map(row)}
</tbody></table>`;
}
