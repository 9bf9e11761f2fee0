// CSV writing for exports: RFC 4180 quoting, and spreadsheet formula injection defused: a text cell starting with
// = + - @ (or a tab / carriage return, which some spreadsheets strip before evaluating) gets a leading '.
import { closeSync, openSync, writeSync } from 'node:fs';

const FORMULA_START = /^[=+\-@\t\r]/;
/**
 * A cell starting with `-` that holds only letters, digits, `_`, `.`, `-` and spaces: GCP writes a third of its insertIds
 * so (`-qqqqh0zvqqe0`). With nothing that calls a function, reaches another program (`|`, `!`) or computes (`+`, `(`),
 * a spreadsheet can at most show it as an error, so the id is kept byte for byte rather than given a `'`.
 */
const INERT_DASH = /^-[A-Za-z0-9_. -]*$/;

/** One CSV cell. Numbers and booleans are written as they are; text that could start a formula is prefixed with '. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s: string;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') s = String(value);
  else {
    s = typeof value === 'string' ? value : JSON.stringify(value);
    if (FORMULA_START.test(s) && !INERT_DASH.test(s)) s = `'${s}`;
  }
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(values: readonly unknown[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

/** A buffered synchronous file writer (the database reads are synchronous too): rows go out in 1 MiB chunks. */
export class FileSink {
  private readonly fd: number;
  private buffer: string[] = [];
  private pending = 0;
  bytes = 0;

  constructor(file: string) {
    this.fd = openSync(file, 'w');
  }

  write(text: string): void {
    this.buffer.push(text);
    this.pending += text.length;
    if (this.pending >= 1 << 20) this.flush();
  }

  flush(): void {
    if (this.buffer.length === 0) return;
    const chunk = Buffer.from(this.buffer.join(''), 'utf8');
    writeSync(this.fd, chunk);
    this.bytes += chunk.length;
    this.buffer = [];
    this.pending = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}
