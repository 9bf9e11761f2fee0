// Runtime validators for every request of the contract: the renderer is untrusted input (and in browser mode
// anything on the machine that found the token could post). Hand-written rather than zod: the shapes are
// small, and errors name the exact field. Both transports (Electron IPC, the loopback bridge) run them
// before a request reaches the core. Unknown fields, wrong types and absurd limits are refused.
import { VERDICTS, type AnnotationInput, type AnnotationTarget, type Verdict } from '../domain/annotations';
import type { CorrelationSettings } from '../domain/correlation';
import { isSampleId, SAMPLES, type SampleId } from '../domain/samples';
import { REQUEST_CHANNELS, type EventFilter, type RequestChannel, type RequestOf } from './contract';

/** A request the validator refused; its message names the field (`filter.limit: must be …`). */
export class RequestValidationError extends Error {
  readonly code = 'bad-request';
  constructor(message: string) {
    super(message);
    this.name = 'RequestValidationError';
  }
}

/** Largest page the explorer may ask for, and the most histogram buckets. */
export const MAX_PAGE_LIMIT = 1000;
export const MAX_HISTOGRAM_BUCKETS = 2000;
/** Longest path accepted (PATH_MAX on Linux is 4096) and most paths in one import. */
export const MAX_PATH_LENGTH = 4096;
export const MAX_IMPORT_PATHS = 1000;
/** Times must lie within ±100,000 years of 1970 (JavaScript's Date range is ±275,000 years). */
const MAX_TIME_MS = 3_155_760_000_000_000;

type Obj = Record<string, unknown>;

const fail = (path: string, problem: string): never => {
  throw new RequestValidationError(`${path}: ${problem}`);
};

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `a string of ${v.length} characters`;
  if (typeof v === 'number') return Number.isFinite(v) ? `the number ${v}` : String(v);
  return typeof v;
}

function object(v: unknown, path: string, allowed: readonly string[]): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail(path, `must be an object, got ${describe(v)}`);
  const proto = Object.getPrototypeOf(v) as unknown;
  if (proto !== Object.prototype && proto !== null) fail(path, 'must be a plain object');
  const extra = Object.keys(v).filter((k) => !allowed.includes(k));
  if (extra.length > 0) fail(path, `unknown field${extra.length > 1 ? 's' : ''} ${extra.map((k) => JSON.stringify(k.slice(0, 40))).join(', ')}${allowed.length ? ` (allowed: ${allowed.join(', ')})` : ' (none allowed)'}`);
  return v as Obj;
}

/** `{}` (requests without parameters); `undefined` is taken as `{}`. */
function empty(v: unknown, path = 'request'): Record<string, never> {
  if (v === undefined) return {};
  object(v, path, []);
  return {};
}

function string(v: unknown, path: string, max: number, options: { trim?: boolean } = {}): string {
  if (typeof v !== 'string') return fail(path, `must be a string, got ${describe(v)}`);
  if (v.length === 0 || (options.trim !== false && v.trim().length === 0)) fail(path, 'must not be empty');
  if (v.length > max) fail(path, `must be at most ${max} characters, got ${v.length}`);
  if (v.includes('\0')) fail(path, 'must not contain NUL characters');
  return v;
}

function integer(v: unknown, path: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) return fail(path, `must be an integer, got ${describe(v)}`);
  if (v < min || v > max) fail(path, `must be from ${min} to ${max}, got ${v}`);
  return v;
}

/** A filesystem path of the machine running the core: a string, absolute or relative to it. */
function filePath(v: unknown, path: string): string {
  return string(v, path, MAX_PATH_LENGTH, { trim: true });
}

function array<T>(v: unknown, path: string, maxItems: number, item: (x: unknown, p: string) => T): T[] {
  if (!Array.isArray(v)) return fail(path, `must be an array, got ${describe(v)}`);
  if (v.length > maxItems) fail(path, `must have at most ${maxItems} items, got ${v.length}`);
  return v.map((x, i) => item(x, `${path}[${i}]`));
}

const id = (v: unknown, path: string) => integer(v, path, 1, Number.MAX_SAFE_INTEGER);
const timeMs = (v: unknown, path: string) => integer(v, path, -MAX_TIME_MS, MAX_TIME_MS);

const IPV4_CIDR = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}(\/(3[0-2]|[12]?\d))?$/;
const IPV6_CIDR = /^[0-9a-fA-F:.]*:[0-9a-fA-F:.]*(\/(12[0-8]|1[01]\d|[1-9]?\d))?$/;

function cidr(v: unknown, path: string): string {
  const s = string(v, path, 64).trim();
  if (!IPV4_CIDR.test(s) && !IPV6_CIDR.test(s)) fail(path, `is not an IP address or CIDR block (e.g. 203.0.113.0/24): ${JSON.stringify(s.slice(0, 64))}`);
  return s;
}

const FILTER_KEYS = ['fromMs', 'toMs', 'principal', 'account', 'sourceIp', 'asn', 'country', 'action', 'outcome', 'credential', 'text'] as const;

/** Explorer and timeline filters. `undefined` fields are dropped; `null` is refused (leave the field out). */
export function validateEventFilter(v: unknown, path = 'filter'): EventFilter {
  const o = object(v, path, FILTER_KEYS);
  const out: EventFilter = {};
  const has = (k: (typeof FILTER_KEYS)[number]) => o[k] !== undefined;
  if (has('fromMs')) out.fromMs = timeMs(o.fromMs, `${path}.fromMs`);
  if (has('toMs')) out.toMs = timeMs(o.toMs, `${path}.toMs`);
  if (out.fromMs !== undefined && out.toMs !== undefined && out.fromMs > out.toMs) fail(`${path}.toMs`, 'must not be before fromMs');
  if (has('principal')) out.principal = string(o.principal, `${path}.principal`, 2048).trim();
  if (has('account')) out.account = string(o.account, `${path}.account`, 256).trim();
  // An address or a CIDR block, checked: a typo (94.102.49.1/33) had read as "no such activity".
  if (has('sourceIp')) out.sourceIp = cidr(o.sourceIp, `${path}.sourceIp`);
  if (has('asn')) out.asn = integer(o.asn, `${path}.asn`, 0, 4_294_967_295);
  if (has('country')) {
    const c = string(o.country, `${path}.country`, 2).trim();
    if (!/^[A-Za-z]{2}$/.test(c)) fail(`${path}.country`, 'must be an ISO 3166-1 alpha-2 code such as DE');
    out.country = c.toUpperCase();
  }
  if (has('action')) out.action = string(o.action, `${path}.action`, 512).trim();
  if (has('outcome')) {
    if (o.outcome !== 'success' && o.outcome !== 'failure' && o.outcome !== 'unknown') fail(`${path}.outcome`, 'must be success, failure or unknown');
    out.outcome = o.outcome as EventFilter['outcome'];
  }
  if (has('credential')) out.credential = string(o.credential, `${path}.credential`, 4096).trim();
  if (has('text')) out.text = string(o.text, `${path}.text`, 512).trim();
  return out;
}

/** The whole settings object (as settings.get returns it), every field required except the geo paths. */
export function validateCorrelationSettings(v: unknown, path = 'settings'): CorrelationSettings {
  const o = object(v, path, ['organisationAccounts', 'windowMinutes', 'baselineDays', 'allowlist', 'geo']);
  const account = (x: unknown, p: string) => string(x, p, 128).trim();
  const allow = object(o.allowlist, `${path}.allowlist`, ['accounts', 'roles', 'cidrs', 'asns', 'identityProviders']);
  const geo = object(o.geo, `${path}.geo`, ['cityMmdb', 'asnMmdb']);
  const settings: CorrelationSettings = {
    organisationAccounts: array(o.organisationAccounts, `${path}.organisationAccounts`, 10_000, account),
    windowMinutes: integer(o.windowMinutes, `${path}.windowMinutes`, 1, 7 * 24 * 60),
    baselineDays: o.baselineDays === null ? null : integer(o.baselineDays, `${path}.baselineDays`, 1, 36_500),
    allowlist: {
      accounts: array(allow.accounts, `${path}.allowlist.accounts`, 10_000, account),
      roles: array(allow.roles, `${path}.allowlist.roles`, 10_000, (x, p) => string(x, p, 2048).trim()),
      cidrs: array(allow.cidrs, `${path}.allowlist.cidrs`, 10_000, cidr),
      asns: array(allow.asns, `${path}.allowlist.asns`, 10_000, (x, p) => integer(x, p, 0, 4_294_967_295)),
      identityProviders: array(allow.identityProviders, `${path}.allowlist.identityProviders`, 10_000, (x, p) => string(x, p, 2048).trim()),
    },
    geo: {},
  };
  if (geo.cityMmdb !== undefined) settings.geo.cityMmdb = filePath(geo.cityMmdb, `${path}.geo.cityMmdb`);
  if (geo.asnMmdb !== undefined) settings.geo.asnMmdb = filePath(geo.asnMmdb, `${path}.geo.asnMmdb`);
  return settings;
}

/** Most tags on one annotation, longest tag, longest note. */
export const MAX_TAGS = 50;
export const MAX_TAG_LENGTH = 100;
export const MAX_NOTE_LENGTH = 100_000;

function annotationTarget(v: unknown, path: string): AnnotationTarget {
  const kind = (v as Obj | null)?.kind;
  if (kind === 'finding') {
    const o = object(v, path, ['kind', 'provider', 'entryEventId']);
    return { kind, provider: string(o.provider, `${path}.provider`, 64).trim(), entryEventId: string(o.entryEventId, `${path}.entryEventId`, 1024) };
  }
  if (kind === 'session') {
    const o = object(v, path, ['kind', 'provider', 'sessionKey']);
    return { kind, provider: string(o.provider, `${path}.provider`, 64).trim(), sessionKey: string(o.sessionKey, `${path}.sessionKey`, 4096) };
  }
  if (kind === 'event') {
    const o = object(v, path, ['kind', 'provider', 'eventId', 'nativeId']);
    return { kind, provider: string(o.provider, `${path}.provider`, 64).trim(), eventId: id(o.eventId, `${path}.eventId`), nativeId: string(o.nativeId, `${path}.nativeId`, 1024) };
  }
  return fail(`${path}.kind`, 'must be finding, session or event');
}

/** An annotation as the renderer saves it: a target, a verdict or null, tags, a note (may be empty), a bookmark. */
export function validateAnnotationInput(v: unknown, path = 'request'): AnnotationInput {
  const o = object(v, path, ['target', 'verdict', 'tags', 'note', 'bookmarked']);
  if (o.verdict !== null && !VERDICTS.includes(o.verdict as Verdict)) fail(`${path}.verdict`, `must be null or one of ${VERDICTS.join(', ')}`);
  if (typeof o.note !== 'string') fail(`${path}.note`, `must be a string (may be empty), got ${describe(o.note)}`);
  const note = o.note as string;
  if (note.length > MAX_NOTE_LENGTH) fail(`${path}.note`, `must be at most ${MAX_NOTE_LENGTH} characters, got ${note.length}`);
  if (note.includes('\0')) fail(`${path}.note`, 'must not contain NUL characters');
  if (typeof o.bookmarked !== 'boolean') fail(`${path}.bookmarked`, `must be true or false, got ${describe(o.bookmarked)}`);
  return {
    target: annotationTarget(o.target, `${path}.target`),
    verdict: o.verdict as Verdict | null,
    tags: array(o.tags, `${path}.tags`, MAX_TAGS, (x, p) => string(x, p, MAX_TAG_LENGTH).trim()),
    note,
    bookmarked: o.bookmarked as boolean,
  };
}

type Validator<C extends RequestChannel> = (input: unknown) => RequestOf<C>;

/**
 * One validator per request channel. The mapped type is the compile-time check: a channel added to the
 * contract without a validator here fails the typecheck.
 */
export const VALIDATORS: { readonly [C in RequestChannel]: Validator<C> } = {
  'app.about': (v) => empty(v),
  'analyst.set': (v) => {
    const o = object(v, 'request', ['name']);
    // Control characters are turned into spaces where the name is stored (core/analyst.ts).
    const name = string(o.name, 'name', 200).trim();
    if (!name) fail('name', 'must not be empty');
    return { name };
  },
  'case.create': (v) => ({ file: filePath(object(v, 'request', ['file']).file, 'file') }),
  'case.open': (v) => ({ file: filePath(object(v, 'request', ['file']).file, 'file') }),
  'case.openSample': (v) => {
    if (v === undefined) return {};
    const { sample } = object(v, 'request', ['sample']);
    if (sample === undefined) return {};
    if (!isSampleId(sample)) fail('sample', `must be one of ${SAMPLES.map((s) => s.id).join(', ')}, got ${describe(sample)}`);
    return { sample: sample as SampleId };
  },
  'case.info': (v) => empty(v),
  'case.check': (v) => empty(v),
  'case.recent': (v) => empty(v),
  'import.start': (v) => {
    const o = object(v, 'request', ['paths']);
    const paths = array(o.paths, 'paths', MAX_IMPORT_PATHS, filePath);
    if (paths.length === 0) fail('paths', 'must name at least one file or folder');
    return { paths };
  },
  'jobs.cancel': (v) => ({ jobId: id(object(v, 'request', ['jobId']).jobId, 'jobId') }),
  'findings.list': (v) => empty(v),
  'coverage.list': (v) => empty(v),
  'import.history': (v) => empty(v),
  'chain.timeline': (v) => ({ findingId: id(object(v, 'request', ['findingId']).findingId, 'findingId') }),
  'chain.map': (v) => ({ findingId: id(object(v, 'request', ['findingId']).findingId, 'findingId') }),
  'events.page': (v) => {
    const o = object(v, 'request', ['filter', 'after', 'limit']);
    const out: RequestOf<'events.page'> = { filter: validateEventFilter(o.filter), limit: integer(o.limit, 'limit', 1, MAX_PAGE_LIMIT) };
    if (o.after !== undefined) {
      const a = object(o.after, 'after', ['timeMs', 'id']);
      out.after = { timeMs: timeMs(a.timeMs, 'after.timeMs'), id: integer(a.id, 'after.id', 0, Number.MAX_SAFE_INTEGER) };
    }
    return out;
  },
  'events.get': (v) => ({ id: id(object(v, 'request', ['id']).id, 'id') }),
  'events.histogram': (v) => {
    const o = object(v, 'request', ['filter', 'buckets']);
    return { filter: validateEventFilter(o.filter), buckets: integer(o.buckets, 'buckets', 1, MAX_HISTOGRAM_BUCKETS) };
  },
  'settings.get': (v) => empty(v),
  'settings.set': (v) => ({ settings: validateCorrelationSettings(object(v, 'request', ['settings']).settings) }),
  'correlate.run': (v) => empty(v),
  'annotations.list': (v) => empty(v),
  'annotations.save': (v) => validateAnnotationInput(v),
  'annotations.delete': (v) => ({ id: id(object(v, 'request', ['id']).id, 'id') }),
  'audit.list': (v) => {
    const o = v === undefined ? {} : object(v, 'request', ['limit']);
    return o.limit === undefined ? {} : { limit: integer(o.limit, 'limit', 1, 100_000) };
  },
  'report.export': (v) => {
    const o = object(v, 'request', ['format', 'what', 'out', 'findingId', 'filter', 'overwrite']);
    if (!['html', 'pdf', 'json', 'csv'].includes(o.format as string)) fail('format', 'must be html, pdf, json or csv');
    const out: RequestOf<'report.export'> = { format: o.format as RequestOf<'report.export'>['format'], out: filePath(o.out, 'out') };
    if (o.what !== undefined) {
      if (!['report', 'findings', 'events', 'timeline', 'evidence'].includes(o.what as string)) fail('what', 'must be report, findings, events, timeline or evidence');
      out.what = o.what as NonNullable<RequestOf<'report.export'>['what']>;
    }
    if (o.findingId !== undefined) out.findingId = id(o.findingId, 'findingId');
    if (o.filter !== undefined) out.filter = validateEventFilter(o.filter);
    if (o.overwrite !== undefined) {
      if (typeof o.overwrite !== 'boolean') fail('overwrite', 'must be true or false');
      out.overwrite = o.overwrite as boolean;
    }
    return out;
  },
};

const KNOWN = new Set<string>(REQUEST_CHANNELS);

/** Whether a string names a request channel of the contract. */
export function isRequestChannel(channel: unknown): channel is RequestChannel {
  return typeof channel === 'string' && KNOWN.has(channel);
}

/** Validates (and normalises: trimmed strings, upper-case country) one request; throws RequestValidationError. */
export function validateRequest<C extends RequestChannel>(channel: C, input: unknown): RequestOf<C> {
  return (VALIDATORS[channel] as Validator<C>)(input);
}
