import { test } from 'node:test';
import assert from 'node:assert/strict';
// @ts-expect-error plain .mjs script without types
import { checkFile } from './check-layers.mjs';

test('core may not import electron or react', () => {
  assert.equal(checkFile('electron/core/import/x.ts', "import { app } from 'electron';").length, 1);
  assert.equal(checkFile('electron/core/import/x.ts', "import React from 'react';").length, 1);
  assert.deepEqual(checkFile('electron/core/import/x.ts', "import { open } from '../../db/connection';"), []);
});

test('core may not reach into main or the renderer by relative path', () => {
  assert.equal(checkFile('electron/core/a.ts', "import { x } from '../main/window';").length, 1);
  assert.equal(checkFile('electron/core/a.ts', "export { y } from '../../renderer/app/app';").length, 1);
});

test('renderer may import shared but not node builtins or electron code', () => {
  assert.deepEqual(checkFile('renderer/app/a.tsx', "import type { Chain } from '../../shared/domain/chain';"), []);
  assert.equal(checkFile('renderer/app/a.tsx', "import fs from 'node:fs';").length, 1);
  assert.equal(checkFile('renderer/app/a.tsx', "const m = await import('../../electron/core/x');").length, 1);
});

test('shared imports nothing of ours and no node builtins', () => {
  assert.equal(checkFile('shared/domain/a.ts', "import { db } from '../../electron/db/connection';").length, 1);
  assert.equal(checkFile('shared/domain/a.ts', "import { createHash } from 'crypto';").length, 1);
});
