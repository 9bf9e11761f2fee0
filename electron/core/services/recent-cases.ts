import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { RecentCase } from '../../../shared/ipc/contract';

const MAX_RECENT = 12;

/**
 * The recently opened cases, most recent first, kept as JSON in the app's data folder. A damaged file is
 * treated as empty (it is a convenience, not evidence); cases whose file is gone are left out of the list.
 */
export class RecentCases {
  readonly file: string;

  constructor(dataDir: string) {
    this.file = join(dataDir, 'recent-cases.json');
  }

  private read(): RecentCase[] {
    try {
      const data = JSON.parse(readFileSync(this.file, 'utf8')) as unknown;
      if (!Array.isArray(data)) return [];
      return data.filter(
        (r): r is RecentCase => typeof r === 'object' && r !== null && typeof r.file === 'string' && typeof r.name === 'string' && typeof r.openedAt === 'number',
      );
    } catch {
      return [];
    }
  }

  list(): RecentCase[] {
    return this.read().filter((r) => existsSync(r.file));
  }

  /** Moves (or adds) a case to the top. Written to a temporary file and renamed, so a crash never leaves half a file. */
  add(file: string, name: string, openedAt = Date.now()): RecentCase[] {
    const next = [{ file, name, openedAt }, ...this.read().filter((r) => r.file !== file)].slice(0, MAX_RECENT);
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(next, null, 2)}\n`);
    renameSync(tmp, this.file);
    return next;
  }
}
