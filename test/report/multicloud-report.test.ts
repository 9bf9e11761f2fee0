// The report of the Azure and GCP sample (globex-multicloud) as a client reads it: the ATT&CK mapping of each call
// from its own cloud's catalog, and each cloud's own words (later sign-in, tokens, no AWS vendor list, titles).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openCase } from '../../electron/db/connection';
import { importEvidence } from '../../electron/core/import/import-evidence';
import { runCorrelation } from '../../electron/core/correlate/run-correlation';
import { readReportData } from '../../electron/core/report/report-data';
import { renderReportHtml } from '../../electron/core/report/render-html';

const root = resolve(import.meta.dirname, '..', '..');
/** A part of the page as text: tags dropped, entities of the report's escaping read back. */
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&amp;/g, '&').replace(/&#39;/g, "'").replace(/\s+/g, ' ');
const between = (html: string, from: string, to: string) => html.slice(html.indexOf(from), html.indexOf(to, html.indexOf(from)));

test('the multicloud report maps each call with its own cloud\'s catalog and speaks each cloud\'s words', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'crossline-mc-report-'));
  const caseFile = join(dir, 'globex.crossline');
  try {
    const db0 = openCase(caseFile);
    await importEvidence(db0, [join(root, 'resources', 'samples', 'globex-multicloud')], {});
    db0.close();
    await runCorrelation(caseFile, {});
    const db = openCase(caseFile, { create: false });
    let html: string;
    try {
      html = renderReportHtml(readReportData(db, caseFile), 0);
    } finally {
      db.close();
    }

    const attack = text(between(html, '<h2 id="attack">', '<h2 id="audit">'));
    const row = (id: string) => new RegExp(`(?:^| )${id.replace('.', '\\.')} ([^|]*?)(?= T\\d{4}| — |$)`).exec(attack)?.[1] ?? null;
    // What the sample's calls are in ATT&CK, each named for the call it rests on.
    assert.match(row('T1651') ?? '', /Cloud Administration Command .*runCommand\/action \(Execution and lateral movement\)/);
    assert.match(row('T1562.008') ?? '', /diagnosticSettings\/delete \(Defense evasion\)/);
    assert.doesNotMatch(row('T1562.008') ?? '', /SetIamPolicy/, 'granting roles is not disabling logs');
    assert.match(row('T1098.001') ?? '', /CreateServiceAccountKey \(Credential minting\)/);
    assert.match(row('T1098.003') ?? '', /roleAssignments\/write \(Permission escalation\).*SetIamPolicy \(Permission escalation\)/);
    // What the AWS catalog's categories claimed: none of it happened in this case.
    for (const wrong of ['T1556.006', 'T1535', 'T1666', 'T1021.008', 'T1610', 'T1578.002', 'T1648']) {
      assert.equal(row(wrong), null, `${wrong} is not in the mapping`);
    }
    assert.doesNotMatch(attack, /Deploy Container|Multi-Factor|Unused\/Unsupported Cloud Regions/);
    // T1078.004 in Azure and GCP terms: tokens of a sign-in, a service account's minted token.
    assert.match(row('T1078.004') ?? '', /tokens issued by the guest's Entra ID sign-in/);
    assert.match(row('T1078.004') ?? '', /service account's short-lived token minted by the impersonation/);
    assert.doesNotMatch(attack, /role assumption/);

    // The guest's chain: its later sign-in of the same session is called that, not an assumption or a role hop.
    const findings = text(between(html, '<h2 id="findings">', '<h2 id="attack">'));
    assert.match(findings, /later sign-in/);
    // An Azure operation's Started record is marked as the start of its operation, not read as a call of its own.
    assert.match(html, /<td>[^<]+ · start \(counted with its final record\)<\/td>/);
    assert.doesNotMatch(html, /<td>(assume|role hop)( \(hop \d+\))?<\/td>/);
    assert.match(findings, /home tenant e4d3c2b1-a098-4f7e-8d6c-5b4a39281706 → tenant 6f1c3a2e-8b4d-4e7a-9c15-2d3e4f5a6b7c/);
    assert.match(findings, /caller's project or domain evil-corp-prod → project acme-prod/);
    assert.doesNotMatch(findings, /source account|target account/);
    // Categories by their titles, as the app shows them, never their ids.
    assert.match(findings, /Permission escalation/);
    assert.doesNotMatch(html, /<td>(permission-escalation|credential-minting|defense-evasion|data-exposure|execution-and-lateral-movement)<\/td>|\((permission-escalation|credential-minting|defense-evasion)\)/);
    // The known-vendor list covers AWS accounts only; the method says so for a case of other clouds.
    assert.match(text(between(html, '<h2 id="method">', '<h2 id="findings">')), /AWS accounts only; Crossline has no such list for Azure or GCP/);
    assert.match(text(between(html, '<h2 id="method">', '<h2 id="findings">')), /privileged-call catalogs azure-privileged [\d.]+, gcp-privileged [\d.]+ known vendor/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
