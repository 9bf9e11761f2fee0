/** Caps that keep hostile evidence from exhausting memory or disk. All sizes in bytes. */
export interface ImportLimits {
  /** A single record (JSON value or CSV row) larger than this is refused. */
  maxRecordBytes?: number;
  /** Decompressed output may exceed `inflateRatio` × compressed input only below this floor. */
  inflateFloorBytes: number;
  /** JSON log exports compress 10–30×; far beyond that is a decompression bomb. */
  inflateRatio: number;
  /**
   * Archive members up to this (declared) size are read into memory and handed to a parse worker whole; larger
   * ones are read chunk by chunk as the worker asks for them, so a 2 GB member costs a few MiB. Streaming is as
   * fast (the single writer sets the pace), and two workers each parsing a big member in memory is what pushes
   * an import past 500 MB: hence 16 MiB.
   */
  maxBufferedMemberBytes: number;
  /**
   * A zip inside an archive can only be read by random access, so one larger than `maxBufferedMemberBytes` is
   * still held in memory (never written to disk), up to this size; a larger one is refused with a problem. Sized
   * so an import holding one stays under 500 MB.
   */
  maxNestedZipBytes: number;
}

export const DEFAULT_LIMITS: ImportLimits = {
  maxRecordBytes: 64 * 1024 * 1024,
  inflateFloorBytes: 256 * 1024 * 1024,
  inflateRatio: 200,
  maxBufferedMemberBytes: 16 * 1024 * 1024,
  maxNestedZipBytes: 32 * 1024 * 1024,
};

/** Thrown when decompressed data outgrows what its compressed size could honestly hold. */
export class InflateLimitError extends Error {
  readonly code = 'INFLATE_LIMIT';
}

/** Counts decompressed bytes against the compressed bytes consumed so far. */
export class InflateGuard {
  private out = 0;
  constructor(private readonly label: string, private readonly limits: ImportLimits) {}

  add(outBytes: number, inBytes: number): void {
    this.out += outBytes;
    const allowed = Math.max(this.limits.inflateFloorBytes, inBytes * this.limits.inflateRatio);
    if (this.out > allowed) {
      throw new InflateLimitError(
        `decompression bomb guard: ${this.label} inflates beyond ${this.limits.inflateRatio}× its compressed size (stopped after ${Math.round(this.out / 1048576)} MiB); records before that point were kept`,
      );
    }
  }
}
