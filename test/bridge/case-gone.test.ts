// The open case's file deleted or replaced on disk: every request is refused with `case-gone`, never "saved" into a
// file nobody can open again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Workbench } from '../../electron/core/services/workbench';

const note = { target: { kind: 'event' as const, provider: 'aws' as const, eventId: 1, nativeId: 'a' }, verdict: null, tags: [], note: 'kept?', bookmarked: false };

for (const [what, change] of [
  ['deleted', (file: string) => rmSync(file)],
  ['replaced by a copy', (file: string) => { copyFileSync(file, `${file}.copy`); renameSync(`${file}.copy`, file); }],
] as const) {
  test(`a case file ${what} while open: saves and reads are refused with case-gone until a case is opened`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crossline-gone-'));
    const wb = new Workbench({ dataDir: join(dir, 'data'), analyst: 'a', log: () => {} });
    try {
      const file = join(dir, 'c.crossline');
      assert.deepEqual(await wb.handlers['case.check']({}), { open: false });
      await wb.handlers['case.create']({ file });
      assert.deepEqual(await wb.handlers['case.check']({}), { open: true });
      await wb.handlers['annotations.save'](note);
      change(file);
      await assert.rejects(wb.handlers['case.check']({}), { code: 'case-gone' });
      await assert.rejects(wb.handlers['annotations.save'](note), (err: { code?: string; message: string }) => err.code === 'case-gone' && err.message.includes(`The case file ${file} was deleted, moved or replaced`));
      await assert.rejects(wb.handlers['findings.list']({}), { code: 'case-gone' });
      await assert.rejects(wb.handlers['case.info']({}), { code: 'case-gone' });
      // Opened again where it is: usable.
      if (what !== 'deleted') {
        await wb.handlers['case.open']({ file });
        assert.equal((await wb.handlers['annotations.list']({})).length, 1);
      }
    } finally {
      await wb.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
