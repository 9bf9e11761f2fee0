// One way to show a string that came from a log (a principal, an account, an action, a user agent, a reason, a place):
// a Unicode control that reorders text is shown by its code point (shared/text/bidi-controls.ts), so an
// appDisplayName `\u202Etnemyap-otua` reads as stored, not as "auto-payment". Everything a screen prints from a log
// goes through <LogText> (element content) or logText() (titles, tooltips and joined sentences). Searching, filtering
// and data attributes keep the stored text.
import { showBidiControls } from '../../shared/text/bidi-controls';

/** The text to show for a log value: controls by their code point; `fallback` when there is no value. */
export function logText(value: string | null | undefined, fallback = '—'): string {
  return value === null || value === undefined ? fallback : showBidiControls(value);
}

/** `Berlin, DE`: where a log's address is, as geolocation names it (a custom database's names are text too). */
export function placeText(city: string | null | undefined, country: string | null | undefined): string {
  return logText([city, country].filter(Boolean).join(', ') || null, 'unknown place');
}

/**
 * A log value as element content. It is isolated from its neighbours (`<bdi>`): right-to-left letters in a name, which
 * are shown as they are, cannot move the arrow, the account or the time printed beside it.
 */
export function LogText({ text, fallback }: { text: string | null | undefined; fallback?: string }) {
  return <bdi>{logText(text, fallback)}</bdi>;
}
