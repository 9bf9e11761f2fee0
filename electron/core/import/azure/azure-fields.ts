// Field access shared by the Azure Activity and Entra ID normalizers: the same record arrives camelCase (REST,
// diagnostic settings, Graph), snake_case (Azure SDK for Python, as plaso writes it), PascalCase (Log Analytics)
// and with dynamic columns flattened to JSON text (Log Analytics exports).
import { field, isLocaleLogAnalyticsTime, jsonObject, parseLogAnalyticsCsvTime, parseTimestamp, text } from '../values';

type Obj = Record<string, unknown>;

function snake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** `field`, then the snake_case spelling (`eventDataId` → `event_data_id`). */
export function pick(o: Obj | null, name: string): unknown {
  const v = field(o, name);
  if (v !== undefined) return v;
  const s = snake(name);
  return s === name ? undefined : field(o, s);
}

/** The first of several names that is present (not undefined, not null, not ''). */
export function pickFirst(o: Obj | null, ...names: string[]): unknown {
  for (const n of names) {
    const v = pick(o, n);
    if (v !== undefined && v !== null && v !== '') return v;
  }
  return undefined;
}

/** Azure's localizable strings are `{value, localizedValue}` (REST) or plain text (diagnostic settings). */
export function localized(value: unknown): string | null {
  const o = jsonObject(value);
  if (o) return text(field(o, 'value'));
  return text(value);
}

/** An object held as an object or as JSON text. */
export function nested(o: Obj | null, ...names: string[]): Obj | null {
  for (const n of names) {
    const v = jsonObject(pick(o, n));
    if (v) return v;
  }
  return null;
}

/**
 * Timestamps as Azure writes them (7-digit fractions, offsets), Log Analytics CSV cells (`5/25/2023, 4:32:49.469 AM`),
 * and Windows PowerShell 5.1's `ConvertTo-Json` dates (`/Date(1714644001123)/`, read by parseTimestamp).
 */
export function azureTime(value: unknown): number | null {
  return parseTimestamp(value) ?? parseLogAnalyticsCsvTime(value);
}

/** Why a time azureTime could not read is refused: says what to do when it is a Log Analytics date in another locale. */
export function unreadableTimeReason(what: string, value: unknown): string {
  const base = `unreadable ${what} ${JSON.stringify(value)}`;
  return isLocaleLogAnalyticsTime(value)
    ? `${base}: a day-first or 24-hour Log Analytics date (day and month cannot be told apart): export with ISO times or from an en-US locale`
    : base;
}

/**
 * A key/value bag (token claims, the properties bag) however the export wrapped it: a plain object or JSON text;
 * Az.Monitor's PSEventData (`Get-AzLog`, `Get-AzActivityLog`) wraps it as `{"Content": {…}}` (PSDictionaryElement),
 * the autorest Az.Monitor models as `{"AdditionalProperties": {…}}`. The wrapper's content may itself be JSON text.
 */
export function bagOf(o: Obj | null, ...names: string[]): Obj | null {
  const bag = nested(o, ...names);
  if (!bag) return null;
  const keys = Object.keys(bag);
  if (keys.length > 0 && keys.length <= 4 && keys.every((k) => /^(content|additionalproperties|keys|values|count)$/i.test(k))) {
    return jsonObject(field(bag, 'Content')) ?? jsonObject(field(bag, 'AdditionalProperties'));
  }
  return bag;
}

/**
 * The .NET type name PowerShell's `ConvertTo-Json` writes for an object deeper than its `-Depth` (2 by default):
 * `System.Collections.Generic.Dictionary\`2[System.String,System.String]`. The values it stood for are lost.
 */
const DOTNET_TYPE_NAME = /^(?:System|Microsoft)\.[\w.`+]+(?:\[.*\])?$/s;

/** Whether a bag named `names` (or its PSEventData `Content`) holds only the type name ConvertTo-Json's depth cut left. */
export function cutByJsonDepth(o: Obj | null, ...names: string[]): boolean {
  for (const n of names) {
    const v = pick(o, n);
    if (typeof v === 'string' && DOTNET_TYPE_NAME.test(v.trim())) return true;
    const inner = field(jsonObject(v), 'Content') ?? field(jsonObject(v), 'AdditionalProperties');
    if (typeof inner === 'string' && DOTNET_TYPE_NAME.test(inner.trim())) return true;
  }
  return false;
}

const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Tenant, subscription and object ids are GUIDs, case-insensitive by definition: stored lowercase so they compare. */
export function guid(value: unknown): string | null {
  const t = text(value)?.trim() ?? null;
  if (t === null || t === '') return null;
  return GUID_RE.test(t) ? t.toLowerCase() : t;
}

export function isGuid(value: string | null): boolean {
  return value !== null && GUID_RE.test(value);
}

/** The subscription of an ARM resource id (`/subscriptions/<id>/…`, any case), or null. */
export function subscriptionOf(resourceId: string | null): string | null {
  const m = resourceId ? /^\/subscriptions\/([^/]+)/i.exec(resourceId) : null;
  return m ? guid(m[1]) : null;
}

/** The resource provider namespace a resource id ends under (the last `/providers/<ns>`), as written. */
export function providerOf(resourceId: string | null): string | null {
  if (!resourceId) return null;
  let found: string | null = null;
  for (const m of resourceId.matchAll(/\/providers\/([^/]+)/gi)) found = m[1] ?? null;
  return found;
}
