// CloudWatch Logs' export to S3 writes a log group's events as `<ISO time> <message>` lines (gzip), and a trail's log
// group holds one CloudTrail event per message. Each line is a record: its raw bytes are the whole line as the file
// holds it, its message is classified like any log pipeline's inner record (wrapped-record.ts).
import { isUtf8 } from 'node:buffer';
import type { RecordPosition } from './json-record-splitter';

export interface TimestampedLineSink {
  /** A line's message (after the time and the space), its raw bytes (a view valid during the call) and position. */
  line(message: string, raw: Buffer, at: RecordPosition): void;
  problem(at: RecordPosition, reason: string): void;
  /** A chance for the sink to send a batch (and wait for its writer). */
  drain?(): Promise<void>;
}

/** A CloudWatch Logs export line: an ISO time in UTC, one space, then the message (a JSON event for a trail's log group). */
export const CWL_EXPORT_LINE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z \{/;
const CWL_EXPORT_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z$/;

/**
 * Reads `<time> <message>` lines one line at a time, each line a record whose raw bytes are the whole line (without its
 * line ending). Memory is bounded by the longest line kept; a line over `max` bytes is refused without being held.
 * A chunk larger than `sliceBytes` is fed in views, with a chance to drain between them.
 */
export async function readTimestampedLines(chunks: AsyncIterable<Buffer>, to: TimestampedLineSink, max: number, sliceBytes: number): Promise<void> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  /** Offset in the content of the first byte of the line being read. */
  let lineOffset = 0;
  let line = 1;
  let ordinal = 0;
  let tooLong = false;
  let first = true;
  const take = (bytes: Buffer, offset: number) => {
    const at: RecordPosition = { ordinal, line, offset };
    if (first) {
      first = false;
      if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
        bytes = bytes.subarray(3);
        at.offset += 3;
      }
    }
    let end = bytes.length;
    if (end > 0 && bytes[end - 1] === 0x0d) end--;
    let start = 0;
    while (start < end && (bytes[start] === 0x20 || bytes[start] === 0x09)) start++;
    if (start === end) return; // a blank line
    const raw = bytes.subarray(start, end);
    at.offset += start;
    ordinal++;
    if (!isUtf8(raw)) return to.problem(at, 'invalid UTF-8 in this record; skipped');
    const text = raw.toString('utf8');
    const space = text.indexOf(' ');
    if (space < 0 || !CWL_EXPORT_TIME.test(text.slice(0, space))) {
      return to.problem(at, 'not a CloudWatch Logs export line (an ISO time, a space, the message)');
    }
    to.line(text.slice(space + 1), raw, at);
  };
  let offset = 0; // of the next piece's first byte
  const feed = (chunk: Buffer) => {
    let from = 0;
    for (let nl = chunk.indexOf(0x0a); nl !== -1; nl = chunk.indexOf(0x0a, from)) {
      if (tooLong) {
        tooLong = false;
      } else if (pendingBytes + nl - from > max) {
        to.problem({ ordinal: ordinal++, line, offset: lineOffset }, `line larger than ${Math.round(max / 1048576)} MiB; skipped`);
      } else {
        const piece = chunk.subarray(from, nl);
        take(pending.length === 0 ? piece : Buffer.concat([...pending, piece]), lineOffset);
      }
      pending = [];
      pendingBytes = 0;
      line++;
      from = nl + 1;
      lineOffset = offset + from;
    }
    if (from < chunk.length && !tooLong) {
      if (pendingBytes + chunk.length - from > max) {
        to.problem({ ordinal: ordinal++, line, offset: lineOffset }, `line larger than ${Math.round(max / 1048576)} MiB; skipped`);
        tooLong = true;
        pending = [];
        pendingBytes = 0;
      } else {
        // Copied: a chunk may be a view of a buffer its reader reuses.
        pending.push(Buffer.from(chunk.subarray(from)));
        pendingBytes += chunk.length - from;
      }
    }
    offset += chunk.length;
  };
  for await (const chunk of chunks) {
    // A file held in memory is one chunk: read in views, so its events go out in batches as they are read.
    for (let at = 0; at < chunk.length; at += sliceBytes) {
      feed(chunk.length <= sliceBytes ? chunk : chunk.subarray(at, at + sliceBytes));
      await to.drain?.();
    }
  }
  if (pending.length > 0 && !tooLong) take(Buffer.concat(pending), lineOffset);
}
