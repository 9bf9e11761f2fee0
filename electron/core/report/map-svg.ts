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
  const pts = ordered.map((p, i) => html`<g><circle class="chain" cx="${fmt(p.lon)}" cy="${fmt(-p.lat)}" r="${fmt(r)}"><title>${p.ip} ${p.city ?? ''} ${p.country ?? ''} AS${p.asn ?? '?'} ${p.asOrg ?? ''}</title></circle><text x="${fmt(p.lon + r * 1.3)}" y="${fmt(-p.lat - r * 0.3)}" font-size="${fmt(r * 2.2)}">${i + 1}. ${p.ip}${p.country ? ` (${p.country})` : ''}</text></g>`);
  return html`<svg class="map" xmlns="http://www.w3.org/2000/svg" role="img" viewBox="${fmt(minX)} ${fmt(-maxY)} ${fmt(w)} ${fmt(h)}" preserveAspectRatio="xMidYMid meet"><title>${title}</title><rect x="${fmt(minX)}" y="${fmt(-maxY)}" width="${fmt(w)}" height="${fmt(h)}" class="sea"/><g class="land">${trusted(paths.join(''))}</g>${trusted(line)}${base}${pts}</svg>`;
}
