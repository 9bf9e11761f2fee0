import { isUtf8 } from 'node:buffer';
import { ENVELOPE_KEYS } from './json-record-splitter';

/**
 * Inflated files up to this size may take the whole-file path: a CloudTrail S3 delivery is a few hundred KB,
 * and the parsed objects of one file (a few times its size) must stay small beside the worker's other memory.
 */
export const WHOLE_FILE_MAX_BYTES = 2 * 1024 * 1024;

const OPENING = Buffer.from('{"Records":[');
const RECORDS = Buffer.from('Records');
const QUOTE = 0x22;
const ASCII_ESCAPE = Buffer.from('\\u00');

/**
 * The records of a file that is exactly CloudTrail's S3 delivery shape, `{"Records":[{…},{…}]}` and nothing else,
 * parsed with one JSON.parse of the whole text; null for anything else (the record splitter then reads the file
 * record by record, with positions for every problem). Parsing the file whole skips finding each record's bytes
 * at import, which costs more than the parse itself: those are found again only when a record is read
 * (see raw-records.ts), and the splitter must then agree on which record is the n-th. So this refuses every
 * shape where the two could differ: a byte order mark or whitespace before the envelope, other top-level keys,
 * a repeated `"Records"` key (JSON.parse keeps the last, the splitter reads the first), also one spelled with
 * escapes such as `"Recor\u0064s"` (JSON.parse decodes them, the splitter does not), an element that is not an
 * object or that holds an envelope key of its own (the splitter descends into those), and invalid UTF-8.
 * `maxRecordBytes` keeps the splitter's own limit: a file larger than it goes the splitter's way.
 */
export function wholeRecordsEnvelope(inflated: Buffer, maxRecordBytes = Number.POSITIVE_INFINITY): Record<string, unknown>[] | null {
  if (inflated.length > Math.min(WHOLE_FILE_MAX_BYTES, maxRecordBytes) || inflated.length < OPENING.length) return null;
  if (!inflated.subarray(0, OPENING.length).equals(OPENING)) return null;
  // Also refuses files whose events mention "Records" in a quoted string: rare, and they are only read slower.
  if (hasQuotedRecords(inflated, OPENING.length)) return null;
  if (hasAsciiLetterEscape(inflated)) return null;
  if (!isUtf8(inflated)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(inflated.toString('utf8'));
  } catch {
    return null;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
  const keys = Object.keys(parsed);
  if (keys.length !== 1 || keys[0] !== 'Records') return null;
  const records = (parsed as { Records: unknown }).Records;
  if (!Array.isArray(records) || records.length === 0) return null;
  for (const record of records) {
    if (record === null || typeof record !== 'object' || Array.isArray(record)) return null;
    for (const key of ENVELOPE_KEYS) if (Object.hasOwn(record, key)) return null;
  }
  return records as Record<string, unknown>[];
}

/**
 * Whether `"Records"` occurs from `from` on. Searched without its quotes, then checked: a needle ending in `"`, the
 * commonest byte of JSON, defeats the search's skipping, and took 160 µs on a 360 KB delivery instead of 20.
 */
function hasQuotedRecords(bytes: Buffer, from: number): boolean {
  for (let at = bytes.indexOf(RECORDS, from); at !== -1; at = bytes.indexOf(RECORDS, at + RECORDS.length)) {
    if (bytes[at - 1] === QUOTE && bytes[at + RECORDS.length] === QUOTE) return true;
  }
  return false;
}

/**
 * Whether a `\u00XX` escape could spell an ASCII letter (`\u0040`–`\u007f`): the only way to write a key that reads
 * as "Records" to JSON.parse but not in the bytes. CloudTrail writes letters plainly, so such a file is rare (an
 * escaped backslash before `u00` is refused too: only slower).
 */
function hasAsciiLetterEscape(bytes: Buffer): boolean {
  for (let at = bytes.indexOf(ASCII_ESCAPE); at !== -1; at = bytes.indexOf(ASCII_ESCAPE, at + 1)) {
    const high = bytes[at + 4];
    if (high !== undefined && high >= 0x34 && high <= 0x37) return true;
  }
  return false;
}
