// CSV writing for exports: RFC 4180 quoting, and spreadsheet formula injection defused: a text cell starting with
// = + - @ (or a tab / carriage return, which some spreadsheets strip before evaluating) gets a leading '.
import { closeSync, openSync, writeSync } from 'node:fs';

const FORMULA_START = /^[=+\-@\t\r]/;
/**
 * GCP writes a third of its insertIds with a leading `-` (`-qqqqh0zvqqe0`): lowercase letters and digits, 11-13 long. Such
 * a cell (or a space-separated list starting with one) is kept byte for byte rather than given a `'`: it holds nothing
 * that calls a function, reaches another program (`|`, `!`) or computes (`+`, `(`), so a spreadsheet can at most show an
 * error. Anything a spreadsheet would read as a different value instead (a number `-1e5`, a cell `-AB12`, `-R1C1`) and
 * every other `-` text still gets its `'`.
 */
const ID_LIST = /^-[a-z0-9]{10,}( -?[a-z0-9]{10,})*$/;
const NUMBER_OR_CELL = /^-(\d+(\.\d*)?(e[+-]?\d+)?|[a-z]{1,3}\d{1,7}|r\d*c\d*)(\s|$)/i;

function isInertId(s: string): boolean {
  return ID_LIST.test(s) && /[a-z]/.test(s.slice(0, s.indexOf(' ') < 0 ? undefined : s.indexOf(' '))) && !NUMBER_OR_CELL.test(s);
}

/** One CSV cell. Numbers and booleans are written as they are; text that could start a formula is prefixed with '. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s: string;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') s = String(value);
  else {
    s = typeof value === 'string' ? value : JSON.stringify(value);
    if (FORMULA_START.test(s) && !isInertId(s)) s = `'${s}`;
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
