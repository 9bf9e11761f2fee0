import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chainMapSvg, placeLabels } from './map-svg';
import type { GeoPoint } from '../../../shared/ipc/contract';

const point = (ip: string, lat: number, lon: number, firstSeenMs: number): GeoPoint =>
  ({ ip, lat, lon, country: 'XX', city: null, asn: null, asOrg: null, firstSeenMs, events: 1 });

/** The label's box as placeLabels estimates it, to hold it inside the map. */
function within(l: { x: number; y: number; size: number; text: string; anchor: 'start' | 'end' }, view: { minX: number; maxX: number; minY: number; maxY: number }): boolean {
  const width = l.text.length * l.size * 0.62;
  const x0 = l.anchor === 'start' ? l.x : l.x - width;
  return x0 >= view.minX && x0 + width <= view.maxX && l.y - l.size * 0.85 >= view.minY && l.y + l.size * 0.25 <= view.maxY;
}

test('a label near the east edge of the map goes to the left of its point instead of being cut off', () => {
  const view = { minX: 0, maxX: 100, minY: 0, maxY: 50 };
  const [west, east] = placeLabels([{ x: 10, y: 25, text: '1. 203.0.113.9 (DE)' }, { x: 95, y: 25, text: '2. 198.51.100.7 (NL)' }], 0.8, view);
  assert.equal(west!.anchor, 'start');
  assert.equal(east!.anchor, 'end');
  assert.ok(east!.x < 95, 'ends left of its point');
  assert.ok(within(east!, view) && within(west!, view));
});

test('two sources in one city get labels on separate lines', () => {
  const view = { minX: 0, maxX: 100, minY: 0, maxY: 50 };
  const labels = placeLabels([1, 2, 3].map((i) => ({ x: 40, y: 25, text: `${i}. 192.0.2.${i} (FR)` })), 0.8, view);
  const lines = new Set(labels.map((l) => `${l.anchor}@${l.y.toFixed(2)}`));
  assert.equal(lines.size, 3, 'no two labels at the same place');
  for (const l of labels) assert.ok(within(l, view));
});

test('the SVG writes the placement out: an east-edge label is anchored at its end, and stays escaped', () => {
  // Tokyo is the easternmost point, so it sits near the right edge of the cropped map.
  const svg = String(chainMapSvg([point('203.0.113.1', 52.5, 13.4, 1), point('203.0.113.2', 35.7, 139.7, 2)], [], 'a <chain>'));
  assert.match(svg, /<text [^>]*text-anchor="end"[^>]*>2\. 203\.0\.113\.2 \(XX\)<\/text>/);
  assert.match(svg, /<text x="[^"]+" y="[^"]+" font-size="[^"]+">1\. 203\.0\.113\.1 \(XX\)<\/text>/);
  assert.ok(svg.includes('a &lt;chain&gt;'));
});
