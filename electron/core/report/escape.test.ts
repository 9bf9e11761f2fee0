import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeHtml, html, trusted } from './escape';

test('escapeHtml turns markup into text, in text and in double-quoted attributes', () => {
  assert.equal(escapeHtml('<script>alert(1)</script>'), '&lt;script&gt;alert(1)&lt;/script&gt;');
  assert.equal(escapeHtml('"><svg onload=alert(1)>'), '&quot;&gt;&lt;svg onload=alert(1)&gt;');
  assert.equal(escapeHtml("a & b ' `"), 'a &amp; b &#39; &#96;');
  assert.equal(escapeHtml(null), '');
  assert.equal(escapeHtml(42), '42');
  assert.equal(escapeHtml('bell\u0007 lone \ud800 ok \ud83d\ude00'), 'bell\ufffd lone \ufffd ok \ud83d\ude00');
});

test('the html template escapes every value that it did not build itself', () => {
  const payload = '<img src=x onerror=alert(1)>';
  const inner = html`<b>${payload}</b>`;
  assert.equal(html`<p title="${payload}">${inner}${[payload, 1]}${false}${trusted('<i>ok</i>')}</p>`.text,
    '<p title="&lt;img src=x onerror=alert(1)&gt;"><b>&lt;img src=x onerror=alert(1)&gt;</b>&lt;img src=x onerror=alert(1)&gt;1<i>ok</i></p>');
});

test('a character that reorders the text after it is shown by name, so the report reads in stored order', () => {
  // "\u202Elive" displays as "evil" (right-to-left override): the reader must see the override and "live".
  assert.equal(escapeHtml('curl/8 \u202Elive\u202C'), 'curl/8 ⟦U+202E⟧live⟦U+202C⟧');
  assert.equal(escapeHtml('a\u2066b\u2069'), 'a⟦U+2066⟧b⟦U+2069⟧');
  assert.equal(escapeHtml('שלום עולם'), 'שלום עולם', 'right-to-left text itself is left alone');
});
