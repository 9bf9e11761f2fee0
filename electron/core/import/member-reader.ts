import { createHash, type Hash } from 'node:crypto';

/**
 * One archive member, read on demand a chunk at a time: what lets a 2 GB member pass through an import in a few
 * MiB. Reads are serialised, so the walker can skip what a consumer left unread without racing it.
 */
export class MemberReader {
  private readonly source: AsyncIterator<Buffer>;
  private last: Promise<unknown> = Promise.resolve();
  private ended = false;
  private hash: Hash | null = null;
  /** Bytes read so far. */
  bytes = 0;

  /**
   * `check` sees every chunk and may throw (the inflate guard); `stop` abandons the source early, when it can be
   * abandoned without harm (a zip member's stream; a tar entry cannot: the rest of the tar waits behind it).
   */
  constructor(
    source: AsyncIterable<Buffer>,
    private readonly check: (chunk: Buffer) => void = () => {},
    private readonly stop: (() => void) | null = null,
  ) {
    this.source = source[Symbol.asyncIterator]();
  }

  /** The next chunk, or null at the end. An error ends the member and is thrown as it came. */
  read(): Promise<Buffer | null> {
    const next = this.last.then(async () => {
      if (this.ended) return null;
      try {
        const r = await this.source.next();
        if (r.done) {
          this.ended = true;
          return null;
        }
        const chunk = Buffer.isBuffer(r.value) ? r.value : Buffer.from(r.value);
        this.check(chunk);
        this.bytes += chunk.length;
        this.hash?.update(chunk);
        return chunk;
      } catch (err) {
        this.end();
        throw err;
      }
    });
    this.last = next.catch(() => undefined);
    return next;
  }

  /** Reads at least `min` bytes (fewer at the end): enough to tell an archive from a file. */
  async head(min: number): Promise<Buffer[]> {
    const parts: Buffer[] = [];
    for (let size = 0; size < min; ) {
      const chunk = await this.read();
      if (chunk === null) break;
      parts.push(chunk);
      size += chunk.length;
    }
    return parts;
  }

  /**
   * The whole member (`prefix`, already read, then the rest) in one buffer of its declared size, allocated once
   * so a big member is never held twice while its parts are joined; off the shared pool, so it can be transferred.
   */
  async readAll(prefix: Buffer[], declared: number): Promise<Buffer> {
    const out = Buffer.allocUnsafeSlow(declared);
    let at = 0;
    const put = (chunk: Buffer) => {
      if (at + chunk.length > declared) throw new Error(`the member holds more than the ${declared} bytes its header declares`);
      chunk.copy(out, at);
      at += chunk.length;
    };
    prefix.forEach(put);
    for (let chunk = await this.read(); chunk !== null; chunk = await this.read()) put(chunk);
    return out.subarray(0, at);
  }

  /** `prefix`, then the rest of the member; a read error is thrown as `describe` makes it. */
  async *chunks(prefix: Buffer[], describe: (err: unknown) => Error): AsyncGenerator<Buffer> {
    yield* prefix;
    for (;;) {
      let chunk: Buffer | null;
      try {
        chunk = await this.read();
      } catch (err) {
        throw describe(err);
      }
      if (chunk === null) return;
      yield chunk;
    }
  }

  /** Hashes `prefix` (already read) and every byte read from now on, for the archive-end of a nested archive. */
  startHash(prefix: Buffer[]): void {
    this.hash = createHash('sha256');
    for (const chunk of prefix) this.hash.update(chunk);
  }

  digest(): string {
    return this.hash?.digest('hex') ?? '';
  }

  /**
   * Passes over what is left: abandoned when it can be and nothing needs its bytes, else read and dropped. A
   * read error now ends the member quietly: the consumer already reported it, or did not need those bytes.
   */
  async skipRest(): Promise<void> {
    if (this.stop && !this.hash) {
      await this.last;
      this.end();
      return;
    }
    try {
      while ((await this.read()) !== null) {
        // dropped (and hashed, if asked)
      }
    } catch {
      // see above
    }
  }

  /** Stops reading at once (an import being cancelled); the source is abandoned when it can be. */
  close(): void {
    this.end();
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.stop?.();
  }
}
