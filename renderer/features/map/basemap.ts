// The offline basemap shipped in resources/basemap: a MapLibre style with only fill and line layers, and the
// country polygons and borders it draws, bundled into this chunk (no tiles, glyphs, sprites or fetches).
import type * as GeoJSON from 'geojson';
import type { StyleSpecification } from 'maplibre-gl';
import styleText from '../../../resources/basemap/style.json?raw';
import countriesText from '../../../resources/basemap/countries.geojson?raw';
import bordersText from '../../../resources/basemap/borders.geojson?raw';

export type Theme = 'light' | 'dark';

/** Paint colours per theme for the basemap's layers (the style file holds the light ones). */
const DARK_PAINT: Record<string, Record<string, string>> = {
  background: { 'background-color': '#0e1620' },
  'countries-fill': { 'fill-color': '#1f2731' },
  coastline: { 'line-color': '#3a4a5c' },
  borders: { 'line-color': '#34404e' },
};

export const BASEMAP_ATTRIBUTION = 'Basemap: Natural Earth (public domain) via world-atlas';

export function basemapStyle(theme: Theme): StyleSpecification {
  const style = JSON.parse(styleText) as StyleSpecification;
  const countries = style.sources.countries;
  const borders = style.sources.borders;
  if (countries?.type === 'geojson') {
    countries.data = JSON.parse(countriesText) as GeoJSON.FeatureCollection;
    countries.attribution = BASEMAP_ATTRIBUTION;
  }
  if (borders?.type === 'geojson') borders.data = JSON.parse(bordersText) as GeoJSON.FeatureCollection;
  if (theme === 'dark') {
    for (const layer of style.layers) {
      const paint = DARK_PAINT[layer.id];
      if (paint && 'paint' in layer) layer.paint = { ...(layer.paint as Record<string, unknown>), ...paint } as typeof layer.paint;
    }
  }
  return style;
}

export function basemapPaint(theme: Theme): [layer: string, property: string, value: string][] {
  const light = JSON.parse(styleText) as StyleSpecification;
  const out: [string, string, string][] = [];
  for (const layer of light.layers) {
    const colours = theme === 'dark' ? DARK_PAINT[layer.id] : Object.fromEntries(Object.entries((layer as { paint?: Record<string, unknown> }).paint ?? {}).filter(([k]) => k.endsWith('-color'))) as Record<string, string>;
    for (const [property, value] of Object.entries(colours ?? {})) out.push([layer.id, property, value]);
  }
  return out;
}
