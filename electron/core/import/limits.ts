/** Caps that keep hostile evidence from exhausting memory or disk. All sizes in bytes. */
export interface ImportLimits {
  /** A single record (JSON value or CSV row) larger than this is refused. */
  maxRecordBytes?: number;
  /** Decompressed output may exceed `inflateRatio` × compressed input only below this floor. */
  inflateFloorBytes: number;
  /** JSON log exports compress 10–30×; far beyond that is a decompression bomb. */
  inflateRatio: number;
  /** Archive members up to this size are read into memory and parsed in a worker; larger ones stream in place. */
  maxBufferedMemberBytes: number;
}

export const DEFAULT_LIMITS: ImportLimits = {
  maxRecordBytes: 64 * 1024 * 1024,
  inflateFloorBytes: 256 * 1024 * 1024,
  inflateRatio: 200,
  maxBufferedMemberBytes: 64 * 1024 * 1024,
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
