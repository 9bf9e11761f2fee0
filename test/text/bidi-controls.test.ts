import { test } from 'node:test';
import assert from 'node:assert/strict';
import { showBidiControls } from '../../shared/text/bidi-controls';

test('overrides, isolates and the invisible marks are shown by code point; other text is unchanged', () => {
  assert.equal(showBidiControls('\u202Elive'), '⟦U+202E⟧live');
  assert.equal(showBidiControls('a\u2066b\u2069c'), 'a⟦U+2066⟧b⟦U+2069⟧c');
  assert.equal(showBidiControls('185.220\u200F.101.4'), '185.220⟦U+200F⟧.101.4');
  assert.equal(showBidiControls('x\u200Ey\u061Cz'), 'x⟦U+200E⟧y⟦U+061C⟧z');
  assert.equal(showBidiControls('مرحبا evil.example 185.220.101.4'), 'مرحبا evil.example 185.220.101.4');
});
