import { useRef, useState, type FormEvent } from 'react';
import { DEFAULT_SAMPLE, SAMPLES } from '../../../shared/domain/samples';
import { useApp, useAppStore } from '../../state/store';
import { formatTime } from '../../ui/format';

export function StartScreen() {
  const recent = useApp((s) => s.recent);
  const busy = useApp((s) => s.caseBusy);
  const openSample = useApp((s) => s.openSample);
  const openCase = useApp((s) => s.openCase);
  const createCase = useApp((s) => s.createCase);
  const caseInfo = useApp((s) => s.caseInfo);
  const navigate = useApp((s) => s.navigate);
  const drafts = useApp((s) => Object.keys(s.annotationDrafts).length);

  return (
    <div className="screen">
      <div className="start">
        <div className="hero">
          <h1>Cloud incident workbench</h1>
          <p>
            Crossline imports cloud audit logs into one case file on this machine and finds the chains of MITRE ATT&amp;CK analytic
            AN1348. Nothing leaves the machine.
          </p>
        </div>
        <div className="an1348" aria-label="What AN1348 looks for">
          <div><b>1 · Third-party entry</b>A principal outside the organisation comes in: assumes an AWS role, signs in to an Azure tenant, impersonates a GCP service account.</div>
          <div><b>2 · Privileged calls</b>Privileged API calls follow within minutes, with that session.</div>
          <div><b>3 · Unfamiliar origin</b>From networks or countries the organisation, the role or the caller had not used.</div>
        </div>

        {caseInfo && (
          <div className="panel panel-body row">
            <div className="grow">
              <b>{caseInfo.name}</b> is open <span className="muted mono">{caseInfo.file}</span>
            </div>
            <button type="button" className="btn" onClick={() => navigate('findings')}>Go to findings</button>
          </div>
        )}
        {caseInfo && drafts > 0 && (
          // Drafts belong to this case: warn here, where another case is opened, before they are dropped.
          <p className="drafts-warning" role="status" data-testid="drafts-warning">
            {drafts} unsaved annotation draft{drafts === 1 ? '' : 's'} in <b>{caseInfo.name}</b>: opening or creating a case discards {drafts === 1 ? 'it' : 'them'}.
            Save or discard {drafts === 1 ? 'it' : 'them'} first (the list is in the top bar).
          </p>
        )}

        <div className="cards">
          {SAMPLES.map((sample) => (
            <section key={sample.id} className="card" aria-labelledby={`sample-title-${sample.id}`} data-sample={sample.id}>
              <h2 id={`sample-title-${sample.id}`}>Sample case: {sample.title}</h2>
              <p className="muted">{sample.description}</p>
              <div className="row">
                <button
                  type="button"
                  className={sample.id === DEFAULT_SAMPLE ? 'btn primary' : 'btn'}
                  disabled={busy}
                  onClick={() => void openSample(sample.id)}
                  data-testid={sample.id === DEFAULT_SAMPLE ? 'open-sample' : `open-sample-${sample.id}`}
                >
                  Open this sample
                </button>
              </div>
            </section>
          ))}
          <PathCard
            id="create"
            title="New case"
            description="Creates an empty case file; you add evidence next."
            placeholder="/cases/incident-2026-10.crossline"
            action="Create case"
            busy={busy}
            onSubmit={createCase}
            primary={false}
          />
          <PathCard
            id="open"
            title="Open case"
            description="Opens an existing .crossline case file."
            placeholder="/cases/incident.crossline"
            action="Open case"
            busy={busy}
            onSubmit={openCase}
            primary={false}
            pickFile
          />
        </div>

        <section className="panel" aria-labelledby="recent-title">
          <div className="panel-title"><h2 id="recent-title">Recent cases</h2></div>
          {recent.length === 0 ? (
            <p className="panel-body muted">No recent cases.</p>
          ) : (
            <ul className="recent-list" data-testid="recent-cases">
              {recent.map((r) => (
                <li key={r.file}>
                  <button type="button" onClick={() => void openCase(r.file)} disabled={busy}>
                    <span><b>{r.name}</b> <span className="muted mono small">{r.file}</span></span>
                    <span className="muted small">{formatTime(r.openedAt, { seconds: false })}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </div>
  );
}

function PathCard(props: {
  id: string;
  title: string;
  description: string;
  placeholder: string;
  action: string;
  busy: boolean;
  primary: boolean;
  pickFile?: boolean;
  onSubmit(file: string): Promise<boolean>;
}) {
  const [path, setPath] = useState('');
  const fileInput = useRef<HTMLInputElement>(null);
  const store = useAppStore();
  const electron = store.getState().clientMode === 'electron';
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (path.trim()) void props.onSubmit(path.trim());
  };
  return (
    <form className="card" onSubmit={submit} aria-labelledby={`${props.id}-title`}>
      <h2 id={`${props.id}-title`}>{props.title}</h2>
      <p className="muted">{props.description}</p>
      <label className="field">
        <span>Case file path</span>
        <input className="input mono" value={path} onChange={(e) => setPath(e.target.value)} placeholder={props.placeholder} spellCheck={false} data-testid={`${props.id}-path`} />
      </label>
      <div className="row">
        <button type="submit" className={`btn${props.primary ? ' primary' : ''}`} disabled={props.busy || !path.trim()}>{props.action}</button>
        {electron && props.pickFile && (
          <>
            <button type="button" className="btn" onClick={() => fileInput.current?.click()}>Browse…</button>
            <input
              ref={fileInput}
              type="file"
              accept=".crossline"
              hidden
              onChange={(e) => {
                const file = e.target.files?.[0];
                const p = file ? store.getState().pathForFile(file) : null;
                if (p) setPath(p);
              }}
            />
          </>
        )}
      </div>
    </form>
  );
}
