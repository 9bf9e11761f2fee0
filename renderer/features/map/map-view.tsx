// The one component that owns the MapLibre instance. It creates the map once, then only updates its GeoJSON
// sources with setData; hover shows a text-only HTML tooltip; a click on a point reports its IP.
import maplibregl, { type GeoJSONSource, type LngLatBoundsLike, type Map as MapLibreMap, type MapLayerMouseEvent } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import type * as GeoJSON from 'geojson';
import { useEffect, useRef, useState } from 'react';
import type { Verdict } from '../../../shared/domain/annotations';
import type { GeoPoint } from '../../../shared/ipc/contract';
import { asnLabel, countOf, formatTime } from '../../ui/format';
import { logText, placeText } from '../../ui/log-text';
import { basemapPaint, basemapStyle, type Theme } from './basemap';

type Kind = 'chain' | 'baseline';
interface PointProps {
  ip: string;
  kind: Kind;
  city: string;
  country: string;
  asn: string;
  firstSeenMs: number;
  events: number;
  selected: boolean;
  /** The strongest verdict among the analyst's notes on this source's events, `noted`, or '' for none. */
  annotation: Verdict | 'noted' | '';
  annotatedEvents: number;
}

/** What the analyst annotated among one source's events in this chain. */
export interface SourceNotes {
  verdict: Verdict | 'noted';
  events: number;
}

const EMPTY: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [] };
const POINT_LAYERS = ['chain-points', 'baseline-points'];

function darkQuery(): MediaQueryList {
  return window.matchMedia('(prefers-color-scheme: dark)');
}

function pointFeatures(points: GeoPoint[], kind: Kind, selectedIp: string | null, notes: Map<string, SourceNotes>): GeoJSON.Feature<GeoJSON.Point, PointProps>[] {
  return points.map((p) => {
    const n = kind === 'chain' ? notes.get(p.ip) : undefined;
    return {
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [p.lon, p.lat] },
      properties: {
        ip: p.ip, kind, city: p.city ?? '', country: p.country ?? '', asn: asnLabel(p.asn, p.asOrg), firstSeenMs: p.firstSeenMs, events: p.events,
        selected: p.ip === selectedIp, annotation: n?.verdict ?? '', annotatedEvents: n?.events ?? 0,
      },
    };
  });
}

const NO_NOTES = new Map<string, SourceNotes>();

/** Travel between consecutive sources: the baseline's last place to the chain's first, then the chain in time order. */
export function travelLines(chain: GeoPoint[], baseline: GeoPoint[]): GeoJSON.FeatureCollection {
  const ordered = [...chain].sort((a, b) => a.firstSeenMs - b.firstSeenMs);
  const lastBaseline = [...baseline].sort((a, b) => b.firstSeenMs - a.firstSeenMs)[0];
  const legs: { from: GeoPoint; to: GeoPoint; kind: Kind }[] = [];
  if (lastBaseline && ordered[0]) legs.push({ from: lastBaseline, to: ordered[0], kind: 'baseline' });
  for (let i = 1; i < ordered.length; i++) {
    const from = ordered[i - 1];
    const to = ordered[i];
    if (from && to) legs.push({ from, to, kind: 'chain' });
  }
  return {
    type: 'FeatureCollection',
    features: legs
      .filter((l) => l.from.lat !== l.to.lat || l.from.lon !== l.to.lon)
      .map((l) => ({ type: 'Feature', properties: { kind: l.kind }, geometry: { type: 'LineString', coordinates: [[l.from.lon, l.from.lat], [l.to.lon, l.to.lat]] } })),
  };
}

function boundsOf(points: GeoPoint[]): LngLatBoundsLike | null {
  if (!points.length) return null;
  let [w, s, e, n] = [180, 90, -180, -90];
  for (const p of points) {
    w = Math.min(w, p.lon);
    e = Math.max(e, p.lon);
    s = Math.min(s, p.lat);
    n = Math.max(n, p.lat);
  }
  // A single place (or a tight cluster) still shows its surroundings.
  const padLon = Math.max(0, 50 - (e - w)) / 2;
  const padLat = Math.max(0, 26 - (n - s)) / 2;
  return [[Math.max(-180, w - padLon), Math.max(-85, s - padLat)], [Math.min(180, e + padLon), Math.min(85, n + padLat)]];
}

interface Hover {
  x: number;
  y: number;
  props: PointProps;
}

export function MapView({ chain, baseline, baselineLabel = "principal's baseline", travelFromBaseline = true, selectedIp, fitKey, notes = NO_NOTES, onPick }: {
  chain: GeoPoint[];
  baseline: GeoPoint[];
  /** The legend's word for the baseline points (whose earlier places they are). */
  baselineLabel?: string;
  /** Whether the baseline's last place may be joined to the chain's first: only when both are the same principal's. */
  travelFromBaseline?: boolean;
  selectedIp: string | null;
  /** Per chain source IP: the analyst's annotations on its events, drawn as a ring in the verdict's colour. */
  notes?: Map<string, SourceNotes>;
  /** When this changes (another chain), the view fits the points again. */
  fitKey: number | null;
  onPick(ip: string): void;
}) {
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MapLibreMap | null>(null);
  const [ready, setReady] = useState(false);
  const [hover, setHover] = useState<Hover | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const pick = useRef(onPick);
  pick.current = onPick;
  const latestPoints = useRef<GeoPoint[]>([]);
  latestPoints.current = [...chain, ...baseline];

  useEffect(() => {
    const el = container.current;
    if (!el) return;
    const theme: Theme = darkQuery().matches ? 'dark' : 'light';
    let map: MapLibreMap;
    try {
      map = new maplibregl.Map({
        container: el,
        style: basemapStyle(theme),
        center: [10, 30],
        zoom: 1.2,
        minZoom: 0.5,
        maxZoom: 7,
        renderWorldCopies: false,
        attributionControl: { compact: true },
        dragRotate: false,
        pitchWithRotate: false,
      });
    } catch (err) {
      setFailure(err instanceof Error ? err.message : String(err));
      return;
    }
    mapRef.current = map;
    map.touchZoomRotate.disableRotation();
    map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
    map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-right');

    map.on('load', () => {
      map.addSource('travel', { type: 'geojson', data: EMPTY });
      map.addSource('baseline-points', { type: 'geojson', data: EMPTY });
      map.addSource('chain-points', { type: 'geojson', data: EMPTY });
      map.addLayer({ id: 'travel', type: 'line', source: 'travel', layout: { 'line-cap': 'round' },
        paint: { 'line-color': ['match', ['get', 'kind'], 'chain', '#e5484d', '#8a9bb3'], 'line-width': 2, 'line-dasharray': [2, 1.5], 'line-opacity': 0.9 } });
      map.addLayer({ id: 'baseline-points', type: 'circle', source: 'baseline-points',
        paint: { 'circle-color': '#3b82c4', 'circle-opacity': 0.75, 'circle-radius': ['interpolate', ['linear'], ['sqrt', ['get', 'events']], 1, 4, 30, 11], 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 1 } });
      map.addLayer({ id: 'chain-halo', type: 'circle', source: 'chain-points',
        paint: { 'circle-color': '#e5484d', 'circle-opacity': 0.22, 'circle-radius': 18 } });
      map.addLayer({ id: 'chain-annotated', type: 'circle', source: 'chain-points', filter: ['!=', ['get', 'annotation'], ''],
        paint: { 'circle-opacity': 0, 'circle-radius': 13, 'circle-stroke-width': 3,
          'circle-stroke-color': ['match', ['get', 'annotation'], 'malicious', '#b3261e', 'needs-review', '#d4570d', 'benign', '#1d7a46', '#5b6b80'] } });
      map.addLayer({ id: 'chain-points', type: 'circle', source: 'chain-points',
        paint: { 'circle-color': '#e5484d', 'circle-radius': ['case', ['get', 'selected'], 9, 7], 'circle-stroke-color': ['case', ['get', 'selected'], '#111111', '#ffffff'], 'circle-stroke-width': ['case', ['get', 'selected'], 3, 1.5] } });
      setReady(true);
    });
    map.on('error', (e) => console.warn('map:', e.error?.message));
    map.on('idle', () => {
      // What the map really holds, for tests and the status line (not what we asked it to draw).
      const rendered = map.getLayer('chain-points') ? map.querySourceFeatures('chain-points') : [];
      el.dataset.renderedPoints = String(rendered.length);
      el.dataset.renderedAnnotated = String(rendered.filter((f) => f.properties?.annotation).length);
      // Where each source was drawn (CSS px in the map), so a test or an accessibility tool can find it.
      el.dataset.projected = JSON.stringify(latestPoints.current.map((p) => {
        const at = map.project([p.lon, p.lat]);
        return { ip: p.ip, x: Math.round(at.x), y: Math.round(at.y) };
      }));
      el.dataset.idle = 'true';
    });
    map.on('movestart', () => {
      el.dataset.idle = 'false';
    });

    const onMove = (e: MapLayerMouseEvent) => {
      const f = e.features?.[0];
      if (!f) return;
      map.getCanvas().style.cursor = 'pointer';
      setHover({ x: e.point.x, y: e.point.y, props: f.properties as PointProps });
    };
    const onLeave = () => {
      map.getCanvas().style.cursor = '';
      setHover(null);
    };
    const onClick = (e: MapLayerMouseEvent) => {
      const ip = e.features?.[0]?.properties?.ip as string | undefined;
      if (ip) pick.current(ip);
    };
    for (const layer of POINT_LAYERS) {
      map.on('mousemove', layer, onMove);
      map.on('mouseleave', layer, onLeave);
      map.on('click', layer, onClick);
    }

    const media = darkQuery();
    const onTheme = () => {
      for (const [layer, property, value] of basemapPaint(media.matches ? 'dark' : 'light')) {
        if (map.getLayer(layer)) map.setPaintProperty(layer, property, value);
      }
    };
    media.addEventListener('change', onTheme);
    return () => {
      media.removeEventListener('change', onTheme);
      map.remove();
      mapRef.current = null;
      setReady(false);
    };
  }, []);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready) return;
    (map.getSource('chain-points') as GeoJSONSource).setData({ type: 'FeatureCollection', features: pointFeatures(chain, 'chain', selectedIp, notes) });
    (map.getSource('baseline-points') as GeoJSONSource).setData({ type: 'FeatureCollection', features: pointFeatures(baseline, 'baseline', selectedIp, notes) });
    const travel = travelLines(chain, travelFromBaseline ? baseline : []);
    (map.getSource('travel') as GeoJSONSource).setData(travel);
    if (container.current) {
      container.current.dataset.points = String(chain.length);
      // What the travel layer holds, for tests: legs from the baseline and legs within the chain.
      container.current.dataset.travelBaseline = String(travel.features.filter((f) => f.properties?.kind === 'baseline').length);
      container.current.dataset.travelChain = String(travel.features.filter((f) => f.properties?.kind === 'chain').length);
    }
  }, [ready, chain, baseline, travelFromBaseline, selectedIp, notes]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready) return;
    const bounds = boundsOf([...chain, ...baseline]);
    if (bounds) map.fitBounds(bounds, { padding: 60, duration: 0, maxZoom: 4 });
    // Only a new chain refits; selecting a point must not move the map.
  }, [ready, fitKey, chain.length, baseline.length]);

  return (
    <div className="map-wrap">
      <div ref={container} className="map" style={{ position: 'absolute', inset: 0 }} data-testid="map" aria-label="Map of the chain's source networks" role="region" />
      {failure && <div className="empty" role="alert">The map cannot be drawn here: {failure}</div>}
      {hover && (
        <div className="map-tooltip" style={{ left: hover.x + 14, top: hover.y + 14 }} data-testid="map-tooltip">
          <div><b>{logText(hover.props.ip)}</b> <span className="muted">{hover.props.kind === 'chain' ? 'this chain' : baselineLabel}</span></div>
          <div>{logText(hover.props.asn)}</div>
          <div>{placeText(hover.props.city, hover.props.country)}</div>
          <div className="muted">first seen {formatTime(Number(hover.props.firstSeenMs))} · {countOf(Number(hover.props.events), 'event')}</div>
          {hover.props.annotation && <div>{hover.props.annotatedEvents} annotated · {hover.props.annotation === 'noted' ? 'no verdict' : hover.props.annotation}</div>}
        </div>
      )}
      <div className="map-legend" aria-hidden="true">
        <span><i style={{ background: '#e5484d' }} />this chain</span>
        <span><i style={{ background: '#3b82c4' }} />{baselineLabel}</span>
        <span><i style={{ background: 'transparent', border: '2px solid #b3261e' }} />annotated</span>
        <span>- - travel</span>
      </div>
    </div>
  );
}
