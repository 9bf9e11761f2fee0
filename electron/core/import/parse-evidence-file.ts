import { createHash } from 'node:crypto';
import { closeSync, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import { Readable } from 'node:stream';
import { createGunzip, gunzipSync } from 'node:zlib';
import { parse as parseCsv } from 'csv-parse';
import type { NormalizedEvent } from '../../../shared/domain/event';
import { cyrb53Joined } from '../../../shared/hash/cyrb53';
import { plural } from '../../../shared/text/plural';
import { JsonRecordSplitter, DEFAULT_MAX_RECORD_BYTES, type RecordPosition } from './json-record-splitter';
import { recordKind, UNSUPPORTED_KIND, type RecordKind } from './record-kind';
import { EMPTY_PAGE_NOTE, foldedReason } from './problem-kinds';
import { normalizeCloudTrail, type NormalizeResult } from './cloudtrail/normalize-cloudtrail';
import { normalizeAzureActivity } from './azure/normalize-azure-activity';
import { normalizeEntraSignIn } from './azure/normalize-entra-signin';
import { normalizeGcpAudit } from './gcp/normalize-gcp-audit';
import { companionCsvFormat, csvLayoutOf, csvRowFor, foldHeader, unsupportedCsvReason } from './csv-row';
import { CsvRowBytes } from './csv-row-bytes';
import { InflateGuard, type ImportLimits } from './limits';
import { MemberReader } from './member-reader';
import { wholeRecordsEnvelope } from './records-envelope';
import { InvalidTextError, transcodeUtf16, utf16Of } from './utf16-text';
import { CWL_EXPORT_LINE, readTimestampedLines } from './cloudwatch-export-lines';
import { innerRecord, notAuditRecord, unwrapRecord, type Wrapped } from './wrapped-record';

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
  'cloudwatch-logs-control': 'CloudWatch Logs control message or Splunk status line (no event)',
};

type Classified =
  | { event: NormalizedEvent; notice?: string; skipped?: undefined; problem?: undefined }
  | { skipped: true; problem?: undefined }
  | { problem: string; skipped?: undefined };

/** What a record is and what becomes of it: a normalized event, a non-event skipped by design, or a problem. */
function classify(record: Record<string, unknown>): { kind: RecordKind; outcome: Classified } {
  return outcomeFor(recordKind(record), record);
}

function outcomeFor(kind: RecordKind, record: Record<string, unknown>): { kind: RecordKind; outcome: Classified } {
  const normalize = NORMALIZERS[kind];
  if (normalize) {
    const result = normalize(record);
    return { kind, outcome: result.ok ? { event: result.event, notice: result.notice } : { problem: result.reason } };
  }
  if (SKIP_REASON[kind]) return { kind, outcome: { skipped: true } };
  return { kind, outcome: { problem: UNSUPPORTED_KIND[kind] ?? `unsupported record (${kind})` } };
}

/** A record of the record-by-record paths, classified; `wrapper` when it came out of a log pipeline's entry. */
interface ClassifiedEntry {
  kind: RecordKind;
  outcome: Classified;
  wrapper?: Wrapped;
  /** The inner record's text as the pipeline carried it: what a record without an id is named by a hash of. */
  innerText?: string;
}

/**
 * `classify` for the record-by-record paths (the splitter's, CSV, CloudWatch Logs export lines), which also unwrap the
 * entries of log pipelines (wrapped-record.ts). A record that is an audit record itself costs one more property read
 * (a Splunk `_raw`, which takes precedence over the fields Splunk extracted beside it). A wrapper's inner record is
 * classified and normalized as if it stood alone; one whose inner record is of no known kind is refused naming the
 * wrapper. A wrapper inside a wrapper is opened once more, no deeper.
 */
function classifyEntry(record: Record<string, unknown>, depth = 0): ClassifiedEntry {
  const kind = recordKind(record);
  if (kind !== 'unknown' && record._raw === undefined) return outcomeFor(kind, record);
  const wrapper = depth < 2 ? unwrapRecord(record) : null;
  if (wrapper === null) return outcomeFor(kind, record);
  // A record Splunk extracted fields of (a CloudTrail one, say) is read from those when its _raw is no record.
  return classifyWrapped(wrapper, depth, kind !== 'unknown' ? () => outcomeFor(kind, record) : null);
}

/** What a wrapper's inner record is; `fallback` answers instead of a refusal when the wrapper itself can be read. */
function classifyWrapped(wrapper: Wrapped, depth = 0, fallback: (() => ClassifiedEntry) | null = null): ClassifiedEntry {
  if (wrapper.control) return { kind: 'cloudwatch-logs-control', outcome: { skipped: true }, wrapper };
  const refuse = (problem: string): ClassifiedEntry => fallback?.() ?? { kind: 'unknown', outcome: { problem }, wrapper };
  if (wrapper.problem !== undefined) return refuse(wrapper.problem);
  const inner = innerRecord(wrapper);
  if ('problem' in inner) return refuse(inner.problem);
  const entry = classifyEntry(inner.record, depth + 1);
  // The inner record's own refusal, when it is of a kind recognised and refused (Entra audit, an OCSF record …);
  // one of no known kind is named by its wrapper.
  if (entry.kind === 'unknown' && entry.wrapper === undefined) return refuse(notAuditRecord(wrapper));
  return { ...entry, wrapper, innerText: entry.innerText ?? wrapper.text };
}

/** Detailed problems kept per file; the rest are counted by reason in one closing line. */
const DETAILED_PROBLEMS_PER_FILE = 20;

/**
 * Parses one evidence file (plain or gzip; JSON, JSON lines, CSV or CloudWatch Logs export lines) and hands each audit event (CloudTrail, Azure
 * Activity, Entra ID sign-in, GCP Cloud Audit Logs) to the
 * sink with its raw bytes. Never throws for bad input: every problem is reported against the file with a
 * position and a reason, and everything readable before it is kept.
 */
export async function parseEvidenceFile(input: FileInput, sink: ParsedFileSink, limits: ImportLimits, scheme: FingerprintScheme): Promise<FileSummary> {
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
  /** A JSON file with no records at all (an empty page): skipped with a note. */
  let empty = false;
  /** The format of a CSV that holds no events by design (skipped whole). */
  let companionFormat: string | null = null;

  /** Normalizers' notices (an export that lost something a re-export gets back), with how many records each concerns. */
  const notices = new Map<string, number>();

  /** Records that came out of a log pipeline's entries, by the wrapper's shape; the rest under ''. */
  const wrappers = new Map<string, number>();

  const onRecord = (record: Record<string, unknown>, raw: Buffer, at: RecordPosition) => onEntry(classifyEntry(record), raw, at);

  const onEntry = ({ kind, outcome, wrapper, innerText }: ClassifiedEntry, raw: Buffer, at: RecordPosition) => {
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    const wrapperShape = wrapper?.shape ?? '';
    wrappers.set(wrapperShape, (wrappers.get(wrapperShape) ?? 0) + 1);
    if (outcome.problem !== undefined) return problems.add(where(at), outcome.problem);
    if (outcome.skipped) {
      summary.skipped++;
      return;
    }
    const event = outcome.event;
    if (outcome.notice !== undefined) notices.set(outcome.notice, (notices.get(outcome.notice) ?? 0) + 1);
    // A wrapped record is named by its own text, so the same record carried by another pipeline (or delivered plain) is one event.
    if (event.nativeId === '') event.nativeId = `sha256:${createHash('sha256').update(innerText ?? raw).digest('hex').slice(0, 32)}`;
    event.fingerprint = fingerprintOf(event, scheme);
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
      // A record without an id is named by a hash of its bytes, which this path does not have; a notice is counted
      // on the splitter's path.
      if (outcome.event.nativeId === '' || outcome.notice !== undefined) return false;
      outcome.event.fingerprint = fingerprintOf(outcome.event, scheme);
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
        if (splitter.records === 0 && summary.errors === 0) {
          // An empty page (a quiet window, the last page of a paged export): nothing wrong, nothing to import. Said,
          // so an import of only such files does not end without a reason; counted as a skipped file, not an error.
          empty = true;
          summary.skipped++;
          problems.note(null, emptyPageNote(splitter.envelope, lead));
        }
      } else if (CWL_EXPORT_LINE.test(headText(first.head))) {
        // CloudWatch Logs' export to S3: `<ISO time> <message>` lines, here with a JSON event as the message.
        shape = 'cloudwatch-logs-export';
        if (content.sourceBlock) sink.sourceBlock?.(content.sourceBlock, 'gzip');
        const what = 'a CloudWatch Logs export line whose message';
        await readTimestampedLines(first.all, {
          line: (message, raw, at) => onEntry(classifyWrapped({ shape: 'cloudwatch-logs-export', what, text: message }), raw, at),
          problem: (at, reason) => problems.add(where(at), reason),
          drain: sink.drain ? () => sink.drain!() : undefined,
        }, limits.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES, SPLIT_SLICE_BYTES);
      } else {
        const yaml = yamlReason(first.head);
        const binary = yaml === null && looksBinary(first.head);
        const delimiter = yaml === null && !binary ? csvDelimiter(first.head) : null;
        if (yaml !== null) {
          problems.add(null, yaml);
        } else if (binary) {
          const inside = content.gzip ? ' inside the gzip' : '';
          problems.add(null, exportFormatReason(first.head, inside) ?? `unsupported format: ${binaryKind(first.head)}${inside}, not a JSON, JSON lines or CSV log export`);
        } else if (delimiter !== null) {
          shape = /(^|\/)result_\d+\.csv(\.gz)?$/i.test(input.label) ? 'lake-csv' : 'csv';
          const companion = await parseCsvContent(first.all, input.label, problems, onRecord, limits, sink, delimiter);
          if (companion !== null) {
            summary.skipped++;
            companionFormat = companion;
          }
        } else {
          problems.add(null, `unsupported format: not JSON, JSON lines or CSV (it starts with ${JSON.stringify(first.head.toString('utf8', 0, 40).trim())})`);
        }
      }
    }
  } catch (err) {
    problems.add(null, describeReadError(err));
  }
  // The parse may stop early (a refused CSV, binary data, damaged gzip): the size and hash still cover every byte.
  await stored?.skipRest();
  // Decided after the read, whether it ended cleanly or not: a damaged gzip of JSON lines is still JSON lines.
  if (splitter) shape = jsonShape(splitter.envelope, splitter.records, lead, input.label);
  shape = wrapperShape(wrappers, shape, splitter?.envelope ?? null);
  // Once per file, with its count: the records imported, so it is said without counting them as errors.
  for (const [notice, n] of notices) problems.note(null, `${plural(n, 'record')} ${notice}`);
  problems.finish();
  summary.sha256 = hash.digest('hex');
  summary.format = companionFormat ?? (empty ? `empty:${shape}` : formatOf(kinds, shape));
  if (summary.format !== null && textEncoding) summary.format += `:${textEncoding}`;
  return summary;
}

/**
 * Which fields a fingerprint hashes: 1, every normalized field (cases made before schema 10); 2, the fields every
 * export layout of one event carries alike (see migration 0010). A case keeps the scheme its stored fingerprints were
 * made with (`case_meta.fingerprint_scheme`).
 */
export type FingerprintScheme = 1 | 2;

/**
 * Identical for the same event however it was exported. It only separates records that share a native id (public
 * samples reuse ids such as "1" for different events), so a fast 53-bit hash (cyrb53) is enough, and cheaper per
 * event than a cryptographic one. Scheme 2 hashes the time, action, service, outcome, source and credential: every
 * layout has them (the console's Event history CSV too), where a Lake query may lack the request id and lookup-events
 * adds a caller's name; two records with one id that disagree on where a call came from or with which key stay two.
 * It folds the case of the action and service: Log Analytics writes Azure operation names in capitals.
 */
export function fingerprintOf(e: NormalizedEvent, scheme: FingerprintScheme): number {
  if (scheme === 2) return cyrb53Joined([e.timeMs, e.action.toLowerCase(), e.service?.toLowerCase() ?? null, e.outcome, e.sourceIp, e.sourceService, e.credentialId], '\u0001', 2);
  // The same value as hashing the fields joined by U+0001 (what every scheme-1 fingerprint is), without the join.
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

/** The first byte that is not whitespace or a byte order mark, or -1. */
function leadByte(b: Buffer): number {
  const i = contentStart(b);
  return i < b.length ? b[i]! : -1;
}

/** Where the content starts: after a UTF-8 byte order mark and any whitespace (b.length when there is none). */
function contentStart(b: Buffer): number {
  let i = b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
  while (i < b.length && (b[i] === 0x20 || b[i] === 0x0a || b[i] === 0x0d || b[i] === 0x09)) i++;
  return i;
}

/** Binary files a log pipeline writes, with what to export instead; null for any other binary data. */
function exportFormatReason(head: Buffer, inside: string): string | null {
  const magic = head.subarray(0, 4).toString('latin1');
  if (magic === 'Obj\x01') {
    return `unsupported format: an Avro container${inside} (what Event Hubs Capture writes, the log records in its Body field), not a JSON, JSON lines or CSV log export: export the logs as JSON instead (diagnostic settings to a storage account, az monitor activity-log list, Microsoft Graph or the Entra admin center for sign-ins)`;
  }
  if (magic === 'PAR1') {
    return `unsupported format: a Parquet file${inside} (Amazon Security Lake, an Athena or BigQuery export), not a JSON, JSON lines or CSV log export: export the provider's own audit log as JSON instead`;
  }
  if (head.every((c) => c === 0)) return `unsupported format: only NUL bytes${inside} (a preallocated, wiped or sparse file): no log data`;
  return null;
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

/**
 * YAML, which `gcloud logging read` prints unless told otherwise (a `---` line before each entry, then `insertId:`,
 * `logName:` … keys), or null. Asked only of text that is not JSON.
 */
function yamlReason(head: Buffer): string | null {
  const text = headText(head);
  const gcloud = /^(?:---\s*\n)?(?:insertId|logName|protoPayload|receiveTimestamp|resource|severity|timestamp|jsonPayload|textPayload|labels):/;
  if (gcloud.test(text.replace(/\r\n/g, '\n'))) {
    return 'unsupported format: YAML, the default output of `gcloud logging read`, not JSON: rerun it with --format=json';
  }
  if (/^---\s*\n/.test(text.replace(/\r\n/g, '\n'))) return 'unsupported format: YAML, not JSON, JSON lines or CSV (for `gcloud logging read`, rerun it with --format=json)';
  return null;
}

function looksBinary(head: Buffer): boolean {
  const sample = head.subarray(0, 1024);
  let odd = 0;
  for (const c of sample) if (c === 0 || (c < 0x09) || (c > 0x0d && c < 0x20)) odd++;
  return odd > 0;
}

/** The first characters of a text file, after a byte order mark and leading whitespace. */
function headText(head: Buffer): string {
  const i = contentStart(head);
  return head.toString('utf8', i, Math.min(head.length, i + 256));
}

/**
 * The delimiter of a CSV header line, or null when the text is no CSV: the commonest of comma, semicolon (Excel saves
 * CSV with it where the decimal separator is a comma: German, French … locales) and tab (Excel's "Unicode text"), when
 * it separates at least three columns.
 */
function csvDelimiter(head: Buffer): ',' | ';' | '\t' | null {
  const firstLine = head.toString('utf8', 0, Math.min(head.length, 4096)).split(/\r?\n/)[0] ?? '';
  let best: ',' | ';' | '\t' | null = null;
  let most = 1;
  for (const d of [',', ';', '\t'] as const) {
    const n = firstLine.split(d).length - 1;
    if (n > most) {
      best = d;
      most = n;
    }
  }
  return best;
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

/**
 * The shape of a file most of whose records came out of a log pipeline's entries: the wrapper's (`cloudwatch-logs`,
 * `splunk`, `elastic`, `pubsub`), a subscription payload's `cloudwatch-logs-subscription`, `splunk-csv` for a CSV.
 */
function wrapperShape(wrappers: Map<string, number>, shape: string, envelope: string | null): string {
  let best = '';
  for (const [w, n] of wrappers) if (n > (wrappers.get(best) ?? 0)) best = w;
  if (best === '') return shape;
  if (best === 'cloudwatch-logs' && envelope === 'logEvents') return 'cloudwatch-logs-subscription';
  return shape === 'csv' || shape === 'lake-csv' ? `${best}-csv` : best;
}

/** What an empty page was, by its envelope: `no events in this file (an empty page of …)`. */
const EMPTY_PAGES: Record<string, string> = {
  Events: 'aws cloudtrail lookup-events output, "Events": []',
  Records: 'a CloudTrail or Azure log file, "Records": []',
  records: 'an Azure diagnostic settings file, "records": []',
  value: 'a Microsoft Graph or Azure REST response, "value": []',
  entries: 'a Cloud Logging entries.list response, "entries": []',
  QueryResultRows: 'a CloudTrail Lake query result, "QueryResultRows": []',
  events: 'aws logs filter-log-events / get-log-events output, "events": []',
  logEvents: 'a CloudWatch Logs subscription message, "logEvents": []',
  results: 'a Splunk results response, "results": []',
  receivedMessages: 'a Pub/Sub pull response, "receivedMessages": []',
  hits: 'an Elasticsearch search response, "hits": []',
};

function emptyPageNote(envelope: string | null, lead: number): string {
  const what = envelope !== null ? EMPTY_PAGES[envelope] ?? `"${envelope}": []` : lead === 0x5b ? 'a JSON array, []' : null;
  return what ? `${EMPTY_PAGE_NOTE} (an empty page of ${what}); nothing to import` : `${EMPTY_PAGE_NOTE}; nothing to import`;
}

/**
 * `<most common kind>:<shape>`. Records of no known kind (a log group's application lines beside its CloudTrail
 * events) do not name a file that holds any known record: `unknown` would read as "not understood".
 */
function formatOf(kinds: Map<RecordKind, number>, shape: string): string | null {
  let best: RecordKind | null = null;
  for (const [kind, n] of kinds) {
    if (best === null || (best === 'unknown' && kind !== 'unknown') || (kind !== 'unknown' && n > (kinds.get(best) ?? 0))) best = kind;
  }
  return best === null ? null : `${best}:${shape}`;
}

async function parseCsvContent(
  chunks: AsyncIterable<Buffer>,
  label: string,
  problems: ProblemCollector,
  onRecord: (record: Record<string, unknown>, raw: Buffer, at: RecordPosition) => void,
  limits: ImportLimits,
  sink: ParsedFileSink,
  delimiter: ',' | ';' | '\t',
): Promise<string | null> {
  let refused = false;
  /** Set when the CSV holds no events by design (see companionCsvFormat): skipped, not refused. */
  let companion: string | null = null;
  let layout: ReturnType<typeof csvLayoutOf> = null;
  const held = new HeldError();
  const rowBytes = new CsvRowBytes();
  const parser = Readable.from(held.wrap(rowBytes.tap(chunks))).pipe(
    parseCsv({
      delimiter,
      bom: true,
      raw: true,
      info: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      max_record_size: limits.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES,
      columns: (header: string[]) => {
        companion = companionCsvFormat(header);
        if (companion !== null) throw new Error('a file without events');
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
    if (companion !== null) return companion;
    if (held.error === null) {
      const message = (err as Error).message;
      problems.add(refused ? null : `record ${ordinal + 1}`, refused ? message : `unreadable CSV in ${label}: ${message}`);
    }
  }
  held.rethrow();
  return null;
}

type CsvItem = { record: Record<string, string>; raw: string; info: { lines: number; bytes: number } };

/** Keeps the first problems of a file in full and folds the rest into one line per reason. */
class ProblemCollector {
  private detailed = 0;
  private readonly folded = new Map<string, number>();

  constructor(private readonly sink: ParsedFileSink, private readonly summary: FileSummary) {}

  /** Said about the file without counting as an error: the file is skipped, nothing in it is wrong. */
  note(position: string | null, reason: string): void {
    this.sink.problem(position, reason);
  }

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
