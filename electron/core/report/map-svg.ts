// The report's map of a chain: an inline SVG drawn from resources/basemap/countries.geojson (equirectangular, in
// degrees) with the chain's located sources in time order and the principal's earlier sources in grey. No canvas,
// no tiles, no network; labels are escaped like every other log-derived string.
import { readFileSync } from 'node:fs';
import type { GeoPoint } from '../../../shared/ipc/contract';
import { appFile } from '../app-paths';
import { html, trusted, type Html } from './escape';

type Ring = [number, number][];
interface Country {
  name: string;
  polygons: Ring[][];
  bbox: [number, number, number, number];
}

let countries: Country[] | null = null;

function loadCountries(): Country[] {
  if (countries) return countries;
  const geo = JSON.parse(readFileSync(appFile('resources', 'basemap', 'countries.geojson'), 'utf8')) as {
    features: { properties: { name?: string }; geometry: { type: string; coordinates: unknown } | null }[];
  };
  countries = [];
  for (const f of geo.features) {
    if (!f.geometry) continue;
    const polygons = f.geometry.type === 'Polygon' ? [f.geometry.coordinates as Ring[]] : f.geometry.type === 'MultiPolygon' ? (f.geometry.coordinates as Ring[][]) : [];
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (const p of polygons) for (const r of p) for (const [x, y] of r) {
      minX = Math.min(minX, x); maxX = Math.max(maxX, x); minY = Math.min(minY, y); maxY = Math.max(maxY, y);
    }
    countries.push({ name: f.properties?.name ?? '', polygons, bbox: [minX, minY, maxX, maxY] });
  }
  return countries;
}

const fmt = (n: number) => String(Math.round(n * 100) / 100);

/** An SVG map of a chain's points (and the baseline's in grey), cropped to them with a margin. */
export function chainMapSvg(chain: GeoPoint[], baseline: GeoPoint[], title: string): Html {
  const all = [...chain, ...baseline];
  if (all.length === 0) return html`<p class="muted">No source of this chain could be located (private, AWS-internal or unknown addresses).</p>`;
  let minX = Math.min(...all.map((p) => p.lon)), maxX = Math.max(...all.map((p) => p.lon));
  let minY = Math.min(...all.map((p) => p.lat)), maxY = Math.max(...all.map((p) => p.lat));
  // At least 40° × 20° around the points, with a 15% margin, within the world.
  const padX = Math.max((maxX - minX) * 0.15, (40 - (maxX - minX)) / 2, 5);
  const padY = Math.max((maxY - minY) * 0.15, (20 - (maxY - minY)) / 2, 3);
  minX = Math.max(-180, minX - padX); maxX = Math.min(180, maxX + padX);
  minY = Math.max(-85, minY - padY); maxY = Math.min(85, maxY + padY);
  const w = maxX - minX, h = maxY - minY;
  const r = Math.max(w, h) / 120;
  const paths: string[] = [];
  for (const c of loadCountries()) {
    const [a, b, cMax, d] = c.bbox;
    if (cMax < minX || a > maxX || d < minY || b > maxY) continue;
    const dpath = c.polygons.map((poly) => poly.map((ring) => `M${ring.map(([x, y]) => `${fmt(x)} ${fmt(-y)}`).join('L')}Z`).join('')).join('');
    paths.push(`<path d="${dpath}"/>`);
  }
  const ordered = [...chain].sort((p, q) => p.firstSeenMs - q.firstSeenMs || p.ip.localeCompare(q.ip));
  const line = ordered.length > 1 ? `<polyline class="route" points="${ordered.map((p) => `${fmt(p.lon)},${fmt(-p.lat)}`).join(' ')}"/>` : '';
  const base = [...baseline].sort((p, q) => p.ip.localeCompare(q.ip)).map((p) => html`<circle class="baseline" cx="${fmt(p.lon)}" cy="${fmt(-p.lat)}" r="${fmt(r * 0.7)}"><title>${p.ip} (before the entry) ${p.city ?? ''} ${p.country ?? ''} AS${p.asn ?? '?'} ${p.asOrg ?? ''}</title></circle>`);
  const view = { minX, maxX, minY: -maxY, maxY: -minY };
  const labels = placeLabels(ordered.map((p, i) => ({ x: p.lon, y: -p.lat, text: `${i + 1}. ${p.ip}${p.country ? ` (${p.country})` : ''}` })), r, view);
  const pts = ordered.map((p, i) => {
    const l = labels[i]!;
    return html`<g><circle class="chain" cx="${fmt(p.lon)}" cy="${fmt(-p.lat)}" r="${fmt(r)}"><title>${p.ip} ${p.city ?? ''} ${p.country ?? ''} AS${p.asn ?? '?'} ${p.asOrg ?? ''}</title></circle><text x="${fmt(l.x)}" y="${fmt(l.y)}" font-size="${fmt(l.size)}"${trusted(l.anchor === 'end' ? ' text-anchor="end"' : '')}>${l.text}</text></g>`;
  });
  return html`<svg class="map" xmlns="http://www.w3.org/2000/svg" role="img" viewBox="${fmt(minX)} ${fmt(-maxY)} ${fmt(w)} ${fmt(h)}" preserveAspectRatio="xMidYMid meet"><title>${title}</title><rect x="${fmt(minX)}" y="${fmt(-maxY)}" width="${fmt(w)}" height="${fmt(h)}" class="sea"/><g class="land">${trusted(paths.join(''))}</g>${trusted(line)}${base}${pts}</svg>`;
}

/** Where a label goes: its baseline start (or end, for `anchor` end), in the SVG's units. */
export interface PlacedLabel {
  text: string;
  x: number;
  y: number;
  size: number;
  anchor: 'start' | 'end';
}

/** A label's box from its position: width estimated from its length (the report's sans-serif averages ~0.6 em). */
function boxOf(l: PlacedLabel): { x0: number; x1: number; y0: number; y1: number } {
  const width = l.text.length * l.size * 0.62;
  const x0 = l.anchor === 'start' ? l.x : l.x - width;
  return { x0, x1: x0 + width, y0: l.y - l.size * 0.85, y1: l.y + l.size * 0.25 };
}

/**
 * Labels of the chain's points, each beside its point where it fits inside the map and clear of the labels placed
 * before it: to the right, else to the left (a point near the east edge had its label cut off), moved down or up a
 * line at a time when two points sit in one city. A label that fits nowhere keeps the first position inside the map.
 */
export function placeLabels(points: { x: number; y: number; text: string }[], r: number, view: { minX: number; maxX: number; minY: number; maxY: number }): PlacedLabel[] {
  const size = r * 2.2;
  const placed: PlacedLabel[] = [];
  const inside = (b: ReturnType<typeof boxOf>) => b.x0 >= view.minX && b.x1 <= view.maxX && b.y0 >= view.minY && b.y1 <= view.maxY;
  const clear = (b: ReturnType<typeof boxOf>) => placed.every((o) => {
    const c = boxOf(o);
    return b.x1 <= c.x0 || b.x0 >= c.x1 || b.y1 <= c.y0 || b.y0 >= c.y1;
  });
  for (const p of points) {
    const candidates: PlacedLabel[] = [];
    for (const shift of [0, 1, -1, 2, -2, 3, -3, 4, -4]) {
      const y = p.y - r * 0.3 + shift * size * 1.15;
      candidates.push({ text: p.text, x: p.x + r * 1.3, y, size, anchor: 'start' }, { text: p.text, x: p.x - r * 1.3, y, size, anchor: 'end' });
    }
    const fits = candidates.filter((c) => inside(boxOf(c)));
    placed.push(fits.find((c) => clear(boxOf(c))) ?? fits[0] ?? candidates[0]!);
  }
  return placed;
}
