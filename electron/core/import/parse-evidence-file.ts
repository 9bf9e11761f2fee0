import { createHash } from 'node:crypto';
import { closeSync, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import { Readable } from 'node:stream';
import { createGunzip, gunzipSync } from 'node:zlib';
import { parse as parseCsv } from 'csv-parse';
import type { NormalizedEvent } from '../../../shared/domain/event';
import { cyrb53Joined } from '../../../shared/hash/cyrb53';
import { JsonRecordSplitter, DEFAULT_MAX_RECORD_BYTES, type RecordPosition } from './json-record-splitter';
import { recordKind, UNSUPPORTED_KIND, type RecordKind } from './record-kind';
import { foldedReason } from './problem-kinds';
import { normalizeCloudTrail, type NormalizeResult } from './cloudtrail/normalize-cloudtrail';
import { normalizeAzureActivity } from './azure/normalize-azure-activity';
import { normalizeEntraSignIn } from './azure/normalize-entra-signin';
import { normalizeGcpAudit } from './gcp/normalize-gcp-audit';
import { csvLayoutOf, csvRowFor, foldHeader, unsupportedCsvReason } from './csv-row';
import { CsvRowBytes } from './csv-row-bytes';
import { InflateGuard, type ImportLimits, DEFAULT_LIMITS } from './limits';
import { MemberReader } from './member-reader';
import { wholeRecordsEnvelope } from './records-envelope';

/** A file to parse: on disk (streamed), already in memory (a small archive member) or a chunk source (a large one). */
export interface FileInput {
  /** What the analyst sees: a path, or `archive.zip!/member/path`. */
  label: string;
  path?: string;
  bytes?: Uint8Array;
  /** The file's bytes as stored, pulled one chunk at a time; may throw a SourceReadError part way. */
  chunks?: AsyncIterable<Buffer>;
}

/**
 * Thrown by a chunk source whose bytes stop being readable part way (a damaged archive member). Its message is
 * written for the analyst and reported as it is; the records read before it are kept.
 */
export class SourceReadError extends Error {
  readonly code = 'SOURCE_UNREADABLE';
}

export interface ParsedFileSink {
  /**
   * `raw` is the record's original bytes (a view valid only during the call); `offset` is where they start in
   * the file's (decompressed) content. Both are unknown (null, 0) for a file parsed whole: its records are in its
   * sourceBlock, found again by their ordinal when read (raw-records.ts).
   */
  event(event: NormalizedEvent, raw: Buffer | null, ordinal: number, offset: number): void;
  /** Called before any event when the file's own bytes can serve as the raw block (a small gzip of JSON). */
  sourceBlock?(bytes: Buffer, codec: 'gzip'): void;
  problem(position: string | null, reason: string): void;
  /** Called between chunks: a sink may wait here until its consumer catches up (backpressure). */
  drain?(): Promise<void>;
}

export interface FileSummary {
  /** e.g. `cloudtrail:s3`, `cloudtrail-lookup:events`, `cloudtrail:lake-csv`; null when nothing was recognised. */
  format: string | null;
  /** Bytes of the file as given (compressed, if it was). */
  size: number;
  sha256: string;
  events: number;
  skipped: number;
  errors: number;
}

/** The normalizer of each kind that imports; every other kind is skipped or refused with a reason. */
const NORMALIZERS: Partial<Record<RecordKind, (record: Record<string, unknown>) => NormalizeResult>> = {
  cloudtrail: normalizeCloudTrail,
  'cloudtrail-lookup': normalizeCloudTrail,
  'azure-activity': normalizeAzureActivity,
  'entra-signin': normalizeEntraSignIn,
  'gcp-audit': normalizeGcpAudit,
};

const SKIP_REASON: Partial<Record<RecordKind, string>> = {
  'cloudtrail-digest': 'CloudTrail digest file (integrity data, no events)',
  'cloudtrail-insight': 'CloudTrail Insights event (a statistic, not an API call)',
  'cloudtrail-lake-sign': 'CloudTrail Lake result sign file (integrity data, no events)',
};

type Classified =
  | { event: NormalizedEvent; skipped?: undefined; problem?: undefined }
  | { skipped: true; problem?: undefined }
  | { problem: string; skipped?: undefined };

/** What a record is and what becomes of it: a normalized event, a non-event skipped by design, or a problem. */
function classify(record: Record<string, unknown>): { kind: RecordKind; outcome: Classified } {
  const kind = recordKind(record);
  const normalize = NORMALIZERS[kind];
  if (normalize) {
    const result = normalize(record);
    return { kind, outcome: result.ok ? { event: result.event } : { problem: result.reason } };
  }
  if (SKIP_REASON[kind]) return { kind, outcome: { skipped: true } };
  return { kind, outcome: { problem: UNSUPPORTED_KIND[kind] ?? `unsupported record (${kind})` } };
}

/** Detailed problems kept per file; the rest are counted by reason in one closing line. */
const DETAILED_PROBLEMS_PER_FILE = 20;

/**
 * Parses one evidence file (plain or gzip; JSON, JSON lines or CSV) and hands each audit event (CloudTrail, Azure
 * Activity, Entra ID sign-in, GCP Cloud Audit Logs) to the
 * sink with its raw bytes. Never throws for bad input: every problem is reported against the file with a
 * position and a reason, and everything readable before it is kept.
 */
export async function parseEvidenceFile(input: FileInput, sink: ParsedFileSink, limits: ImportLimits = DEFAULT_LIMITS): Promise<FileSummary> {
  const hash = createHash('sha256');
  const summary: FileSummary = { format: null, size: 0, sha256: '', events: 0, skipped: 0, errors: 0 };
  const problems = new ProblemCollector(sink, summary);
  const kinds = new Map<RecordKind, number>();
  let shape = 'single';
  let splitter: JsonRecordSplitter | null = null;
  let lead = -1;
  /** Set when the file is UTF-16 text, read as such: its format says so. */
  let textEncoding: string | null = null;
  // The file's bytes exactly as stored, hashed and counted as they are read. Stopping the parse early does not close
  // the source, so what the parse left is read at the end and the size and hash always describe the whole file.
  let stored: MemberReader | null = null;

  const onRecord = (record: Record<string, unknown>, raw: Buffer, at: RecordPosition) => {
    const { kind, outcome } = classify(record);
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    if (outcome.problem !== undefined) return problems.add(where(at), outcome.problem);
    if (outcome.skipped) {
      summary.skipped++;
      return;
    }
    const event = outcome.event;
    if (event.nativeId === '') event.nativeId = `sha256:${createHash('sha256').update(raw).digest('hex').slice(0, 32)}`;
    event.fingerprint = fingerprintOf(event);
    summary.events++;
    sink.event(event, raw, at.ordinal, at.offset);
  };

  /**
   * The whole-file path (see records-envelope.ts): true when every record of the file was handed to the sink.
   * It only takes a file whose records all import or are skipped without a problem, because a problem names the
   * record's line, which only the splitter knows; any other file goes the splitter's way, from the start. Only
   * for a sink that keeps the file's own bytes as its events' block (`sourceBlock`): the records are found there.
   */
  const wholeFile = async (inflated: Buffer, sourceBlock: Buffer): Promise<boolean> => {
    const records = wholeRecordsEnvelope(inflated, limits.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES);
    if (records === null) return false;
    const events: { event: NormalizedEvent; ordinal: number }[] = [];
    const fileKinds = new Map<RecordKind, number>();
    let skipped = 0;
    for (let ordinal = 0; ordinal < records.length; ordinal++) {
      const { kind, outcome } = classify(records[ordinal]!);
      fileKinds.set(kind, (fileKinds.get(kind) ?? 0) + 1);
      if (outcome.problem !== undefined) return false;
      if (outcome.skipped) {
        skipped++;
        continue;
      }
      // A record without an id is named by a hash of its bytes, which this path does not have.
      if (outcome.event.nativeId === '') return false;
      outcome.event.fingerprint = fingerprintOf(outcome.event);
      events.push({ event: outcome.event, ordinal });
    }
    for (const [kind, n] of fileKinds) kinds.set(kind, (kinds.get(kind) ?? 0) + n);
    summary.skipped += skipped;
    sink.sourceBlock!(sourceBlock, 'gzip');
    for (let i = 0; i < events.length; i++) {
      summary.events++;
      sink.event(events[i]!.event, null, events[i]!.ordinal, 0);
      if (i % WHOLE_FILE_DRAIN_EVENTS === WHOLE_FILE_DRAIN_EVENTS - 1) await sink.drain?.();
    }
    shape = jsonShape('Records', records.length, lead, input.label);
    return true;
  };

  try {
    // Small files (most S3 deliveries are a few KB) are read in one call: a stream's async hops cost more than the parse.
    const small = input.path && !input.bytes && !input.chunks ? readSmallFile(input.path, SMALL_FILE_BYTES) : null;
    const whole = input.bytes ? Buffer.from(input.bytes.buffer, input.bytes.byteOffset, input.bytes.byteLength) : small;
    const source: AsyncIterable<Buffer> = whole ? asAsync([whole]) : input.chunks ?? createReadStream(input.path!, { highWaterMark: 1 << 20 });
    stored = new MemberReader(source, (chunk) => {
      hash.update(chunk);
      summary.size += chunk.length;
    });
    let content = await decompressIfGzip(stored.chunks([], (err) => err as Error), input, limits, whole);
    let first = await firstContent(content.chunks);
    const encoding = first && utf16Of(first.head);
    if (first && encoding) {
      // Windows PowerShell 5.1's `>` and `Out-File` write UTF-16: read as its text. The file's own bytes cannot be
      // its events' raw block (offsets would be into UTF-8), so records are copied, as UTF-8, like any other text's.
      content = { chunks: transcodeUtf16(first.all, encoding), gzip: content.gzip };
      first = await firstContent(content.chunks);
      textEncoding = encoding;
    }
    if (first === null) {
      problems.add(null, content.gzip ? 'empty file (the gzip holds no data)' : 'empty file');
    } else {
      lead = leadByte(first.head);
      if (lead === 0x7b && sink.sourceBlock && content.inflated && content.sourceBlock && (await wholeFile(content.inflated, content.sourceBlock))) {
        // every record is in; nothing left to split
      } else if (lead === 0x7b || lead === 0x5b) {
        if (content.sourceBlock) sink.sourceBlock?.(content.sourceBlock, 'gzip');
        splitter = new JsonRecordSplitter(
          {
            record(bytes, at) {
              let parsed: unknown;
              try {
                parsed = JSON.parse(bytes.toString('utf8'));
              } catch (err) {
                return problems.add(where(at), `invalid JSON: ${(err as Error).message}`);
              }
              if (Array.isArray(parsed) && parsed.every((cell) => cell !== null && typeof cell === 'object' && !Array.isArray(cell))) {
                // CloudTrail Lake get-query-results: a row is a list of one-key objects, one per selected column.
                parsed = Object.assign({}, ...parsed);
              }
              if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return problems.add(where(at), 'not a JSON object');
              onRecord(parsed as Record<string, unknown>, bytes, at);
            },
            problem: (at, reason) => problems.add(at ? where(at) : null, reason),
          },
          limits.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES,
        );
        for await (const chunk of first.all) {
          // A file held in memory is one chunk (a whole archive member): split in views, so its events go out in batches
          // as they are read instead of piling up until the whole file is split.
          for (let at = 0; at < chunk.length; at += SPLIT_SLICE_BYTES) {
            splitter.push(chunk.length <= SPLIT_SLICE_BYTES ? chunk : chunk.subarray(at, at + SPLIT_SLICE_BYTES));
            await sink.drain?.();
          }
        }
        splitter.end();
      } else if (looksBinary(first.head)) {
        problems.add(null, `unsupported format: ${binaryKind(first.head)}${content.gzip ? ' inside the gzip' : ''}, not a JSON, JSON lines or CSV log export`);
      } else if (looksCsv(first.head)) {
        shape = /(^|\/)result_\d+\.csv(\.gz)?$/i.test(input.label) ? 'lake-csv' : 'csv';
        await parseCsvContent(first.all, input.label, problems, onRecord, limits, sink);
      } else {
        problems.add(null, `unsupported format: not JSON, JSON lines or CSV (it starts with ${JSON.stringify(first.head.toString('utf8', 0, 40).trim())})`);
      }
    }
  } catch (err) {
    problems.add(null, describeReadError(err));
  }
  // The parse may stop early (a refused CSV, binary data, damaged gzip): the size and hash still cover every byte.
  await stored?.skipRest();
  // Decided after the read, whether it ended cleanly or not: a damaged gzip of JSON lines is still JSON lines.
  if (splitter) shape = jsonShape(splitter.envelope, splitter.records, lead, input.label);
  problems.finish();
  summary.sha256 = hash.digest('hex');
  summary.format = formatOf(kinds, shape);
  if (summary.format !== null && textEncoding) summary.format += `:${textEncoding}`;
  return summary;
}

/**
 * Identical for the same event however it was exported; different when any normalized field differs. It only
 * separates records that share a native id, so a fast 53-bit hash (cyrb53) is enough, and cheaper per event
 * than a cryptographic one.
 */
export function fingerprintOf(e: NormalizedEvent): number {
  // The same value as hashing the fields joined by U+0001 (what every stored fingerprint is), without the join.
  return cyrb53Joined([e.timeMs, e.action, e.service, e.outcome, e.errorCode, e.principalId, e.principalName, e.credentialId, e.targetAccount, e.sourceIp, e.sourceService, e.userAgent, e.region, e.issuedCredentialId, e.requestId], '\u0001');
}

function where(at: RecordPosition): string {
  return `line ${at.line}, record ${at.ordinal + 1}`;
}

function describeReadError(err: unknown): string {
  if (err instanceof SourceReadError || err instanceof InvalidTextError) return err.message;
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'Z_DATA_ERROR' || e.code === 'Z_BUF_ERROR' || /unexpected end of file|incorrect header check|invalid/i.test(e.message ?? '')) {
    return `corrupt gzip data: ${e.message}; records before the damage were kept`;
  }
  if (e.code === 'ENOENT') return 'file not found';
  if (e.code === 'EACCES' || e.code === 'EPERM') return 'permission denied reading the file';
  if (e.code === 'EISDIR') return 'is a directory';
  return e.message ?? String(err);
}

/** The most JSON bytes split between two chances for the sink to send a batch (and wait for its writer). */
const SPLIT_SLICE_BYTES = 1024 * 1024;

/** Events of a file parsed whole handed over between two chances for the sink to send a batch. */
const WHOLE_FILE_DRAIN_EVENTS = 1000;

/** Files up to this size are read whole and, if gzip, inflated in one synchronous call. */
const SMALL_FILE_BYTES = 4 * 1024 * 1024;

function readSmallFile(file: string, limit: number): Buffer | null {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size > limit) return null;
    const buf = Buffer.allocUnsafe(size);
    let read = 0;
    while (read < size) {
      const n = readSync(fd, buf, read, size - read, read);
      if (n === 0) break;
      read += n;
    }
    return buf.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

async function* asAsync(chunks: Buffer[]): AsyncGenerator<Buffer> {
  yield* chunks;
}

/**
 * A gzip in memory whose inflated content is at most this is inflated in one call and kept whole as its events'
 * raw block; a larger one is inflated as a stream, so a 60 MiB member that inflates to 1 GB never sits in memory.
 */
const SOURCE_BLOCK_MAX_INFLATED = 16 * 1024 * 1024;

interface Content {
  chunks: AsyncIterable<Buffer>;
  gzip: boolean;
  /** The file's own bytes, when they can be the raw block of its events. */
  sourceBlock?: Buffer;
  /** The whole inflated content, when `sourceBlock` is set (it is the one chunk of `chunks`). */
  inflated?: Buffer;
}

/** Gunzips when the first bytes are the gzip magic, whatever the file is called; stops a decompression bomb. */
async function decompressIfGzip(source: AsyncGenerator<Buffer>, input: FileInput, limits: ImportLimits, whole: Buffer | null): Promise<Content> {
  const first = await source.next();
  if (first.done) return { chunks: (async function* () {})(), gzip: false } as Content;
  const head = first.value;
  // The gzip trailer's size (mod 2^32, and only the last member's) is a hint, never trusted: the cap still holds.
  const sizeHint = whole && whole.length >= 18 ? whole.readUInt32LE(whole.length - 4) : Number.POSITIVE_INFINITY;
  if (whole && head[0] === 0x1f && head[1] === 0x8b && sizeHint <= SOURCE_BLOCK_MAX_INFLATED) {
    // One synchronous inflate for a small file, capped like the stream: a bomb stops at the same limit.
    const cap = Math.min(Math.max(limits.inflateFloorBytes, whole.length * limits.inflateRatio), SOURCE_BLOCK_MAX_INFLATED);
    let inflated: Buffer;
    try {
      // Output in one buffer of the size the trailer states (when true) instead of 16 KiB pieces joined at the end:
      // a third faster on a 360 KB delivery. A trailer that lies only costs pieces again, or one buffer up to the cap.
      inflated = gunzipSync(whole, { maxOutputLength: cap + 1, chunkSize: Math.min(cap + 1, Math.max(64 * 1024, sizeHint + 1)) });
    } catch {
      // A damaged gzip, a bomb, or bigger than it said: the stream keeps the records before any damage, then reports it.
      await source.next(); // finish hashing
      return decompressStream([whole], input, limits);
    }
    await source.next(); // drain the hashing generator so size and hash are complete
    return { chunks: (async function* () { yield inflated; })(), gzip: true, sourceBlock: whole, inflated };
  }
  const rest = (async function* () {
    yield head;
    yield* source;
  })();
  if (!(head[0] === 0x1f && head[1] === 0x8b)) return { chunks: rest, gzip: false };
  return decompressStream(rest, input, limits);
}

function decompressStream(rest: AsyncIterable<Buffer> | Iterable<Buffer>, input: FileInput, limits: ImportLimits): Content {
  const guard = new InflateGuard(input.label, limits);
  const held = new HeldError();
  const gunzip = Readable.from(held.wrap(rest)).pipe(createGunzip({ chunkSize: 1 << 20 }));
  const inflated = (async function* () {
    let inputBytes = 0;
    try {
      for await (const chunk of gunzip as AsyncIterable<Buffer>) {
        inputBytes = Math.max(inputBytes, gunzip.bytesWritten);
        guard.add(chunk.length, inputBytes);
        yield chunk;
      }
    } catch (err) {
      held.rethrow(); // the source broke off: that, not the gunzip's "unexpected end of file", is the news
      throw err;
    }
    held.rethrow();
  })();
  return { chunks: inflated, gzip: true };
}

/**
 * Holds back a source's error. A Node stream piped from a failing source never hears of it (the error would
 * surface as an uncaught exception, losing the file); instead the stream sees a clean end, so a decoder still
 * turns out what the bytes before the damage hold, and the reader throws the error afterwards.
 */
class HeldError {
  error: unknown = null;
  /** Whether the bytes before the error ended a line: if not, the last CSV row is cut short. */
  endsLine = true;

  wrap(source: AsyncIterable<Buffer> | Iterable<Buffer>): AsyncGenerator<Buffer> {
    const held = this;
    return (async function* () {
      try {
        for await (const chunk of source) {
          if (chunk.length > 0) held.endsLine = chunk[chunk.length - 1] === 0x0a;
          yield chunk;
        }
      } catch (err) {
        held.error = err;
      }
    })();
  }

  rethrow(): void {
    if (this.error !== null) throw this.error;
  }
}

/** Reads until there is a non-whitespace byte, so the format can be sniffed; null for an empty stream. */
async function firstContent(chunks: AsyncIterable<Buffer>): Promise<{ head: Buffer; all: AsyncIterable<Buffer> } | null> {
  const it = chunks[Symbol.asyncIterator]();
  const seen: Buffer[] = [];
  // A file held in memory comes as one chunk (a whole archive member): used as it is, never copied.
  const joined = () => (seen.length === 1 ? seen[0]! : Buffer.concat(seen));
  let size = 0;
  // A source that breaks off while the head is read (damaged text after a first chunk) throws after the head is
  // parsed, so the records in it are kept, as they are when it breaks off later.
  let broke: { error: unknown } | null = null;
  for (;;) {
    let next: IteratorResult<Buffer>;
    try {
      next = await it.next();
    } catch (error) {
      if (seen.length === 0) throw error;
      broke = { error };
      break;
    }
    if (next.done) break;
    seen.push(next.value);
    size += next.value.length;
    if (size >= 4096 && leadByte(joined()) !== -1) break;
  }
  const head = joined();
  if (leadByte(head) === -1) {
    if (broke) throw broke.error;
    return null;
  }
  return {
    head,
    all: (async function* () {
      yield head;
      if (broke) throw broke.error;
      for (;;) {
        const next = await it.next();
        if (next.done) return;
        yield next.value;
      }
    })(),
  };
}

/**
 * UTF-16 by its byte order mark, or, without one, by JSON's or CSV's first two characters (ASCII, so every other
 * byte is zero). Anything else is left to the UTF-8 readers.
 */
function utf16Of(head: Buffer): 'utf-16le' | 'utf-16be' | null {
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  if (head.length < 4) return null;
  if (head[0] !== 0 && head[1] === 0 && head[2] !== 0 && head[3] === 0) return 'utf-16le';
  if (head[0] === 0 && head[1] !== 0 && head[2] === 0 && head[3] !== 0) return 'utf-16be';
  return null;
}

export class InvalidTextError extends Error {}

/**
 * UTF-16 chunks as UTF-8 ones. A surrogate pair or a code unit split between two chunks is joined. Text that is not
 * well-formed UTF-16 (an unpaired surrogate, an odd byte at the end) is read up to that point, so the records before it
 * import, and then stops the file with where it broke: guessing at the rest would store characters the file does not hold.
 */
async function* transcodeUtf16(chunks: AsyncIterable<Buffer>, encoding: 'utf-16le' | 'utf-16be'): AsyncGenerator<Buffer> {
  const name = encoding.toUpperCase();
  let carry: Buffer = Buffer.alloc(0);
  let at = 0; // the file offset (of the decompressed text) of carry's first byte
  const unit = (b: Buffer, i: number) => (encoding === 'utf-16le' ? b.readUInt16LE(i) : b.readUInt16BE(i));
  for await (const chunk of chunks) {
    const buf = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    let end = buf.length & ~1;
    if (end >= 2 && (unit(buf, end - 2) & 0xfc00) === 0xd800) end -= 2; // a high surrogate: its pair comes next
    const text = utf16Text(buf.subarray(0, end), encoding, at === 0);
    const bad = firstUnpaired(text);
    if (bad >= 0) {
      if (bad > 0) yield Buffer.from(text.slice(0, bad), 'utf8');
      const bom = at === 0 && unit(buf, 0) === 0xfeff ? 2 : 0; // the string starts after it
      throw new InvalidTextError(`invalid ${name} text: an unpaired surrogate at byte ${at + bom + bad * 2} of the text; records before it were kept`);
    }
    if (text.length > 0) yield Buffer.from(text, 'utf8');
    carry = Buffer.from(buf.subarray(end));
    at += end;
  }
  if (carry.length > 0) {
    throw new InvalidTextError(`invalid ${name} text: it ends ${carry.length === 1 ? 'in half a character (an odd number of bytes)' : 'in half a surrogate pair'}; records before it were kept`);
  }
}

/** The text of whole UTF-16 code units, without a leading byte order mark. */
function utf16Text(bytes: Buffer, encoding: 'utf-16le' | 'utf-16be', atStart: boolean): string {
  // Big-endian is swapped on a copy: the chunk may be a view of a member other readers still hold.
  const text = encoding === 'utf-16le' ? bytes.toString('utf16le') : Buffer.from(bytes).swap16().toString('utf16le');
  return atStart && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** The index of the first unpaired surrogate, or -1 (the native check first: it is the only answer almost always). */
function firstUnpaired(text: string): number {
  if ((text as string & { isWellFormed(): boolean }).isWellFormed()) return -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
      else return i;
    } else if (c >= 0xdc00 && c <= 0xdfff) return i;
  }
  return -1;
}

/** The first byte that is not whitespace or a byte order mark, or -1. */
function leadByte(b: Buffer): number {
  let i = b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
  for (; i < b.length; i++) {
    const c = b[i]!;
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return c;
  }
  return -1;
}

/**
 * What a binary file is, when it is something an analyst can turn into a log export: the compressions Crossline does
 * not open. (UTF-16 text is read before this is asked, see utf16Of.)
 */
function binaryKind(head: Buffer): string {
  if (head.subarray(0, 4).equals(Buffer.from('PK\x03\x04', 'latin1'))) return 'a zip archive (only a zip given as a file or inside a tar or zip is opened: decompress the gzip first)';
  if (head.subarray(0, 3).toString('latin1') === 'BZh') return 'bzip2-compressed data (decompress it first: bunzip2)';
  if (head.subarray(0, 6).equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))) return 'xz-compressed data (decompress it first: unxz)';
  if (head.subarray(0, 4).equals(Buffer.from([0x28, 0xb5, 0x2f, 0xfd]))) return 'zstd-compressed data (decompress it first: unzstd)';
  if (head.subarray(0, 6).equals(Buffer.from('7z\xbc\xaf\x27\x1c', 'latin1'))) return '7-Zip archive (extract it first, or repack as zip)';
  return 'binary data';
}

function looksBinary(head: Buffer): boolean {
  const sample = head.subarray(0, 1024);
  let odd = 0;
  for (const c of sample) if (c === 0 || (c < 0x09) || (c > 0x0d && c < 0x20)) odd++;
  return odd > 0;
}

function looksCsv(head: Buffer): boolean {
  const firstLine = head.toString('utf8', 0, Math.min(head.length, 4096)).split(/\r?\n/)[0] ?? '';
  return (firstLine.match(/,/g)?.length ?? 0) >= 2;
}

/** Where a cloud's own delivery puts files: Azure diagnostic settings in storage, GCP Cloud Storage sinks. */
const AZURE_BLOB_PATH = /(^|\/)insights-(activity-logs|logs-[a-z0-9-]+)\/.*PT1H\.json$/i;
const GCS_SINK_PATH = /(^|\/)cloudaudit\.googleapis\.com\/(activity|data_access|system_event|policy)\/\d{4}\/\d{2}\/\d{2}\/[^/]+\.json$/;

function jsonShape(envelope: string | null, records: number, lead: number, label: string): string {
  if (envelope === 'Records') return /(^|\/)AWSLogs\/(o-[a-z0-9]+\/)?\d{12}\/CloudTrail(-Insight|-Digest)?\//.test(label) ? 's3' : 'records';
  if (AZURE_BLOB_PATH.test(label)) return 'blob';
  if (GCS_SINK_PATH.test(label)) return 'gcs';
  if (envelope) return envelope.toLowerCase();
  if (lead === 0x5b) return 'array';
  return records > 1 ? 'lines' : 'single';
}

function formatOf(kinds: Map<RecordKind, number>, shape: string): string | null {
  let best: RecordKind | null = null;
  for (const [kind, n] of kinds) if (best === null || n > (kinds.get(best) ?? 0)) best = kind;
  return best === null ? null : `${best}:${shape}`;
}

async function parseCsvContent(
  chunks: AsyncIterable<Buffer>,
  label: string,
  problems: ProblemCollector,
  onRecord: (record: Record<string, unknown>, raw: Buffer, at: RecordPosition) => void,
  limits: ImportLimits,
  sink: ParsedFileSink,
): Promise<void> {
  let refused = false;
  let layout: ReturnType<typeof csvLayoutOf> = null;
  const held = new HeldError();
  const rowBytes = new CsvRowBytes();
  const parser = Readable.from(held.wrap(rowBytes.tap(chunks))).pipe(
    parseCsv({
      bom: true,
      raw: true,
      info: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      max_record_size: limits.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES,
      columns: (header: string[]) => {
        layout = csvLayoutOf(header);
        if (layout === null) {
          refused = true;
          const known = unsupportedCsvReason(header);
          if (known) throw new Error(`unsupported CSV: ${known}`);
          throw new Error(`unsupported CSV: its columns (${header.slice(0, 6).map(foldHeader).join(', ')}${header.length > 6 ? ', …' : ''}) are not a CloudTrail export (no eventName and eventTime), nor an Azure Activity, Entra ID sign-in or GCP audit export`);
        }
        return header;
      },
    }),
  );
  let ordinal = 0;
  // Each row is taken when the next one arrives: the last row of bytes that broke off may be cut short.
  let pending: { item: CsvItem; at: RecordPosition } | null = null;
  const take = () => {
    if (!pending) return;
    const { item, at } = pending;
    pending = null;
    // csv-parse decodes invalid bytes as U+FFFD: the row would be stored, and its raw record rebuilt, with bytes the
    // file does not hold. As the JSON path does, such a row is refused (a U+FFFD the file really holds is kept).
    if (!rowBytes.nextRowIsUtf8(item.info.bytes, item.raw)) {
      problems.add(where(at), 'invalid UTF-8 in this record; skipped');
      return;
    }
    // csv-parse hands over the row with its line ending (`\n`, `\r\n`, or a bare `\r` before the next row).
    onRecord(csvRowFor(layout!, item.record, label), Buffer.from(item.raw.replace(/\r?\n$|\r$/, ''), 'utf8'), at);
  };
  try {
    for await (const item of parser as AsyncIterable<CsvItem>) {
      take();
      pending = { item, at: { ordinal: ordinal++, line: item.info.lines, offset: 0 } };
      if (ordinal % 1000 === 0) await sink.drain?.();
    }
    if (held.error === null || held.endsLine) take();
  } catch (err) {
    take(); // a row handed over before csv-parse failed is whole
    if (held.error === null) {
      const message = (err as Error).message;
      problems.add(refused ? null : `record ${ordinal + 1}`, refused ? message : `unreadable CSV in ${label}: ${message}`);
    }
  }
  held.rethrow();
}

type CsvItem = { record: Record<string, string>; raw: string; info: { lines: number; bytes: number } };

/** Keeps the first problems of a file in full and folds the rest into one line per reason. */
class ProblemCollector {
  private detailed = 0;
  private readonly folded = new Map<string, number>();

  constructor(private readonly sink: ParsedFileSink, private readonly summary: FileSummary) {}

  add(position: string | null, reason: string): void {
    this.summary.errors++;
    if (this.detailed < DETAILED_PROBLEMS_PER_FILE) {
      this.detailed++;
      this.sink.problem(position, reason);
    } else {
      this.folded.set(reason, (this.folded.get(reason) ?? 0) + 1);
    }
  }

  finish(): void {
    for (const [reason, n] of this.folded) this.sink.problem(null, foldedReason(n, reason));
  }
}
