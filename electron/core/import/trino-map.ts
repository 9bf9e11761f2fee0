/**
 * CloudTrail Lake writes nested columns (userIdentity, requestParameters, resources …) into its CSV results in
 * Trino's text form, `{type=AssumedRole, arn=arn:aws:…, sessioncontext={attributes={…}}}`, not JSON. This reads
 * that form back into objects, best effort: map values that are themselves JSON (policy documents) are parsed
 * as JSON, and anything unreadable stays a string rather than failing the row. Trino does not quote map values, so
 * a value may hold `, ` itself (STS writes `expiration=Jul 18, 2023, 4:07:39 PM`): inside a map, `, ` ends a value
 * only when a key and `=` follow it (`, accessKeyId=`), never when more text of the value does (`, 2023, 4:07…`).
 * The same reader serves the `get-query-results` JSON, whose cells are all strings (normalize-cloudtrail.ts).
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

  value(top = false, inMap = false): unknown {
    const c = this.s[this.i];
    if (c === '{' && this.s[this.i + 1] === '"') return this.json();
    if (c === '{') return this.map();
    if (c === '[') return this.list();
    return this.scalar(top, inMap);
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
      out[key] = this.value(false, true);
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

  /**
   * Up to the next `}`, `]` or `, ` at this level (the whole rest at top level). A map value runs on over a `, `
   * that is not followed by a key and `=`: it is a comma inside the value.
   */
  private scalar(top: boolean, inMap = false): unknown {
    if (top) {
      const rest = this.s.slice(this.i);
      this.i = this.s.length;
      return rest === 'null' ? null : rest;
    }
    let k = this.i;
    while (k < this.s.length && this.s[k] !== '}' && this.s[k] !== ']' && !(this.s[k] === ',' && this.s[k + 1] === ' ' && (!inMap || this.keyAt(k + 2)))) k++;
    const text = this.s.slice(this.i, k).trim();
    this.i = k;
    return text === 'null' ? null : text;
  }

  /** Whether a map key and its `=` start at `at` (`accessKeyId=`, `x-amz-id=`): name characters, then `=`. */
  private keyAt(at: number): boolean {
    let k = at;
    while (k < this.s.length && /[\w.$:@\/-]/.test(this.s[k]!)) k++;
    return k > at && this.s[k] === '=';
  }

  private spaces(): void {
    while (this.s[this.i] === ' ') this.i++;
  }
}
