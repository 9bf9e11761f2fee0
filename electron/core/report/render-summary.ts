// Section 1 of the report: the case summary. Its first lines must say what the findings are worth: "no findings"
// only after a correlation run, "not analysed" before one, and any import that stopped part way (or events added
// after the run) named there, not only inside the audit log's JSON.
import { importsAfterCorrelationSentence, notAnalysedSentence, problemTotalsSentence, unfinishedImportSentence } from '../../../shared/domain/analysis-words';
import type { Annotation } from '../../../shared/domain/annotations';
import { utcText, utcTextOrDash } from '../../../shared/time/utc-text';
import { html, type Html } from './escape';
import type { ReportData } from './report-data';
import { sourcesText } from './render-evidence';

const iso = utcTextOrDash;

/** What stands in for the list of findings when it is empty: not analysed, or nothing found. */
export function noFindingsText(d: ReportData): Html {
  if (d.case.lastCorrelationMs === null) return html`<p class="warning"><b>Not analysed.</b> ${notAnalysedSentence(d.case.events)}</p>`;
  return html`<p>No findings: no third-party entry into the organisation was followed by privileged calls or came from an unfamiliar network.</p>`;
}

/** Why the findings may be incomplete (unfinished imports, events after the run), one line each; empty when none. */
function caveats(d: ReportData): string[] {
  const a = d.case.analysis;
  return [...a.unfinishedImports.map((run) => unfinishedImportSentence(run, utcText)), ...(a.importsAfterCorrelation > 0 && d.case.lastCorrelationMs !== null ? [importsAfterCorrelationSentence(a.importsAfterCorrelation)] : [])];
}

export function summarySection(d: ReportData): Html {
  const c = d.case;
  const sev = (s: string) => d.findings.filter((f) => f.finding.severity === s).length;
  const verdicts = (v: string) => d.findings.filter((f) => f.annotation?.verdict === v).length;
  const analysed = c.lastCorrelationMs !== null;
  const warnings = caveats(d);
  const findingsCell = analysed
    ? html`${d.findings.length}${d.findingsInCase !== d.findings.length ? ` of ${d.findingsInCase} in the case (this report is an extract)` : ''}: ${sev('critical')} critical, ${sev('high')} high, ${sev('medium')} medium, ${sev('low')} low · analyst verdicts: ${verdicts('malicious')} malicious, ${verdicts('benign')} benign, ${verdicts('needs-review')} needs review, ${d.findings.length - verdicts('malicious') - verdicts('benign') - verdicts('needs-review')} none${warnings.length ? html` <b>(may be incomplete: see below)</b>` : ''}`
    : html`<b>not analysed</b>: the correlator has not run on this case`;
  return html`<h2 id="summary">1. Case summary and scope</h2>
<table class="kv"><tbody>
<tr><th>findings</th>${analysed ? html`<td>${findingsCell}</td>` : html`<td class="warning">${findingsCell}</td>`}</tr>
<tr><th>last correlation</th><td>${analysed ? iso(c.lastCorrelationMs) : 'never'}</td></tr>
${warnings.length ? html`<tr><th>incomplete analysis</th><td class="warning">${warnings.map((w, i) => html`${i ? html`<br>` : ''}${w}`)}</td></tr>` : ''}
<tr><th>events</th><td>${c.events.toLocaleString('en-US')}</td></tr>
<tr><th>time range (UTC)</th><td>${c.firstEventMs === null ? 'no events' : html`${iso(c.firstEventMs)} — ${iso(c.lastEventMs)}`}</td></tr>
<tr><th>accounts</th><td>${c.accounts.length ? c.accounts.map((x, i) => html`${i ? ', ' : ''}<code>${x.provider}:${x.account}</code>`) : '—'}</td></tr>
<tr><th>sources</th><td>${sourcesText(c.sources)}; ${c.imports} import run${c.imports === 1 ? '' : 's'} (<a href="#imports">section 2</a>)</td></tr>
<tr><th>import problems</th><td>${problemTotalsSentence(d.imports.problemTotals)}${d.imports.problemTotals.groups ? html` (<a href="#import-problems">grouped by reason in section 2</a>)` : ''}</td></tr>
</tbody></table>
${d.findings.length ? html`<table><thead><tr><th>finding</th><th>severity</th><th>score</th><th>entry (UTC)</th><th>principal</th><th>source account</th><th>verdict</th></tr></thead><tbody>${d.findings.map((f) => html`<tr><td><a href="#finding-${f.finding.id}">${f.finding.id}</a></td><td><span class="sev sev-${f.finding.severity}">${f.finding.severity}</span></td><td>${f.finding.score}</td><td class="mono">${iso(f.finding.entry.timeMs)}</td><td class="mono">${f.finding.entry.principal ?? ''}</td><td class="mono">${f.finding.entry.sourceAccount ?? ''}</td><td>${verdictOf(f.annotation)}</td></tr>`)}</tbody></table>` : noFindingsText(d)}`;
}

/** An analyst's verdict as the report shows it everywhere. */
export function verdictOf(a: Annotation | null): Html {
  if (!a?.verdict) return html`<span class="muted">no verdict</span>`;
  return html`<span class="verdict verdict-${a.verdict}">${a.verdict}</span>`;
}
