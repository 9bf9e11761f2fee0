/**
 * CloudTrail Lake writes nested columns (userIdentity, requestParameters, resources …) into its CSV results in
 * Trino's text form, `{type=AssumedRole, arn=arn:aws:…, sessioncontext={attributes={…}}}`, not JSON. This reads
 * that form back into objects, best effort: map values that are themselves JSON (policy documents) are parsed
 * as JSON, and anything unreadable stays a string rather than failing the row.
 */
export function parseTrinoValue(input: string): unknown {
  const p = new Reader(input.trim());
  try {
    const v = p.value(true);
    return p.atEnd() ? v : input;
  } catch {
    return input;
  }
}

class Reader {
  i = 0;
  constructor(private readonly s: string) {}

  atEnd(): boolean {
    return this.i >= this.s.length;
  }

  value(top = false): unknown {
    const c = this.s[this.i];
    if (c === '{' && this.s[this.i + 1] === '"') return this.json();
    if (c === '{') return this.map();
    if (c === '[') return this.list();
    return this.scalar(top);
  }

  private map(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.i++; // {
    this.spaces();
    if (this.s[this.i] === '}') { this.i++; return out; }
    for (;;) {
      const eq = this.s.indexOf('=', this.i);
      if (eq < 0) throw new Error('no =');
      const key = this.s.slice(this.i, eq).trim();
      this.i = eq + 1;
      out[key] = this.value();
      this.spaces();
      const c = this.s[this.i++];
      if (c === '}') return out;
      if (c !== ',') throw new Error('expected , or }');
      this.spaces();
    }
  }

  private list(): unknown[] {
    const out: unknown[] = [];
    this.i++; // [
    this.spaces();
    if (this.s[this.i] === ']') { this.i++; return out; }
    for (;;) {
      out.push(this.value());
      this.spaces();
      const c = this.s[this.i++];
      if (c === ']') return out;
      if (c !== ',') throw new Error('expected , or ]');
      this.spaces();
    }
  }

  /** A JSON object embedded as a map value: find its end respecting strings, then JSON.parse it. */
  private json(): unknown {
    let depth = 0;
    let inString = false;
    for (let k = this.i; k < this.s.length; k++) {
      const c = this.s[k];
      if (inString) {
        if (c === '\\') k++;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') {
        depth--;
        if (depth === 0) {
          const text = this.s.slice(this.i, k + 1);
          this.i = k + 1;
          try { return JSON.parse(text); } catch { return text; }
        }
      }
    }
    throw new Error('unterminated JSON');
  }

  /** Up to the next `, ` `}` or `]` at this level (the whole rest at top level). */
  private scalar(top: boolean): unknown {
    if (top) {
      const rest = this.s.slice(this.i);
      this.i = this.s.length;
      return rest === 'null' ? null : rest;
    }
    let k = this.i;
    while (k < this.s.length && this.s[k] !== '}' && this.s[k] !== ']' && !(this.s[k] === ',' && this.s[k + 1] === ' ')) k++;
    const text = this.s.slice(this.i, k).trim();
    this.i = k;
    return text === 'null' ? null : text;
  }

  private spaces(): void {
    while (this.s[this.i] === ' ') this.i++;
  }
}
