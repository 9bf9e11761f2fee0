#!/usr/bin/env node
// Regenerates the offline basemap (countries.geojson, borders.geojson) from the world-atlas npm package
// (Natural Earth admin-0 countries, TopoJSON). Run after updating world-atlas:
//   node resources/basemap/generate-basemap.mjs [110m|50m]     (default 110m: ~210 KB; 50m is ~1.7 MB)
// Coordinates are rounded to 0.01° (about 1 km), which is finer than the source data and keeps the files small.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { feature, mesh } from 'topojson-client';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const atlasDir = dirname(require.resolve('world-atlas/package.json'));
const atlasVersion = JSON.parse(readFileSync(join(atlasDir, 'package.json'), 'utf8')).version;
const scale = process.argv[2] ?? '110m';
if (!['110m', '50m'].includes(scale)) throw new Error(`scale must be 110m or 50m, not ${scale}`);
const topology = JSON.parse(readFileSync(join(atlasDir, `countries-${scale}.json`), 'utf8'));

const round = (value) => Math.round(value * 100) / 100;
function roundCoords(coords) {
  if (typeof coords[0] === 'number') return [round(coords[0]), round(coords[1])];
  const out = coords.map(roundCoords);
  // Drop consecutive duplicates left by rounding (keeps rings closed: first and last stay equal).
  if (typeof out[0]?.[0] === 'number') {
    return out.filter((p, i) => i === 0 || i === out.length - 1 || p[0] !== out[i - 1][0] || p[1] !== out[i - 1][1]);
  }
  return out;
}
function roundGeometry(geometry) {
  return geometry && { type: geometry.type, coordinates: roundCoords(geometry.coordinates) };
}

/**
 * Rings that cross the antimeridian (Chukotka, Wrangel Island, Fiji) jump from 180° to −180°: drawn as is,
 * the jump becomes a fill band across the whole map. Their western-hemisphere points move east by 360°
 * instead (MapLibre draws longitudes past 180). Antarctica's ring runs along −90° on purpose and is left be.
 */
function unwrapRing(ring) {
  const jumps = ring.some((p, i) => i > 0 && Math.abs(p[0] - ring[i - 1][0]) > 180);
  if (!jumps || ring.some((p) => p[1] <= -89)) return ring;
  return ring.map(([lon, lat]) => [lon < 0 ? lon + 360 : lon, lat]);
}
function unwrapGeometry(geometry) {
  if (geometry?.type === 'Polygon') return { ...geometry, coordinates: geometry.coordinates.map(unwrapRing) };
  if (geometry?.type === 'MultiPolygon') return { ...geometry, coordinates: geometry.coordinates.map((poly) => poly.map(unwrapRing)) };
  return geometry;
}
/** Border lines are split where they would jump across the antimeridian. */
function splitLines(geometry) {
  const lines = [];
  for (const line of geometry.type === 'LineString' ? [geometry.coordinates] : geometry.coordinates) {
    let current = [];
    for (const p of line) {
      const last = current.at(-1);
      if (last && Math.abs(p[0] - last[0]) > 180) {
        if (current.length > 1) lines.push(current);
        current = [];
      }
      current.push(p);
    }
    if (current.length > 1) lines.push(current);
  }
  return { type: 'MultiLineString', coordinates: lines };
}

const countries = feature(topology, topology.objects.countries);
const countriesOut = {
  type: 'FeatureCollection',
  features: countries.features
    .filter((f) => f.geometry)
    .map((f) => ({ type: 'Feature', id: Number(f.id) || undefined, properties: { name: f.properties.name }, geometry: roundGeometry(unwrapGeometry(f.geometry)) })),
};
const borders = splitLines(mesh(topology, topology.objects.countries, (a, b) => a !== b));
const bordersOut = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: roundGeometry(borders) }] };

writeFileSync(join(here, 'countries.geojson'), JSON.stringify(countriesOut));
writeFileSync(join(here, 'borders.geojson'), JSON.stringify(bordersOut));
console.error(`basemap: ${countriesOut.features.length} countries from world-atlas ${atlasVersion} (countries-${scale}.json)`);
