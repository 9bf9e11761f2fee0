import { isUtf8 } from 'node:buffer';

/** Where a record stood in its file, for problems an analyst can find again. */
export interface RecordPosition {
  /** Record index within the file, from 0. */
  ordinal: number;
  /** 1-based line of the record's first byte. */
  line: number;
  /** Byte offset of the record's first byte in the (decompressed) file. */
  offset: number;
}

export interface SplitterSink {
  /** `bytes` is a view valid only during the call: copy what you keep. */
  record(bytes: Buffer, at: RecordPosition): void;
  problem(at: RecordPosition | null, reason: string): void;
}

/** Keys whose array value holds the records of an envelope (CloudTrail, Azure, REST, lookup-events). */
export const ENVELOPE_KEYS = new Set(['Records', 'records', 'value', 'Events', 'entries', 'QueryResultRows']);

/**
 * Keys whose array holds the entries of a log pipeline's page, read only in a value at the top of the file (or in an
 * element of a top-level array): `aws logs filter-log-events` / `get-log-events` (`events`), a CloudWatch Logs
 * subscription message (`logEvents`), Splunk's REST results (`results`), a Pub/Sub pull response
 * (`receivedMessages`) and an Elasticsearch search response (`hits.hits`, an array inside the `hits` object). An audit
 * record never stands there, so the records of a delivery (`{"Records":[…]}`, lookup-events pages) never descend
 * into them; a top-level `hits` object without a `hits` array stays one record.
 */
export const PAGE_KEYS = new Set(['events', 'logEvents', 'results', 'receivedMessages', 'hits']);

/** One record larger than this is refused (and skipped without being held in memory). */
export const DEFAULT_MAX_RECORD_BYTES = 64 * 1024 * 1024;

const enum Ch {
  Tab = 0x09, Nl = 0x0a, Cr = 0x0d, Space = 0x20, Quote = 0x22, Comma = 0x2c, Colon = 0x3a,
  LBrack = 0x5b, Backslash = 0x5c, RBrack = 0x5d, LBrace = 0x7b, RBrace = 0x7d,
}

interface Frame {
  isObject: boolean;
  /** Elements of this array are records (top-level array or an envelope's array). */
  holdsRecords: boolean;
  expectKey: boolean;
  /** An object whose keys may name a page's entries (PAGE_KEYS): a top-level value, or an element of a top-level array. */
  pages?: boolean;
  /** The `hits` object of an Elasticsearch response inside a captured value: its `hits` array holds the entries. */
  hitsObject?: boolean;
}

/**
 * Splits a stream of JSON bytes into records without parsing it, so each record can be kept byte for byte
 * and parsed on its own. Understands JSON lines, concatenated values, bare arrays, single objects and
 * envelopes (`{"Records":[…]}`, `{"value":[…]}`, `{"Events":[…]}`), also nested one level (a JSON-lines file
 * of `Records` batches, an array of envelopes). It does not validate: JSON.parse of each record does.
 * Memory is bounded by the largest record kept, capped by `maxRecordBytes`.
 */
export class JsonRecordSplitter {
  private buf: Buffer = Buffer.alloc(0);
  /** Absolute offset of buf[0] in the whole stream. */
  private base = 0;
  private pos = 0;
  private readonly stack: Frame[] = [];
  private inString = false;
  /** Backslashes ending the part of the current string scanned so far (an odd count escapes the next byte). */
  private trailingBackslashes = 0;
  /** Set while reading a key of the object being captured, to recognise envelopes. */
  private keyStart = -1;
  private lastKey = '';
  private capStart = -1;
  private capDepth = -1;
  private capLine = 0;
  private capOffset = 0;
  private capScalar = false;
  /** The current record outgrew the cap: keep scanning to its end without holding it. */
  private skipping = false;
  /** An oversized bare value was refused: pass over the rest of it. */
  private skipScalarRest = false;
  private line = 1;
  private ordinal = 0;
  private bomChecked = false;
  /** NUL bytes seen between top-level values since the last one (a preallocated or carved file pads with them). */
  private nulBytes = 0;
  private nulAt: RecordPosition | null = null;
  /** The envelope key seen, if any (`Records`, `value`, …), for format detection. */
  envelope: string | null = null;
  /** Records emitted so far. */
  get records(): number {
    return this.ordinal;
  }

  constructor(
    private readonly sink: SplitterSink,
    private readonly maxRecordBytes = DEFAULT_MAX_RECORD_BYTES,
  ) {}

  push(chunk: Buffer): void {
    if (!this.bomChecked) {
      this.bomChecked = true;
      if (chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) {
        chunk = chunk.subarray(3);
        this.base += 3;
      }
    }
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    this.scan();
    this.compact();
  }

  /** Call once at the end of the stream. */
  end(): void {
    if (this.capScalar && this.capStart >= 0) this.emit(this.buf.length);
    if (this.nulBytes > 0) {
      this.sink.problem(null, `trailing NUL padding (${this.nulBytes} bytes) after the last record (a preallocated or carved file); the records before it were kept`);
      this.nulBytes = 0;
    }
    if (this.inString || this.stack.length > 0 || this.capStart >= 0 || this.skipping) {
      const at = this.capStart >= 0 || this.skipping ? this.capPosition() : null;
      this.sink.problem(at, `truncated: the file ends inside ${this.capStart >= 0 || this.skipping ? 'this record' : 'a JSON value'} (line ${this.line})`);
    }
    this.buf = Buffer.alloc(0);
    this.stack.length = 0;
  }

  private capPosition(): RecordPosition {
    return { ordinal: this.ordinal, line: this.capLine, offset: this.capOffset };
  }

  /** A value starting here is a record when it stands at top level or directly in a records array. */
  private atRecordPosition(): boolean {
    if (this.capStart >= 0 || this.skipping) return false;
    const top = this.stack[this.stack.length - 1];
    return top === undefined || (!top.isObject && top.holdsRecords);
  }

  /** NUL padding followed by more values: said once, where it began. */
  private endNulRun(): void {
    if (this.nulBytes === 0) return;
    this.sink.problem(this.nulAt, `NUL padding (${this.nulBytes} bytes) between records (a preallocated or carved file); skipped`);
    this.nulBytes = 0;
    this.nulAt = null;
  }

  private startCapture(i: number, scalar: boolean): void {
    if (this.nulBytes > 0) this.endNulRun();
    this.capStart = i;
    this.capDepth = this.stack.length;
    this.capLine = this.line;
    this.capOffset = this.base + i;
    this.capScalar = scalar;
  }

  private emit(endExclusive: number): void {
    const at = this.capPosition();
    const bytes = this.buf.subarray(this.capStart, endExclusive);
    this.capStart = -1;
    this.capScalar = false;
    this.ordinal++;
    if (!isUtf8(bytes)) {
      this.sink.problem(at, 'invalid UTF-8 in this record; skipped');
      return;
    }
    this.sink.record(bytes, at);
  }

  private scan(): void {
    const b = this.buf;
    const n = b.length;
    let i = this.pos;
    while (i < n) {
      if (this.inString) {
        i = this.scanString(b, i, n);
        continue;
      }
      const c = b[i]!;
      if (this.skipScalarRest) {
        if (c === Ch.Comma || c === Ch.RBrack || c === Ch.RBrace || c === Ch.Space || c === Ch.Nl || c === Ch.Cr || c === Ch.Tab) {
          this.skipScalarRest = false;
        } else {
          i++;
          continue;
        }
      }
      if (this.capScalar) {
        if (c === Ch.Comma || c === Ch.RBrack || c === Ch.RBrace || c === Ch.Space || c === Ch.Nl || c === Ch.Cr || c === Ch.Tab) {
          this.emit(i);
        } else {
          i++;
          continue;
        }
      }
      switch (c) {
        case Ch.LBrace:
        case Ch.LBrack:
          this.open(i, c === Ch.LBrace);
          break;
        case Ch.RBrace:
        case Ch.RBrack:
          this.close(i);
          break;
        case Ch.Quote:
          if (this.atRecordPosition()) this.startCapture(i, false);
          this.beginString(i);
          break;
        case Ch.Comma: {
          const top = this.stack[this.stack.length - 1];
          if (top?.isObject) top.expectKey = true;
          break;
        }
        case Ch.Colon: {
          const top = this.stack[this.stack.length - 1];
          if (top?.isObject) top.expectKey = false;
          break;
        }
        case Ch.Nl:
          this.line++;
          break;
        case Ch.Space:
        case Ch.Tab:
        case Ch.Cr:
          break;
        default:
          if (c === 0 && this.stack.length === 0 && this.atRecordPosition()) {
            // NUL padding between or after top-level values: counted, never captured as a record of its own.
            if (this.nulBytes === 0) this.nulAt = { ordinal: this.ordinal, line: this.line, offset: this.base + i };
            let j = i + 1;
            while (j < n && b[j] === 0) j++;
            this.nulBytes += j - i;
            i = j;
            continue;
          }
          // A bare scalar (number, true, garbage): captured so JSON.parse can say what is wrong with it.
          if (this.atRecordPosition()) {
            this.startCapture(i, true);
            i++;
            continue;
          }
      }
      i++;
      this.checkSize(i);
    }
    this.pos = i;
    this.checkSize(i);
  }

  private open(i: number, isObject: boolean): void {
    const parent = this.stack[this.stack.length - 1];
    if (this.atRecordPosition()) {
      if (!isObject && parent === undefined) {
        this.endNulRun();
        // A bare top-level array: its elements are the records.
        this.stack.push({ isObject, holdsRecords: true, expectKey: false });
        return;
      }
      this.startCapture(i, false);
      if (isObject) {
        this.stack.push({ isObject, holdsRecords: false, expectKey: true, pages: this.stack.length <= 1 });
        return;
      }
    } else if (
      !isObject && parent?.isObject
      && ((this.stack.length === this.capDepth + 1 && (ENVELOPE_KEYS.has(this.lastKey) || (parent.pages === true && PAGE_KEYS.has(this.lastKey))))
        || (parent.hitsObject === true && this.stack.length === this.capDepth + 2 && this.lastKey === 'hits'))
    ) {
      // The object being captured is an envelope: its array holds the records, the envelope is not one.
      this.envelope = this.lastKey;
      this.capStart = -1;
      this.skipping = false;
      this.stack.push({ isObject, holdsRecords: true, expectKey: false });
      return;
    }
    const hitsObject = isObject && parent?.pages === true && this.stack.length === this.capDepth + 1 && this.lastKey === 'hits';
    this.stack.push(hitsObject ? { isObject, holdsRecords: false, expectKey: true, hitsObject } : { isObject, holdsRecords: false, expectKey: isObject });
  }

  private close(i: number): void {
    const frame = this.stack.pop();
    if (frame === undefined) {
      this.sink.problem({ ordinal: this.ordinal, line: this.line, offset: this.base + i }, `unexpected '${String.fromCharCode(this.buf[i]!)}' outside any JSON value`);
      return;
    }
    if (this.stack.length === this.capDepth) {
      if (this.capStart >= 0) {
        this.emit(i + 1);
      } else if (this.skipping) {
        this.skipping = false;
        this.sink.problem(this.capPosition(), `record larger than ${Math.round(this.maxRecordBytes / 1048576)} MiB; skipped`);
        this.ordinal++;
      }
      this.capDepth = -1;
    }
  }

  private beginString(i: number): void {
    this.inString = true;
    this.trailingBackslashes = 0;
    const top = this.stack[this.stack.length - 1];
    // Keys are read only directly inside the record being captured: that is where an envelope key stands.
    this.keyStart = top?.isObject && top.expectKey && (this.stack.length === this.capDepth + 1 || top.hitsObject === true) ? i + 1 : -1;
  }

  /** Jumps to the closing quote with memchr-speed indexOf; a quote after an odd run of backslashes is escaped. */
  private scanString(b: Buffer, i: number, n: number): number {
    let from = i;
    for (;;) {
      const q = b.indexOf(Ch.Quote, from);
      if (q === -1) {
        let run = 0;
        for (let k = n - 1; k >= from && b[k] === Ch.Backslash; k--) run++;
        this.trailingBackslashes = run === n - from ? this.trailingBackslashes + run : run;
        return n;
      }
      let run = 0;
      for (let k = q - 1; k >= from && b[k] === Ch.Backslash; k--) run++;
      if (run === q - from) run += this.trailingBackslashes;
      this.trailingBackslashes = 0;
      if (run % 2 === 1) {
        from = q + 1;
        continue;
      }
      this.inString = false;
      if (this.keyStart >= 0) {
        this.lastKey = b.toString('utf8', this.keyStart, q);
        this.keyStart = -1;
      }
      if (this.capStart >= 0 && this.capScalar === false && this.stack.length === this.capDepth) {
        // A bare string at a record position is a (bad) record of its own.
        this.emit(q + 1);
      }
      return q + 1;
    }
  }

  private checkSize(i: number): void {
    if (this.capStart >= 0 && i - this.capStart > this.maxRecordBytes) {
      this.skipping = true;
      this.capStart = -1;
      if (this.capScalar) {
        // A scalar has no closing bracket to wait for; refuse it now.
        this.capScalar = false;
        this.skipping = false;
        this.sink.problem(this.capPosition(), `value larger than ${Math.round(this.maxRecordBytes / 1048576)} MiB; skipped`);
        this.ordinal++;
        this.capDepth = -1;
        this.skipScalarRest = true;
      }
    }
  }

  /** Drops bytes nothing refers to any more, keeping memory bounded by the record being captured. */
  private compact(): void {
    let keep = this.pos;
    if (this.capStart >= 0) keep = Math.min(keep, this.capStart);
    if (this.inString && this.keyStart >= 0) keep = Math.min(keep, this.keyStart);
    if (keep === 0) return;
    this.buf = this.buf.subarray(keep);
    this.base += keep;
    this.pos -= keep;
    if (this.capStart >= 0) this.capStart -= keep;
    if (this.keyStart >= 0) this.keyStart -= keep;
  }
}
