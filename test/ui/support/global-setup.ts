// Builds the renderer once per run (the bridge serves out/renderer). CROSSLINE_UI_NO_BUILD=1 skips it when
// out/renderer is known to be current (e.g. right after `npm run build`).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'vite';
import { REPO } from './bridge';

export default async function globalSetup(): Promise<void> {
  if (process.env.CROSSLINE_UI_NO_BUILD === '1' && existsSync(join(REPO, 'out/renderer/index.html'))) return;
  await build({ configFile: join(REPO, 'vite.config.ts'), root: join(REPO, 'renderer'), logLevel: 'warn' });
}
