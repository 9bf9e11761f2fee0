import { isIP } from 'node:net';

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|z|UTC|[+-]\d{2}(?::?\d{2})?)?$/;
const BASIC_RE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})?(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * Parses the timestamps real exports carry into UTC epoch ms: ISO 8601 with or without fraction (any number
 * of digits, Azure writes 7) and offset, a space instead of `T` (`2024-06-02 20:27:12`, taken as UTC), the
 * basic form `20131102T010628Z`, epoch seconds or milliseconds as numbers, and the .NET JSON date
 * `/Date(1714644001123)/` that Windows PowerShell 5.1's `ConvertTo-Json` writes (see msDateMs). Returns null when
 * unreadable.
 */
export function parseTimestamp(value: unknown): number | null {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null;
    const ms = Math.abs(value) < 1e11 ? Math.round(value * 1000) : Math.round(value);
    return Math.abs(ms) <= MAX_DATE_MS ? ms : null;
  }
  if (typeof value !== 'string') return null;
  const canonical = canonicalUtc(value);
  if (canonical !== null) return canonical;
  const text = value.trim();
  if (text.charCodeAt(0) === 47 || text.charCodeAt(0) === 92) return msDateMs(text);
  if (/^\d{9,10}(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  if (/^\d{12,13}$/.test(text)) return Number(text);
  const m = ISO_RE.exec(text) ?? BASIC_RE.exec(text);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const ms = frac ? Math.floor(Number(`0.${frac}`) * 1000 + 1e-9) : 0;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s ?? 0) > 60) return null;
  const utc = utcMs(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s ?? 0), ms);
  return utc === null ? null : utc - offsetMinutes(zone) * 60_000;
}

/**
 * `/Date(1714644001123)/`, also `/Date(1714644001123+0200)/` and `/Date(-62135596800000)/`: how .NET's JSON
 * serializers write a DateTime (JavaScriptSerializer in Windows PowerShell 5.1's `ConvertTo-Json`, the JSON text
 * `"\/Date(…)\/"`; DataContractJsonSerializer adds the local offset of a local DateTime). The number is UTC epoch
 * milliseconds either way: the offset only says which zone the value was shown in, so it is not applied.
 */
const MS_DATE_RE = /^\\?\/Date\((-?\d{1,16})(?:[+-]\d{4})?\)\\?\/$/;

function msDateMs(text: string): number | null {
  const m = MS_DATE_RE.exec(text);
  if (!m) return null;
  const ms = Number(m[1]);
  // DateTime.MinValue (0001-01-01, in any zone) is .NET's "no date": an event there would stretch the case over two
  // millennia. No cloud audit log is older than this floor.
  return ms >= AUDIT_LOG_FLOOR_MS && ms <= MAX_DATE_MS ? ms : null;
}

/** 2000-01-01: no cloud audit log is older, so a time before it in the forms below is a placeholder, not an event's. */
const AUDIT_LOG_FLOOR_MS = 946_684_800_000;

/** `1.714645201118E9`: a decimal in exponent form, as BigQuery's REST API (tabledata.list, getQueryResults) writes TIMESTAMP cells. */
const EXPONENT_SECONDS_RE = /^([+-]?)(\d+)(?:\.(\d*))?[eE]([+-]?\d{1,3})$/;

/**
 * Epoch seconds written as a decimal in exponent form (`"1.714645201118E9"`, BigQuery's REST encoding of a TIMESTAMP)
 * → epoch ms, exactly: the decimal point is moved in the digit string (never `Number(text) * 1000`, whose binary
 * rounding can land a millisecond off) and anything past the millisecond is dropped (microseconds), as
 * parseTimestamp drops digits past the millisecond of an ISO fraction. Only this form: plain numbers go through
 * parseTimestamp. Returns null for anything else or out of range.
 */
export function parseExponentEpochSeconds(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const m = EXPONENT_SECONDS_RE.exec(value.trim());
  if (!m) return null;
  const [, sign, whole, frac = '', exp] = m;
  const digits = whole! + frac;
  // Where the decimal point falls in `digits` once the value is in milliseconds (seconds × 10^3).
  const point = whole!.length + Number(exp) + 3;
  const intPart = point <= 0 ? '0' : digits.slice(0, point).padEnd(point, '0');
  if (intPart.replace(/^0+/, '').length > 16) return null;
  const rest = point <= 0 ? digits : digits.slice(point);
  let ms = Number(intPart);
  // Toward minus infinity, like Math.floor of the exact value: -1.5 ms is -2 ms.
  if (sign === '-') ms = -ms - (/[1-9]/.test(rest) ? 1 : 0);
  return ms >= AUDIT_LOG_FLOOR_MS && ms <= MAX_DATE_MS ? ms : null;
}

/**
 * The shape nearly every CloudTrail record has, `2024-06-02T20:27:12Z`, read from its character codes: a million
 * regular-expression matches cost a parse worker about a second. Anything else (or out of range) returns null
 * and goes through the general path.
 */
function canonicalUtc(t: string): number | null {
  if (t.length !== 20 || t.charCodeAt(4) !== 45 || t.charCodeAt(7) !== 45 || t.charCodeAt(10) !== 84 || t.charCodeAt(13) !== 58 || t.charCodeAt(16) !== 58 || t.charCodeAt(19) !== 90) return null;
  const digits = (at: number, count: number) => {
    let v = 0;
    for (let i = at; i < at + count; i++) {
      const c = t.charCodeAt(i) - 48;
      if (c < 0 || c > 9) return -1;
      v = v * 10 + c;
    }
    return v;
  };
  const y = digits(0, 4), mo = digits(5, 2), d = digits(8, 2), h = digits(11, 2), mi = digits(14, 2), s = digits(17, 2);
  if (y < 0 || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 60) return null;
  return utcMs(y, mo, d, h, mi, s, 0);
}

/**
 * UTC epoch ms of a calendar date and time, or null for a date that does not exist (`2026-02-30` would otherwise roll
 * over into March). Years 0–99 are those years: Date.UTC alone reads them as 1900–1999, which turned the zero time
 * `0001-01-01T00:00:00Z` some tools write into 1901.
 */
function utcMs(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number): number | null {
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return null;
  if (y >= 100) return Date.UTC(y, mo - 1, d, h, mi, s, ms);
  // 400 years later has the same calendar, and is read as itself.
  return Date.UTC(y + 400, mo - 1, d, h, mi, s, ms) - FOUR_CENTURIES_MS;
}

/** 146,097 days: the Gregorian calendar repeats every 400 years. */
const FOUR_CENTURIES_MS = 146_097 * 86_400_000;
/** The furthest a JavaScript Date reaches either side of 1970. */
const MAX_DATE_MS = 8.64e15;

function daysInMonth(y: number, mo: number): number {
  if (mo === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return mo === 4 || mo === 6 || mo === 9 || mo === 11 ? 30 : 31;
}

/** `5/25/2023, 4:32:49.469 AM`: how the Log Analytics (Sentinel) portal writes datetime cells in a CSV export. */
const LOG_ANALYTICS_CSV_RE = /^(\d{1,2})\/(\d{1,2})\/(\d{4}),\s+(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d+))?\s*([AP]M)$/i;

/**
 * Parses the datetime text of a Log Analytics CSV export (`TimeGenerated [UTC]` columns: month/day/year, 12-hour
 * clock, UTC as the header says). Only that exact shape (with the comma after the year) is read: a day-first
 * date is not guessed at. Returns null for anything else.
 */
export function parseLogAnalyticsCsvTime(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const m = LOG_ANALYTICS_CSV_RE.exec(value.trim());
  if (!m) return null;
  const [, mo, d, y, h, mi, s, frac, half] = m;
  const hour12 = Number(h);
  if (hour12 < 1 || hour12 > 12 || Number(mi) > 59 || Number(s) > 60) return null;
  const hour = (hour12 % 12) + (half!.toUpperCase() === 'PM' ? 12 : 0);
  const ms = frac ? Math.floor(Number(`0.${frac}`) * 1000 + 1e-9) : 0;
  return utcMs(Number(y), Number(mo), Number(d), hour, Number(mi), Number(s), ms);
}

/**
 * A date the Log Analytics portal wrote in a locale other than en-US: day first or with a 24-hour clock and no AM/PM
 * (`02/05/2024, 10:20:01.123`, `02.05.2024 10:20:01`). parseLogAnalyticsCsvTime does not read it: 02/05 is 2 May or
 * 5 February, and the file does not say which. True only for that shape, so the refusal can say why and what to do.
 */
export function isLocaleLogAnalyticsTime(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  return /^\d{1,2}[./-]\d{1,2}[./-]\d{4},?\s+\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*([AP]M)?$/i.test(value.trim()) && parseLogAnalyticsCsvTime(value) === null;
}

function offsetMinutes(zone: string | undefined): number {
  if (!zone || zone === 'Z' || zone === 'z' || zone === 'UTC') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || 0));
}

/** A literal IP address in canonical text, or null when the source is a service name, `AWS Internal`, …. */
export function parseIp(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  let text = value.trim();
  if (text.startsWith('[') && text.includes(']')) text = text.slice(1, text.indexOf(']'));
  if (isIP(text) === 4) return text;
  if (isIP(text) === 6) return text.toLowerCase();
  // Some exports pad octets (`010.001.002.003`); CloudTrail means them as decimal, never octal.
  const padded = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (padded && padded.slice(1).every((o) => Number(o) <= 255)) return padded.slice(1).map(Number).join('.');
  // IPv4 with a port (`1.2.3.4:443`)
  const withPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(text);
  if (withPort && isIP(withPort[1]!) === 4) return withPort[1]!;
  return null;
}

/** AWS account ids are 12 digits; exports that typed them as numbers lost the leading zeros. */
export function awsAccountId(value: unknown): string | null {
  if (typeof value === 'number' && Number.isInteger(value)) return String(value).padStart(12, '0');
  if (typeof value !== 'string' || value === '') return null;
  return /^\d{1,11}$/.test(value) ? value.padStart(12, '0') : value;
}

/** Text or null: numbers and booleans become text, objects and empty strings become null. */
export function text(value: unknown): string | null {
  if (typeof value === 'string') return value === '' ? null : value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return null;
}

/** `true`/`false` as booleans or strings (`"true"`, `"False"`); anything else is unknown (null). */
export function bool(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const v = value.trim().toLowerCase();
    if (v === 'true') return true;
    if (v === 'false') return false;
  }
  return null;
}

type Obj = Record<string, unknown>;

/** The object itself when `value` is a plain object, else null. */
export function obj(value: unknown): Obj | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Obj) : null;
}

/**
 * Reads a key the way real exports spell it: exactly, else case-insensitively (Lake and Panther write
 * `eventtime`, console exports `EventTime`). The exact hit is the fast path for ordinary CloudTrail.
 */
export function field(o: Obj | null, key: string): unknown {
  if (o === null) return undefined;
  const exact = o[key];
  if (exact !== undefined) return exact;
  // Most lookups that get here are of fields the record lacks (errorCode, sharedEventID…): compare lengths first, so
  // those cost no lowercased copy of every key.
  const lower = key.toLowerCase();
  for (const k in o) if (k.length === lower.length && k.toLowerCase() === lower) return o[k];
  return undefined;
}

/** `field` down a path of keys. */
export function path(o: Obj | null, ...keys: string[]): unknown {
  let cur: unknown = o;
  for (const k of keys) {
    cur = field(obj(cur), k);
    if (cur === undefined) return undefined;
  }
  return cur;
}

/**
 * The object a field holds, whether as an object or as JSON text (Log Analytics writes dynamic columns such as
 * `Claims` or `Status` as strings; BigQuery writes `requestJson`). Anything else is null.
 */
export function jsonObject(value: unknown): Obj | null {
  const direct = obj(value);
  if (direct) return direct;
  if (typeof value !== 'string') return null;
  const t = value.trim();
  if (!t.startsWith('{')) return null;
  try {
    return obj(JSON.parse(t));
  } catch {
    return null;
  }
}
