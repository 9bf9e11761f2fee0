import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app';
import { createClient, type Client } from './ipc/client';
import { createStore } from './state/store';
import './app/styles.css';

async function pickClient(): Promise<Client> {
  // A dev server page opened with `?fake` runs on the in-memory client (no core needed).
  if (import.meta.env.DEV && new URLSearchParams(location.search).has('fake')) {
    const { createFakeClient } = await import('./ipc/fake-client');
    return createFakeClient({ mode: 'browser' });
  }
  return createClient();
}

const root = createRoot(document.getElementById('root') as HTMLElement);
pickClient().then(
  (client) => {
    const store = createStore(client);
    root.render(
      <StrictMode>
        <App store={store} />
      </StrictMode>,
    );
    void store.getState().initialise();
  },
  (err: unknown) => {
    root.render(
      <div className="empty" role="alert">
        <h1>Crossline cannot reach its core</h1>
        <p>{err instanceof Error ? err.message : String(err)}</p>
      </div>,
    );
  },
);
