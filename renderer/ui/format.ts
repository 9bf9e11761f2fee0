// Display formatting. Every time is shown in UTC (forensic timelines are compared across sources), with
// the zone written out.
import { showBidiControls } from '../../shared/text/bidi-controls';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `2026-10-13 02:17:43 UTC` (or without seconds / the zone). */
export function formatTime(ms: number | null | undefined, options: { seconds?: boolean; zone?: boolean; millis?: boolean } = {}): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  const d = new Date(ms);
  const { seconds = true, zone = true, millis = false } = options;
  let text = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  if (seconds) text += `:${pad(d.getUTCSeconds())}`;
  if (millis) text += `.${pad(d.getUTCMilliseconds(), 3)}`;
  return zone ? `${text} UTC` : text;
}

/** `02:17:43` */
export function formatClock(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

export function formatDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** `+5m02s`, `+1h04m`, `+3d2h`; negative offsets get a minus sign. */
export function formatOffset(ms: number): string {
  const sign = ms < 0 ? '−' : '+';
  return sign + formatDuration(Math.abs(ms));
}

/** `42s`, `5m02s`, `1h04m`, `3d02h`. */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${pad(s % 60)}s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h${pad(m % 60)}m`;
  return `${Math.floor(h / 24)}d${pad(h % 24)}h`;
}

export function formatNumber(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  return Math.round(n).toLocaleString('en-US');
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

/**
 * A count and its noun, singular for one: `1 event`, `2 events`, `15,031 events` (`plural` for nouns that do not just
 * add an s). Only for the app's own words; reasons written by the core are shown as the core wrote them.
 */
export function countOf(n: number, singular: string, plural = `${singular}s`): string {
  return `${formatNumber(n)} ${n === 1 ? singular : plural}`;
}

export { cloudName } from '../../shared/domain/correlation';

/** Country code to a regional-indicator flag; falls back to the code itself. */
export function countryLabel(code: string | null | undefined): string {
  if (!code) return '—';
  return code.toUpperCase();
}

export function asnLabel(asn: number | null | undefined, org?: string | null): string {
  if (asn === null || asn === undefined) return org ?? '—';
  return org ? `AS${asn} ${org}` : `AS${asn}`;
}

export function titleCase(text: string): string {
  return text.replace(/[-_]/g, ' ').replace(/^\w/, (c) => c.toUpperCase());
}

/** The first letter upper case, the rest as written ("later sign-in" keeps its hyphen, which titleCase drops). */
export function capitalised(text: string): string {
  return text.replace(/^\w/, (c) => c.toUpperCase());
}

/**
 * A principal as a list shows it (a character that reorders text shown by its code point): an ARN shortened to what tells principals apart (`role/session`,
 * `user/name`); other names unchanged. The full text stays available as a title.
 */
export function shortPrincipal(name: string | null | undefined): string {
  if (!name) return '—';
  if (!name.startsWith('arn:')) return showBidiControls(name);
  const resource = name.split(':').slice(5).join(':');
  const assumed = /^assumed-role\/(.+)$/.exec(resource);
  return showBidiControls(assumed?.[1] ? assumed[1] : resource || name);
}

/**
 * Whether a principal, as shortPrincipal() shows it, tells who it is at its end: a path (`OrganizationAccountAccessRole/
 * maint-0917`, `AWSReservedSSO_ReadOnly_1a2b/alice@acme.example`) ends with the session or user; an address, an id or
 * an account number does not.
 */
export function principalEndIsDistinctive(shown: string): boolean {
  return shown.includes('/');
}

/** Characters after which a long identifier may wrap: path, namespace and host separators, and hyphens. */
const WRAP_AFTER = /[/.:\-_@=&?,;|\\]/;

/**
 * A long value cut into pieces that each end at a separator (`Microsoft.Authorization/` `roleAssignments/` `write`), so a
 * view can offer a line break after each and never inside a word. Joined, the pieces are the text unchanged.
 */
export function wrapPieces(text: string): string[] {
  const pieces: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length - 1; i++) {
    if (WRAP_AFTER.test(text[i]!) && !WRAP_AFTER.test(text[i + 1]!)) {
      pieces.push(text.slice(start, i + 1));
      start = i + 1;
    }
  }
  pieces.push(text.slice(start));
  return pieces;
}

/**
 * Whether a name is a path of parts (an Azure operation `Microsoft.Storage/storageAccounts/listKeys/action`, a GCP method
 * `google.iam.admin.v1.CreateServiceAccountKey`) whose end tells it apart from its neighbours, rather than a single word
 * (`AssumeRole`) whose start does.
 */
export function endIsDistinctive(name: string): boolean {
  return /[^/.:]{2}[/.:][^/.:]/.test(name);
}
