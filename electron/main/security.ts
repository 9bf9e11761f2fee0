// Secure by default, never relaxed per environment: every window is sandboxed with context isolation and no
// Node; navigation, new windows, webviews and permission requests are denied; and every request that is not
// the app's own (app://) or the developer tools is cancelled, so "nothing leaves the machine" is enforced
// by the app, not just intended.
import { app, type Session, type WebContents } from 'electron';
import { APP_SCHEME } from './ipc-registry';

/** URL schemes a window may load from. blob: and data: are in-memory (map worker, sprites), never the network. */
const ALLOWED_SCHEMES = new Set([`${APP_SCHEME}:`, 'devtools:', 'blob:', 'data:']);

export function isAllowedRequest(url: string): boolean {
  try {
    return ALLOWED_SCHEMES.has(new URL(url).protocol);
  } catch {
    return false;
  }
}

/** Applies to every web contents ever created (windows, devtools): no navigation, no popups, no webviews. */
export function hardenWebContents(): void {
  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.on('will-navigate', (e) => e.preventDefault());
    contents.on('will-redirect', (e) => e.preventDefault());
    contents.on('will-attach-webview', (e) => e.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
}

export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.webRequest.onBeforeRequest((details, callback) => {
    const allowed = isAllowedRequest(details.url);
    if (!allowed) process.stderr.write(`crossline: blocked a request to ${details.url.slice(0, 200)}\n`);
    callback({ cancel: !allowed });
  });
}

/** The webPreferences of every Crossline window. */
export function secureWebPreferences(preload: string): Electron.WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webviewTag: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    spellcheck: false,
  };
}
