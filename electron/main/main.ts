// The Electron shell: windows, the app:// protocol, security hooks, menus and IPC registration. Everything
// else is the core service (electron/core/services/workbench.ts), the same one `crossline serve` runs.
import { BrowserWindow, Menu, app, dialog, ipcMain, nativeTheme, session } from 'electron';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { EVENT_CHANNELS, type EventChannel, type Events } from '../../shared/ipc/contract';
import { CASE_EXTENSION } from '../db/connection';
import { appFile, rendererDir } from '../core/app-paths';
import { createWorkbench, type Workbench } from '../core/services/workbench';
import { printHtmlToPdf } from './print-pdf';
import { handleAppProtocol, registerAppScheme } from './app-protocol';
import { APP_URL, registerIpc, type IpcMainLike } from './ipc-registry';
import { buildMenu } from './menu';
import { hardenSession, hardenWebContents, secureWebPreferences } from './security';

registerAppScheme();
app.enableSandbox();
hardenWebContents();

let service: Workbench | null = null;
let quitting = false;

function broadcast<E extends EventChannel>(channel: E, payload: Events[E]): void {
  for (const win of BrowserWindow.getAllWindows()) if (!win.isDestroyed()) win.webContents.send(channel, payload);
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 920,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'Crossline',
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#14161a' : '#ffffff',
    webPreferences: secureWebPreferences(appFile('out', 'preload', 'preload.cjs')),
  });
  win.once('ready-to-show', () => win.show());
  // The page objects to being closed or reloaded while it holds unsaved annotation drafts (drafts-indicator.tsx).
  // Electron then cancels the close without a word unless asked here, so the analyst is asked.
  win.webContents.on('will-prevent-unload', (event) => {
    const choice = dialog.showMessageBoxSync(win, {
      type: 'question',
      buttons: ['Discard drafts and close', 'Keep working'],
      defaultId: 1,
      cancelId: 1,
      title: 'Unsaved annotation drafts',
      message: 'Some annotations have unsaved drafts.',
      detail: 'The top bar lists them. Closing now discards what was typed since the last save.',
    });
    if (choice === 0) event.preventDefault(); // overrides the page's objection: the window closes
  });
  void win.loadURL(APP_URL);
  return win;
}

function refreshMenu(): void {
  if (!service) return;
  const s = service;
  Menu.setApplicationMenu(buildMenu({ send: (m) => broadcast('menu.invoked', m), recent: () => s.recentCases() }));
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    const win = BrowserWindow.getAllWindows()[0];
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });

  void app.whenReady().then(async () => {
    nativeTheme.themeSource = 'system';
    hardenSession(session.defaultSession);
    handleAppProtocol(rendererDir());
    const s = createWorkbench({ dataDir: app.getPath('userData'), printToPdf: printHtmlToPdf });
    service = s;
    registerIpc(ipcMain as unknown as IpcMainLike, s);
    for (const channel of EVENT_CHANNELS) if (channel !== 'menu.invoked') s.on(channel, (payload) => broadcast(channel, payload as never));
    s.on('case.changed', () => refreshMenu());
    refreshMenu();
    // A case file given on the command line (or by the OS when one is double-clicked) opens at start.
    const given = process.argv.slice(1).find((a) => a.endsWith(CASE_EXTENSION) && existsSync(a));
    if (given) await s.handlers['case.open']({ file: join(given) }).catch(() => undefined);
    createWindow();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createWindow();
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  // Let a running import or correlation stop cleanly (the case records it as cancelled) before exiting.
  app.on('before-quit', (event) => {
    if (quitting || !service) return;
    event.preventDefault();
    quitting = true;
    void service.close().finally(() => app.quit());
  });
}
