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
  const records = recordsInPieces(inflated);
  if (records === null || records.length === 0) return null;
  for (const record of records) {
    if (record === null || typeof record !== 'object' || Array.isArray(record)) return null;
    for (const key of ENVELOPE_KEYS) if (Object.hasOwn(record, key)) return null;
  }
  return records as Record<string, unknown>[];
}

/** Bytes of JSON text parsed at a time: strings stay under V8's large-object size (128 KiB), see recordsInPieces. */
export const PIECE_BYTES = 64 * 1024;
/**
 * Where a piece may end: before a record that starts as CloudTrail writes every one (its first key is eventVersion).
 * A file whose records start otherwise is parsed in one piece, as it would be whole.
 */
const NEXT_RECORD = Buffer.from('},{"eventVersion":');
/** Cuts tried after one that failed before the rest of the file is parsed as one piece. */
const MAX_RECUTS = 3;
const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);

/**
 * The elements of `{"Records":[ … ]}` (its opening already checked), parsed a piece of about PIECE_BYTES at a time;
 * null when the text is not exactly that envelope. Why pieces: a string over 128 KiB is a large object in V8, which
 * maps fresh memory for each one and unmaps it after; decoding a 280 KB delivery whole cost ten times as much as
 * decoding it in pieces (0.7 s against 0.07 s for 840 MB, nearly all of it system time), on every file of an import.
 *
 * The pieces are cut at a `},{"eventVersion":` found after each PIECE_BYTES (a native search, no scan of the JSON),
 * and each must
 * parse on its own as the list of values of an array. That alone makes the result exact, wherever a cut fell: if
 * `[A]` and `[B]` are both JSON arrays then so is `[A,B]`, holding A's elements then B's, so the whole text is the
 * envelope with exactly these records. A cut inside a string or a nested array leaves its piece unclosed, which
 * then fails to parse and runs on to the next cut.
 */
function recordsInPieces(inflated: Buffer): unknown[] | null {
  let end = inflated.length;
  while (end > OPENING.length && WHITESPACE.has(inflated[end - 1]!)) end--;
  if (end < OPENING.length + 2 || inflated[end - 1] !== 0x7d || inflated[end - 2] !== 0x5d) return null; // `]}`
  end -= 2;
  const records: unknown[] = [];
  for (let start = OPENING.length; start < end; ) {
    let cut = start + PIECE_BYTES >= end ? -1 : inflated.indexOf(NEXT_RECORD, start + PIECE_BYTES);
    if (cut === -1 || cut >= end) cut = end - 1;
    let piece = parsePiece(inflated, start, cut);
    for (let retry = 0; piece === null && cut !== end - 1; retry++) {
      // A cut that was not between two records (inside a string or a nested array): the piece runs on to the next
      // cut, and after a few such, to the end of the file, so a damaged file is parsed at most a few times over.
      const next = retry < MAX_RECUTS ? inflated.indexOf(NEXT_RECORD, cut + 1) : -1;
      cut = next === -1 || next >= end ? end - 1 : next;
      piece = parsePiece(inflated, start, cut);
    }
    if (piece === null) return null;
    for (const record of piece) records.push(record);
    start = cut + 2; // past the `},` between two pieces
  }
  return records;
}

/** The values of `[` + bytes start…cut + `]`, or null when that is not a JSON array. */
function parsePiece(inflated: Buffer, start: number, cut: number): unknown[] | null {
  try {
    return JSON.parse(`[${inflated.toString('utf8', start, cut + 1)}]`) as unknown[];
  } catch {
    return null;
  }
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
