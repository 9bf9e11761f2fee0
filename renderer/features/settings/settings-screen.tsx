import { useEffect, useState, type FormEvent } from 'react';
import type { CorrelationSettings } from '../../../shared/domain/correlation';
import { useApp } from '../../state/store';
import { Empty } from '../../ui/components';

interface Draft {
  organisationAccounts: string;
  windowMinutes: string;
  baselineAll: boolean;
  baselineDays: string;
  accounts: string;
  roles: string;
  cidrs: string;
  asns: string;
  identityProviders: string;
  cityMmdb: string;
  asnMmdb: string;
}

const lines = (text: string) => [...new Set(text.split(/[\n,]/).map((l) => l.trim()).filter(Boolean))];

function draftOf(s: CorrelationSettings): Draft {
  return {
    organisationAccounts: s.organisationAccounts.join('\n'),
    windowMinutes: String(s.windowMinutes),
    baselineAll: s.baselineDays === null,
    baselineDays: s.baselineDays === null ? '90' : String(s.baselineDays),
    accounts: s.allowlist.accounts.join('\n'),
    roles: s.allowlist.roles.join('\n'),
    cidrs: s.allowlist.cidrs.join('\n'),
    asns: s.allowlist.asns.map(String).join('\n'),
    identityProviders: s.allowlist.identityProviders.join('\n'),
    cityMmdb: s.geo.cityMmdb ?? '',
    asnMmdb: s.geo.asnMmdb ?? '',
  };
}

const CIDR = /^(?:(?:\d{1,3}\.){3}\d{1,3}(?:\/\d{1,2})?|[0-9a-f:]+(?:\/\d{1,3})?)$/i;

/** The settings a draft describes, or the problems that stop it from being saved. */
export function settingsOf(d: Draft): { settings: CorrelationSettings } | { problems: string[] } {
  const problems: string[] = [];
  const windowMinutes = Number(d.windowMinutes);
  if (!Number.isInteger(windowMinutes) || windowMinutes < 1 || windowMinutes > 24 * 60) problems.push('The window is a whole number of minutes, 1 to 1440.');
  const baselineDays = d.baselineAll ? null : Number(d.baselineDays);
  if (baselineDays !== null && (!Number.isInteger(baselineDays) || baselineDays < 1)) problems.push('The baseline is a whole number of days (or all history).');
  const asns: number[] = [];
  for (const a of lines(d.asns)) {
    const n = Number(a.replace(/^AS/i, ''));
    if (Number.isInteger(n) && n > 0) asns.push(n);
    else problems.push(`Not an ASN: ${a}`);
  }
  const cidrs = lines(d.cidrs);
  for (const c of cidrs) if (!CIDR.test(c)) problems.push(`Not an IP or CIDR: ${c}`);
  if (problems.length) return { problems };
  const geo: CorrelationSettings['geo'] = {};
  if (d.cityMmdb.trim()) geo.cityMmdb = d.cityMmdb.trim();
  if (d.asnMmdb.trim()) geo.asnMmdb = d.asnMmdb.trim();
  return {
    settings: {
      organisationAccounts: lines(d.organisationAccounts),
      windowMinutes,
      baselineDays,
      allowlist: { accounts: lines(d.accounts), roles: lines(d.roles), cidrs, asns, identityProviders: lines(d.identityProviders) },
      geo,
    },
  };
}

export function SettingsScreen() {
  const settings = useApp((s) => s.settings);
  const error = useApp((s) => s.settingsError);
  const caseInfo = useApp((s) => s.caseInfo);
  const loadSettings = useApp((s) => s.loadSettings);

  useEffect(() => {
    if (!settings && caseInfo) void loadSettings();
  }, [settings, caseInfo, loadSettings]);

  return (
    <div className="screen">
      <div className="settings">
        <div className="screen-header">
          <h1>Case settings</h1>
          <span className="sub">{caseInfo ? `stored in ${caseInfo.name}` : ''}</span>
        </div>
        <AnalystName />
        {settings ? <SettingsForm settings={settings} /> : error ? <p className="error-text">{error}</p> : <Empty title="Loading settings…" />}
        <AboutFooter />
      </div>
    </div>
  );
}

function SettingsForm({ settings }: { settings: CorrelationSettings }) {
  const save = useApp((s) => s.saveSettings);
  const saving = useApp((s) => s.settingsSaving);
  const error = useApp((s) => s.settingsError);
  const jobId = useApp((s) => s.settingsJobId);
  const job = useApp((s) => (s.settingsJobId === null ? null : s.jobs[s.settingsJobId] ?? null));
  const findings = useApp((s) => s.findings.length);
  const [draft, setDraft] = useState<Draft>(() => draftOf(settings));
  const [problems, setProblems] = useState<string[]>([]);
  const [dirty, setDirty] = useState(false);

  useEffect(() => {
    if (!dirty) setDraft(draftOf(settings));
  }, [settings, dirty]);

  const set = (patch: Partial<Draft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setDirty(true);
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const result = settingsOf(draft);
    if ('problems' in result) {
      setProblems(result.problems);
      return;
    }
    setProblems([]);
    if (await save(result.settings)) setDirty(false);
  };

  const area = (key: keyof Draft, label: string, hint: string, placeholder: string) => (
    <label className="field">
      <span>{label} <span className="hint">{hint}</span></span>
      <textarea className="textarea" rows={3} value={draft[key] as string} onChange={(e) => set({ [key]: e.target.value })} placeholder={placeholder} spellCheck={false} data-setting={key} />
    </label>
  );

  const running = job !== null && job.finished === null;
  return (
    <form onSubmit={(e) => void submit(e)} className="settings" data-testid="settings-form">
      <section className="panel">
        <div className="panel-title"><h2>Organisation</h2></div>
        <div className="panel-body settings-grid">
          {area('organisationAccounts', 'Organisation accounts', 'beyond those whose own logs are in the evidence; one per line', 'e.g. 111111111111')}
          <div style={{ display: 'flex', flexDirection: 'column', gap: 12 }}>
            <label className="field">
              <span>Correlation window <span className="hint">minutes after an entry that its calls count</span></span>
              <input className="input" type="number" min={1} max={1440} value={draft.windowMinutes} onChange={(e) => set({ windowMinutes: e.target.value })} data-setting="windowMinutes" />
            </label>
            <div className="field">
              <span>Baseline <span className="hint">how far back “familiar” looks before an entry</span></span>
              <div className="row">
                <label className="row"><input type="checkbox" checked={draft.baselineAll} onChange={(e) => set({ baselineAll: e.target.checked })} data-setting="baselineAll" /> all history</label>
                <input className="input" type="number" min={1} disabled={draft.baselineAll} value={draft.baselineDays} onChange={(e) => set({ baselineDays: e.target.value })} style={{ width: 90 }} aria-label="Baseline days" data-setting="baselineDays" />
                <span className="muted">days</span>
              </div>
            </div>
          </div>
        </div>
      </section>
      <section className="panel">
        <div className="panel-title"><h2>Allowlists</h2><span className="muted small">what is never reported; one per line</span></div>
        <div className="panel-body settings-grid">
          {area('accounts', 'Accounts', 'third-party accounts you trust', 'e.g. 464622532012')}
          {area('roles', 'Roles', 'role names, e.g. a vendor integration role', 'e.g. DatadogIntegrationRole')}
          {area('cidrs', 'Networks', 'IP addresses or CIDR ranges', 'e.g. 203.0.113.0/24')}
          {area('asns', 'ASNs', 'autonomous systems, with or without “AS”', 'e.g. AS16509')}
          {area('identityProviders', 'Identity providers', 'SAML / OIDC providers', 'e.g. arn:aws:iam::111111111111:saml-provider/Okta')}
        </div>
      </section>
      <section className="panel">
        <div className="panel-title"><h2>Geolocation databases</h2><span className="muted small">empty: the bundled DB-IP Lite data</span></div>
        <div className="panel-body settings-grid">
          <label className="field"><span>City database (.mmdb)</span><input className="input mono" value={draft.cityMmdb} onChange={(e) => set({ cityMmdb: e.target.value })} placeholder="e.g. /data/GeoLite2-City.mmdb" spellCheck={false} data-setting="cityMmdb" /></label>
          <label className="field"><span>ASN database (.mmdb)</span><input className="input mono" value={draft.asnMmdb} onChange={(e) => set({ asnMmdb: e.target.value })} placeholder="e.g. /data/GeoLite2-ASN.mmdb" spellCheck={false} data-setting="asnMmdb" /></label>
        </div>
      </section>
      {problems.length > 0 && (
        <ul className="error-text" role="alert">{problems.map((p) => <li key={p}>{p}</li>)}</ul>
      )}
      {error && <p className="error-text" role="alert">{error}</p>}
      <div className="row">
        <button type="submit" className="btn primary" disabled={saving || running} data-testid="save-settings">Save and re-correlate</button>
        <button type="button" className="btn ghost" disabled={!dirty} onClick={() => { setDraft(draftOf(settings)); setDirty(false); setProblems([]); }}>Discard changes</button>
        <span className="muted" data-testid="settings-status" data-state={running ? 'running' : job?.finished ? job.finished.status : 'idle'}>
          {saving ? 'Saving…' : error && dirty ? 'Not saved' : running ? 'Correlating with the new settings…' : job?.finished?.status === 'complete' && jobId !== null ? `Saved · ${findings} finding${findings === 1 ? '' : 's'} now` : dirty ? 'Unsaved changes' : ''}
        </span>
      </div>
    </form>
  );
}

/** The analyst's name: set once per install, on every annotation and audit entry from then on. */
function AnalystName() {
  const about = useApp((s) => s.about);
  const setAnalyst = useApp((s) => s.setAnalyst);
  const [name, setName] = useState(about?.analyst ?? '');
  const [saved, setSaved] = useState(false);
  useEffect(() => setName(about?.analyst ?? ''), [about?.analyst]);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(await setAnalyst(name));
  };
  return (
    <form className="panel analyst-form" onSubmit={(e) => void submit(e)} data-testid="analyst-form">
      <div className="panel-title"><h2>Analyst</h2><span className="muted small">for this install: recorded with every annotation, export and settings change</span></div>
      <div className="panel-body row">
        <input className="input" type="text" value={name} maxLength={200} onChange={(e) => { setName(e.target.value); setSaved(false); }} data-testid="analyst-name" aria-label="Analyst name" />
        <button type="submit" className="btn" disabled={!name.trim() || name.trim() === about?.analyst} data-testid="analyst-save">Save name</button>
        {saved && <span className="muted small" data-testid="analyst-saved">saved</span>}
      </div>
    </form>
  );
}

function AboutFooter() {
  const about = useApp((s) => s.about);
  return (
    <footer className="about" data-testid="about">
      <b>About Crossline{about ? ` ${about.version}` : ''}</b>
      {about?.catalogVersion && <span>Privileged-call catalog version {about.catalogVersion}</span>}
      {about?.geoSources.map((g) => (
        <span key={g.name}>{g.attribution}{g.buildDate ? ` (data of ${g.buildDate})` : ''} — {g.name}, {g.licence}</span>
      ))}
      <span>Basemap: Natural Earth (public domain), via world-atlas (ISC). Known AWS vendor accounts: fwdcloudsec/known_aws_accounts.</span>
      <span>Crossline makes no network requests: every lookup runs on this machine.</span>
    </footer>
  );
}
