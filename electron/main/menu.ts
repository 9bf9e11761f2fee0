// The native menus. Items that need a path show main's own dialog first; every item then reaches the
// renderer as a `menu.invoked` event, and the renderer makes the matching request as for its own buttons.
import { BrowserWindow, Menu, dialog, nativeTheme, type MenuItemConstructorOptions } from 'electron';
import { SAMPLES } from '../../shared/domain/samples';
import type { MenuAction, MenuInvoked, RecentCase } from '../../shared/ipc/contract';

const CASE_FILTERS = [{ name: 'Crossline case', extensions: ['crossline'] }];
const EVIDENCE_FILTERS = [
  { name: 'Audit log exports', extensions: ['gz', 'json', 'jsonl', 'ndjson', 'csv', 'zip', 'tar', 'tgz'] },
  { name: 'All files', extensions: ['*'] },
];

export interface MenuContext {
  send(message: MenuInvoked): void;
  recent(): RecentCase[];
}

function window(): BrowserWindow | undefined {
  return BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
}

async function pick(kind: 'new-case' | 'open-case' | 'evidence-files' | 'evidence-folder'): Promise<string[]> {
  const win = window();
  if (kind === 'new-case') {
    const options = { title: 'New case', buttonLabel: 'Create', defaultPath: 'case.crossline', filters: CASE_FILTERS, properties: ['createDirectory', 'showOverwriteConfirmation'] as ('createDirectory' | 'showOverwriteConfirmation')[] };
    const r = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
    return r.canceled || !r.filePath ? [] : [r.filePath];
  }
  const options: Electron.OpenDialogOptions =
    kind === 'open-case' ? { title: 'Open case', filters: CASE_FILTERS, properties: ['openFile'] }
      : kind === 'evidence-files' ? { title: 'Import evidence files', filters: EVIDENCE_FILTERS, properties: ['openFile', 'multiSelections'] }
        : { title: 'Import evidence folder', properties: ['openDirectory', 'multiSelections'] };
  const r = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
  return r.canceled ? [] : r.filePaths;
}

export function buildMenu(ctx: MenuContext): Menu {
  const send = (action: MenuAction, paths?: string[]) => ctx.send(paths ? { action, paths } : { action });
  const withPaths = (kind: Parameters<typeof pick>[0], action: MenuAction) => () => {
    void pick(kind).then((paths) => {
      if (paths.length > 0) send(action, paths);
    });
  };
  const recent = ctx.recent();
  const isMac = process.platform === 'darwin';
  const theme = (source: 'system' | 'light' | 'dark', label: string): MenuItemConstructorOptions => ({
    label, type: 'radio', checked: nativeTheme.themeSource === source, click: () => (nativeTheme.themeSource = source),
  });
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' } as MenuItemConstructorOptions] : []),
    {
      label: '&File',
      submenu: [
        { label: 'New Case…', accelerator: 'CmdOrCtrl+N', click: withPaths('new-case', 'case.new') },
        { label: 'Open Case…', accelerator: 'CmdOrCtrl+O', click: withPaths('open-case', 'case.open') },
        {
          label: 'Recent Cases',
          submenu: recent.length > 0 ? recent.map((r) => ({ label: `${r.name} — ${r.file}`, click: () => send('case.open', [r.file]) })) : [{ label: 'None yet', enabled: false }],
        },
        { label: 'Open Sample Case', submenu: SAMPLES.map((s) => ({ label: s.title, click: () => ctx.send({ action: 'case.openSample', sample: s.id }) })) },
        { type: 'separator' },
        { label: 'Import Evidence Files…', accelerator: 'CmdOrCtrl+I', click: withPaths('evidence-files', 'import.evidence') },
        { label: 'Import Evidence Folder…', click: withPaths('evidence-folder', 'import.evidence') },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: '&View',
      submenu: [
        { label: 'Findings', accelerator: 'CmdOrCtrl+1', click: () => send('view.findings') },
        { label: 'Explorer', accelerator: 'CmdOrCtrl+2', click: () => send('view.explorer') },
        { label: 'Map', accelerator: 'CmdOrCtrl+3', click: () => send('view.map') },
        { label: 'Settings', accelerator: 'CmdOrCtrl+,', click: () => send('view.settings') },
        { type: 'separator' },
        // Dark mode follows the operating system unless the analyst picks one here.
        { label: 'Appearance', submenu: [theme('system', 'Follow System'), theme('light', 'Light'), theme('dark', 'Dark')] },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { role: 'togglefullscreen' },
        { role: 'toggleDevTools' },
      ],
    },
    { role: 'windowMenu' },
    { role: 'help', submenu: [{ label: 'About Crossline', click: () => send('help.about') }] },
  ];
  return Menu.buildFromTemplate(template);
}
