// The report's PDF in the app: Electron's own Chromium prints the exported HTML (webContents.printToPDF), so the
// app needs no Chromium installed beside it. The page loads in a hidden window on one in-memory session of its
// own that allows only the files being printed (the report has no external resources; its CSP forbids them
// anyway) and grants no permission, with JavaScript off: the report has no scripts, and log data in it must never run.
import { BrowserWindow, session, type Session } from 'electron';
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const printing = new Set<string>();
let printSession: Session | null = null;

/** Created once: Electron keeps every partition's session until the app quits. */
function sessionForPrinting(): Session {
  if (!printSession) {
    printSession = session.fromPartition('crossline-print', { cache: false });
    printSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
    printSession.setPermissionCheckHandler(() => false);
    printSession.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !printing.has(details.url) && !details.url.startsWith('data:') }));
  }
  return printSession;
}

export async function printHtmlToPdf(htmlFile: string, pdfFile: string): Promise<void> {
  const url = pathToFileURL(htmlFile).href;
  printing.add(url);
  const win = new BrowserWindow({
    show: false,
    webPreferences: { session: sessionForPrinting(), javascript: false, sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true, spellcheck: false },
  });
  try {
    await win.loadURL(url);
    // The report's own @page rule (A4 landscape, 10 mm) decides the layout, as in the Chromium CLI path.
    const pdf = await win.webContents.printToPDF({ preferCSSPageSize: true, printBackground: true, generateDocumentOutline: true });
    writeFileSync(pdfFile, pdf);
  } finally {
    printing.delete(url);
    win.destroy();
  }
}
