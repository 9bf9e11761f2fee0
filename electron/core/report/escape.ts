// The one escaping function of the HTML report: every string that comes from the evidence (or from the analyst)
// goes through it, in text and in attribute values (which are always double-quoted).
import { showBidiControls } from '../../../shared/text/bidi-controls';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

/** Escapes a value for HTML text or a double-quoted attribute; null and undefined become an empty string. */
export function escapeHtml(value: unknown): string {
  if (value === null || value === undefined) return '';
  // Lone surrogates and C0 controls (except tab / newline) are replaced, so the file is valid UTF-8 HTML; a character
  // that reorders the text after it is shown by name (showBidiControls), so the report reads in stored order.
  return showBidiControls(String(value))
    .replace(/[&<>"'`]/g, (c) => ENTITIES[c]!)
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '\ufffd')
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

/**
 * A tagged template that escapes every interpolated value, except values already built with it (Html). Using it
 * for every piece of the report makes forgetting to escape impossible: a plain string is always escaped.
 */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

type Part = Html | string | number | boolean | null | undefined | readonly Part[];

function render(part: Part): string {
  if (part instanceof Html) return part.text;
  if (Array.isArray(part)) return (part as readonly Part[]).map(render).join('');
  if (part === false) return '';
  return escapeHtml(part);
}

export function html(strings: TemplateStringsArray, ...values: Part[]): Html {
  let out = strings[0]!;
  values.forEach((v, i) => {
    out += render(v) + strings[i + 1]!;
  });
  return new Html(out);
}

/** Markup written by us (CSS, SVG numbers): never log-derived. */
export function trusted(text: string): Html {
  return new Html(text);
}
