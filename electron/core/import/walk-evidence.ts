import { createHash } from 'node:crypto';
import { closeSync, createReadStream, openSync, readSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { createGunzip, gunzipSync, constants as zlibConstants } from 'node:zlib';
import yauzl from 'yauzl';
import tar from 'tar-stream';
import { InflateGuard, type ImportLimits } from './limits';
import { MemberReader } from './member-reader';
import { SourceReadError } from './parse-evidence-file';

/** What the walker finds, in order. Archive members name their archive by label (`a.zip!/x/y.json.gz`). */
export type EvidenceItem =
  /**
   * A file to parse: on disk (`path`), read out of an archive whole (`bytes`), or, for a member larger than
   * `maxBufferedMemberBytes`, a `stream` of its chunks (its declared `size` beside it). A stream is read on
   * demand, so it must be read to its end (or to the SourceReadError it throws) before the walker is asked for
   * the next item: the archive's next member cannot be read before. Whatever is left unread is skipped then.
   */
  | { kind: 'file'; label: string; parent: string | null; path?: string; bytes?: Uint8Array; stream?: AsyncIterable<Buffer>; size?: number }
  | { kind: 'archive-start'; label: string; parent: string | null; format: ArchiveFormat }
  | { kind: 'archive-end'; label: string; size: number; sha256: string }
  | { kind: 'problem'; label: string; reason: string }
  /** Counted, not imported: OS clutter such as `.DS_Store` and `__MACOSX/`. */
  | { kind: 'ignored'; label: string };

export type ArchiveFormat = 'zip' | 'tar' | 'tar.gz';

const CLUTTER = /(^|\/)(\.DS_Store|Thumbs\.db|desktop\.ini|__MACOSX(\/.*)?|\._[^/]*)$/;
/** Archives inside archives inside archives are where zip quines live; real exports nest at most twice. */
const MAX_ARCHIVE_DEPTH = 4;

/**
 * Walks the given paths depth-first in a stable (sorted) order and yields every evidence file. Archives are
 * read in place, never extracted to disk; members are held in memory up to `maxBufferedMemberBytes` and
 * streamed beyond it (a nested zip, which needs random access, is held up to `maxNestedZipBytes`).
 * A consumer that stops pulling pauses the walk, which is what keeps an import's memory bounded.
 */
export async function* walkEvidence(
  paths: string[],
  limits: ImportLimits,
  skipFile: (abs: string) => boolean = () => false,
  /** What each path's files are recorded under (evidence-labels.ts); the paths as given by default. */
  labels: string[] = paths,
  /**
   * The label of a folder or file found inside the paths, by its real path, when an earlier import recorded it under
   * a label of its own (evidence-labels.ts): its files keep that label instead of one made from the folder above.
   */
  rootLabel?: (real: string) => string | undefined,
): AsyncGenerator<EvidenceItem> {
  const seenDirs = new Set<string>();
  for (const [i, p] of paths.entries()) yield* walkPath(resolve(p), labels[i] ?? p, seenDirs, limits, skipFile, rootLabel);
}

async function* walkPath(
  abs: string,
  label: string,
  seenDirs: Set<string>,
  limits: ImportLimits,
  skipFile: (abs: string) => boolean,
  rootLabel?: (real: string) => string | undefined,
): AsyncGenerator<EvidenceItem> {
  // Synchronous metadata calls: each is microseconds, while an async one costs a thread-pool round trip per file.
  let stat;
  try {
    stat = statSync(abs);
  } catch (err) {
    yield { kind: 'problem', label, reason: (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (err as Error).message };
    return;
  }
  if (stat.isDirectory()) {
    const real = realpathSync(abs);
    if (seenDirs.has(real)) return; // a symlink loop, or the same folder given twice
    seenDirs.add(real);
    if (rootLabel) label = rootLabel(real) ?? label;
    let names: string[];
    try {
      names = readdirSync(abs).sort();
    } catch (err) {
      yield { kind: 'problem', label, reason: `cannot list the folder: ${(err as Error).message}` };
      return;
    }
    for (const name of names) {
      // (The real path of an entry that is not itself a symlink; a symlinked folder is looked up again when entered.)
      const childLabel = (rootLabel && rootLabel(join(real, name))) || join(label, name);
      if (CLUTTER.test(name)) {
        yield { kind: 'ignored', label: childLabel };
        continue;
      }
      yield* walkPath(join(abs, name), childLabel, seenDirs, limits, skipFile, rootLabel);
    }
    return;
  }
  if (!stat.isFile()) {
    yield { kind: 'problem', label, reason: 'not a regular file' };
    return;
  }
  if (skipFile(abs)) {
    yield { kind: 'ignored', label };
    return;
  }
  const head = readHead(abs);
  const format = archiveFormat(head);
  if (format === null) {
    yield { kind: 'file', label, parent: null, path: abs };
    return;
  }
  yield { kind: 'archive-start', label, parent: null, format };
  const hash = createHash('sha256');
  let size = 0;
  const source = async function* () {
    for await (const chunk of createReadStream(abs, { highWaterMark: 1 << 20 })) {
      hash.update(chunk as Buffer);
      size += (chunk as Buffer).length;
      yield chunk as Buffer;
    }
  };
  if (format === 'zip') {
    yield* hashOnly(source()); // yauzl reads a zip by random access; hash it in one sequential pass first
    yield* zipMembers(() => openZipFile(abs), label, limits, 1);
  } else {
    yield* tarMembers(source(), format, label, limits, 1);
  }
  yield { kind: 'archive-end', label, size, sha256: hash.digest('hex') };
}

async function* hashOnly(source: AsyncIterable<Buffer>): AsyncGenerator<never> {
  for await (const _ of source) {
    // the hashing happens inside the source
  }
}

/** The first 4 KiB: enough for zip and tar magic, and for a peek at the start of a gzip. */
function readHead(abs: string): Buffer {
  const fd = openSync(abs, 'r');
  try {
    const buf = Buffer.alloc(4096);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/** Decides by content, never by name: a `.json` that is really a zip is still read as a zip. */
export function archiveFormat(head: Uint8Array): ArchiveFormat | null {
  if (head[0] === 0x50 && head[1] === 0x4b && (head[2] === 0x03 || head[2] === 0x05) && (head[3] === 0x04 || head[3] === 0x06)) return 'zip';
  if (isTar(head)) return 'tar';
  if (head[0] === 0x1f && head[1] === 0x8b) {
    // Inflate just the start of the input (4 KiB in gives at most ~4 MiB out, deflate's ratio is bounded): enough
    // to see a tar header, without trusting the rest. (A maxOutputLength cap would throw on every real tar.) The
    // first 512 bytes nearly always hold it; this runs for every gzip of an import, most of them small logs.
    const inner = gunzipStart(head, 512);
    if (inner && (inner.length >= TAR_MAGIC_END || head.length <= 512)) return isTar(inner) ? 'tar.gz' : null;
    const more = gunzipStart(head, 4096);
    if (more && isTar(more)) return 'tar.gz';
  }
  return null;
}

const TAR_MAGIC_END = 262;

/** What the first `bytes` of a gzip inflate to; null when they are not valid gzip (the parser reports it). */
function gunzipStart(head: Uint8Array, bytes: number): Buffer | null {
  try {
    return gunzipSync(head.subarray(0, bytes), { finishFlush: zlibConstants.Z_SYNC_FLUSH });
  } catch {
    return null;
  }
}

function isTar(b: Uint8Array): boolean {
  return b.length >= TAR_MAGIC_END && Buffer.from(b.buffer, b.byteOffset + 257, 5).toString('latin1') === 'ustar';
}

/** Member names that would escape a folder if anyone extracted them: refused, as a hostile archive's are. */
function unsafeMemberName(name: string): string | null {
  if (name.includes('\0')) return 'a NUL byte';
  if (/^([a-zA-Z]:)?[\\/]/.test(name)) return 'an absolute path';
  if (name.split(/[\\/]/).includes('..')) return 'a "../" segment';
  return null;
}

function openZipFile(abs: string): Promise<yauzl.ZipFile> {
  return new Promise((ok, fail) => yauzl.open(abs, { lazyEntries: true, decodeStrings: false, validateEntrySizes: true, autoClose: true }, (err, zip) => (err ? fail(err) : ok(zip!))));
}

function openZipBuffer(buf: Buffer): Promise<yauzl.ZipFile> {
  return new Promise((ok, fail) => yauzl.fromBuffer(buf, { lazyEntries: true, decodeStrings: false, validateEntrySizes: true }, (err, zip) => (err ? fail(err) : ok(zip!))));
}

async function* zipMembers(open: () => Promise<yauzl.ZipFile>, label: string, limits: ImportLimits, depth: number): AsyncGenerator<EvidenceItem> {
  let zip: yauzl.ZipFile;
  try {
    zip = await open();
  } catch (err) {
    yield { kind: 'problem', label, reason: `unreadable zip archive: ${(err as Error).message}` };
    return;
  }
  const entries = zipEntries(zip);
  for await (const next of entries) {
    if ('error' in next) {
      yield { kind: 'problem', label, reason: `damaged zip archive: ${next.error.message}; the members read before it were kept` };
      return;
    }
    const entry = next.entry;
    // The zip format separates folders with `/` only, but Windows PowerShell 5.1's Compress-Archive (and other .NET
    // Framework tools) write `\`; read it as a separator, as Info-ZIP's unzip does, so `AWSLogs\…\CloudTrail\…` is
    // still an S3 delivery path and the evidence list names members one way.
    const stored = (entry.fileName as unknown as Buffer).toString((entry.generalPurposeBitFlag & 0x800) !== 0 ? 'utf8' : 'latin1');
    const name = stored.replace(/\\/g, '/');
    const memberLabel = `${label}!/${name}`;
    if (name.endsWith('/')) continue;
    if (CLUTTER.test(name)) {
      yield { kind: 'ignored', label: memberLabel };
      continue;
    }
    const unsafe = unsafeMemberName(name);
    if (unsafe) {
      // Named as the archive holds it: a hostile name is evidence too.
      yield { kind: 'problem', label: `${label}!/${stored}`, reason: `unsafe member path (${unsafe}); refused, and nothing is ever extracted to disk` };
      continue;
    }
    if ((entry.generalPurposeBitFlag & 0x1) !== 0) {
      yield { kind: 'problem', label: memberLabel, reason: 'encrypted zip member; decrypt the archive first' };
      continue;
    }
    if (entry.uncompressedSize > Math.max(limits.inflateFloorBytes, entry.compressedSize * limits.inflateRatio)) {
      yield { kind: 'problem', label: memberLabel, reason: `decompression bomb guard: declared to inflate from ${entry.compressedSize} to ${entry.uncompressedSize} bytes; refused` };
      continue;
    }
    let stream: Readable;
    try {
      stream = await openZipEntry(zip, entry);
    } catch (err) {
      yield { kind: 'problem', label: memberLabel, reason: zipReadProblem(err, false) };
      continue;
    }
    const guard = new InflateGuard(memberLabel, limits);
    const reader = new MemberReader(stream, (chunk) => guard.add(chunk.length, entry.compressedSize), () => stream.destroy());
    try {
      yield* member(reader, entry.uncompressedSize, memberLabel, label, limits, depth, (err) => zipReadProblem(err, true));
    } catch (err) {
      // Read by the walker itself (a member held in memory, or the head of a large one): nothing of it was kept.
      yield { kind: 'problem', label: memberLabel, reason: zipReadProblem(err, false) };
    } finally {
      reader.close(); // a no-op once read; stops the read when the walk is abandoned (a cancelled import)
    }
  }
}

/** What to tell the analyst when a zip member's bytes stop being readable; `partial` when records before it were kept. */
function zipReadProblem(err: unknown, partial: boolean): string {
  const message = (err as Error).message;
  if (/bomb guard/.test(message)) return message;
  const kept = partial ? '; records before the damage were kept' : '';
  if (/too many bytes|too few bytes|not enough bytes|more than the \d+ bytes/.test(message)) {
    return `zip member's content does not match its declared size (a damaged or hostile archive): ${partial ? 'stopped' : 'refused'} (${message})${kept}`;
  }
  return `unreadable zip member: ${message}${kept}`;
}

type ZipNext = { entry: yauzl.Entry } | { error: Error };

/** yauzl's lazy entry events as an async iterator: the next entry is only read when the consumer asks. */
async function* zipEntries(zip: yauzl.ZipFile): AsyncGenerator<ZipNext> {
  let done = false;
  let waiting: ((n: ZipNext | null) => void) | null = null;
  const queue: (ZipNext | null)[] = [];
  const deliver = (n: ZipNext | null) => (waiting ? (waiting(n), (waiting = null)) : queue.push(n));
  zip.on('entry', (entry: yauzl.Entry) => deliver({ entry }));
  zip.on('end', () => deliver(null));
  zip.on('error', (error: Error) => deliver({ error }));
  try {
    while (!done) {
      zip.readEntry();
      const next = queue.length ? queue.shift()! : await new Promise<ZipNext | null>((r) => (waiting = r));
      if (next === null) {
        done = true;
      } else {
        yield next;
        if ('error' in next) done = true;
      }
    }
  } finally {
    zip.close(); // also when the walk is abandoned part way
  }
}

/** A member's (inflated) bytes as a stream, read only as fast as it is pulled. */
function openZipEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Readable> {
  return new Promise((ok, fail) => zip.openReadStream(entry, (err, stream) => (err || !stream ? fail(err ?? new Error('no stream')) : ok(stream))));
}

async function* tarMembers(source: AsyncIterable<Buffer> | Iterable<Buffer>, format: 'tar' | 'tar.gz', label: string, limits: ImportLimits, depth: number): AsyncGenerator<EvidenceItem> {
  let input: Readable = Readable.from(source);
  if (format === 'tar.gz') {
    const gunzip = createGunzip();
    const guard = new InflateGuard(label, limits);
    input = input.pipe(gunzip);
    gunzip.on('data', (chunk: Buffer) => {
      try {
        guard.add(chunk.length, gunzip.bytesWritten);
      } catch (err) {
        gunzip.destroy(err as Error);
      }
    });
  }
  const extract = tar.extract();
  input.on('error', (err) => extract.destroy(err));
  input.pipe(extract);
  try {
    for await (const entry of extract) {
      const name = entry.header.name;
      const memberLabel = `${label}!/${name}`;
      if (entry.header.type !== 'file' && entry.header.type !== 'contiguous-file') {
        entry.resume();
        // A link may name evidence, or /etc/passwd: never followed, but said, so a missing file is not a mystery.
        if (entry.header.type === 'symlink' || entry.header.type === 'link') {
          const kind = entry.header.type === 'symlink' ? 'symbolic link' : 'hard link';
          yield { kind: 'problem', label: memberLabel, reason: `a ${kind} member (to ${JSON.stringify(entry.header.linkname ?? '')}): links are not followed, so nothing it names was read` };
        }
        continue;
      }
      const unsafe = unsafeMemberName(name);
      if (unsafe || CLUTTER.test(name)) {
        entry.resume();
        yield unsafe ? { kind: 'problem', label: memberLabel, reason: `unsafe member path (${unsafe}); refused, and nothing is ever extracted to disk` } : { kind: 'ignored', label: memberLabel };
        continue;
      }
      // No early stop for a tar entry: the rest of the tar waits behind it, so what is left is read and dropped.
      // A read error here is the archive's own (its gzip is damaged or cut): reported below for the archive.
      const reader = new MemberReader(entry as AsyncIterable<Buffer>);
      yield* member(reader, entry.header.size ?? 0, memberLabel, label, limits, depth, (err) => `${describeArchiveError(err, format)}; records before the damage were kept`);
    }
  } catch (err) {
    yield { kind: 'problem', label, reason: `${describeArchiveError(err, format)}; the members read before it were kept` };
  }
}

function describeArchiveError(err: unknown, format: string): string {
  const message = (err as Error).message;
  if (/bomb guard/.test(message)) return message;
  if (/unexpected end|incorrect header|invalid|Z_/.test(message)) return `corrupt ${format} archive (${message})`;
  return `unreadable ${format} archive: ${message}`;
}

/** Bytes enough to recognise an archive by its magic (see archiveFormat). */
const HEAD_BYTES = 4096;

/**
 * An archive member: another archive (read recursively) or a file to parse, held in memory up to
 * `maxBufferedMemberBytes` of declared size and streamed beyond. Throws what goes wrong while the walker reads
 * the member itself; what goes wrong while a consumer reads a streamed file reaches the consumer, described by
 * `partialProblem`.
 */
async function* member(
  reader: MemberReader,
  declared: number,
  label: string,
  parent: string,
  limits: ImportLimits,
  depth: number,
  partialProblem: (err: unknown) => string,
): AsyncGenerator<EvidenceItem> {
  if (declared <= limits.maxBufferedMemberBytes) {
    yield* memberInMemory(await reader.readAll([], declared), label, parent, limits, depth);
    return;
  }
  const head = await reader.head(HEAD_BYTES);
  const format = archiveFormat(Buffer.concat(head));
  if (format === null) {
    yield { kind: 'file', label, parent, stream: reader.chunks(head, (err) => new SourceReadError(partialProblem(err))), size: declared };
    await reader.skipRest(); // a no-op when the consumer read it all, as it should
    return;
  }
  if (depth >= MAX_ARCHIVE_DEPTH) {
    yield { kind: 'problem', label, reason: `archive nested more than ${MAX_ARCHIVE_DEPTH} deep; refused` };
    await reader.skipRest();
    return;
  }
  if (format === 'zip') {
    // A zip is read by random access (its directory is at the end) and nothing may be written to disk: memory it is.
    if (declared > limits.maxNestedZipBytes) {
      yield { kind: 'problem', label, reason: `nested zip archive of ${mib(declared)} MiB is over the ${mib(limits.maxNestedZipBytes)} MiB a zip inside an archive may take in memory (a zip needs random access, and nothing is ever extracted to disk); refused: extract this zip from its archive and import it directly` };
      await reader.skipRest();
      return;
    }
    yield* memberInMemory(await reader.readAll(head, declared), label, parent, limits, depth);
    return;
  }
  // A tar reads front to back: stream it, hashing on the way for its evidence row.
  reader.startHash(head);
  yield { kind: 'archive-start', label, parent, format };
  yield* tarMembers(reader.chunks(head, (err) => err as Error), format, label, limits, depth + 1);
  await reader.skipRest(); // the padding after the tar's end, or what a damaged one left
  yield { kind: 'archive-end', label, size: reader.bytes, sha256: reader.digest() };
}

function mib(bytes: number): string {
  return (bytes / 1048576).toFixed(bytes < 10 * 1048576 ? 1 : 0);
}

/** A member held in memory: another archive (read recursively) or a file to parse. */
async function* memberInMemory(bytes: Buffer, label: string, parent: string, limits: ImportLimits, depth: number): AsyncGenerator<EvidenceItem> {
  const format = archiveFormat(bytes.subarray(0, 64 * 1024));
  if (format === null) {
    yield { kind: 'file', label, parent, bytes };
    return;
  }
  if (depth >= MAX_ARCHIVE_DEPTH) {
    yield { kind: 'problem', label, reason: `archive nested more than ${MAX_ARCHIVE_DEPTH} deep; refused` };
    return;
  }
  yield { kind: 'archive-start', label, parent, format };
  if (format === 'zip') yield* zipMembers(() => openZipBuffer(bytes), label, limits, depth + 1);
  else yield* tarMembers([bytes], format, label, limits, depth + 1);
  yield { kind: 'archive-end', label, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** The file name an analyst recognises, for progress lines. */
export function shortName(label: string): string {
  return basename(label.split('!/').pop() ?? label);
}
