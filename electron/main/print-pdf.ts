// The report's PDF in the app: Electron's own Chromium prints the exported HTML (webContents.printToPDF), so the
// app needs no Chromium installed beside it. The page loads in a hidden window on its own in-memory session that
// allows exactly that one file (the report has no external resources; its CSP forbids them anyway), with
// JavaScript off: the report has no scripts, and log data in it must never run.
import { BrowserWindow, session } from 'electron';
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

let printCount = 0;

export async function printHtmlToPdf(htmlFile: string, pdfFile: string): Promise<void> {
  const url = pathToFileURL(htmlFile).href;
  const printSession = session.fromPartition(`crossline-print-${++printCount}`, { cache: false });
  printSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  printSession.webRequest.onBeforeRequest((details, callback) => callback({ cancel: details.url !== url && !details.url.startsWith('data:') }));
  const win = new BrowserWindow({
    show: false,
    webPreferences: { session: printSession, javascript: false, sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true, spellcheck: false },
  });
  try {
    await win.loadURL(url);
    // The report's own @page rule (A4 landscape, 10 mm) decides the layout, as in the Chromium CLI path.
    const pdf = await win.webContents.printToPDF({ preferCSSPageSize: true, printBackground: true, generateDocumentOutline: true });
    writeFileSync(pdfFile, pdf);
  } finally {
    win.destroy();
  }
}
