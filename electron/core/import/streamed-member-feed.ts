import { STREAM_CHUNK_BYTES, type ParseRequest } from '../../workers/parse-protocol';

/**
 * Feeds a streamed archive member to the parse worker parsing it. Each `pull` from the worker is answered with
 * the next ~1 MiB, read from the walker only then: the member never sits in memory, and a parse (or a writer)
 * that falls behind slows the reading down. `isDone` turns true, and `onDone` is called, once the member has
 * been read to its end or abandoned; until then the walker, whose next member sits behind this one, must wait.
 */
export class StreamedMemberFeed {
  private readonly source: AsyncIterator<Buffer>;
  private serving: Promise<void> = Promise.resolve();
  private finished = false;

  constructor(
    stream: AsyncIterable<Buffer>,
    private readonly jobId: number,
    private readonly post: (message: ParseRequest, transfer: ArrayBuffer[]) => void,
    private readonly onDone: () => void,
  ) {
    this.source = stream[Symbol.asyncIterator]();
  }

  get isDone(): boolean {
    return this.finished;
  }

  /** The worker asked for the next chunk; pulls are answered one after another, in order. */
  pull(): void {
    // A failure while serving (a post that throws) must not leave the walker waiting forever: the worker is told the
    // member ended with that error, and the feed is done.
    this.serving = this.serving.then(() => this.serve()).catch((err: unknown) => {
      if (this.finished) return;
      try {
        this.post({ type: 'end', jobId: this.jobId, error: `internal error while reading this member: ${(err as Error).message}` }, []);
      } catch {
        // the worker is gone; its job is reported by the pool
      }
      this.finish();
    });
  }

  /** The job ended without reading it all (an internal error, a dead worker): stop feeding it. */
  stop(): void {
    this.finish();
  }

  private async serve(): Promise<void> {
    if (this.finished) return;
    // The walker's chunks are small (zlib's 16 KiB); one message per ~1 MiB keeps messaging off the profile.
    const parts: Buffer[] = [];
    let size = 0;
    let end = false;
    let error: string | undefined;
    try {
      while (size < STREAM_CHUNK_BYTES) {
        const next = await this.source.next();
        if (next.done) {
          end = true;
          break;
        }
        parts.push(next.value);
        size += next.value.length;
      }
    } catch (err) {
      // The walker's stream throws what the analyst should read (SourceReadError); the bytes before it still go.
      end = true;
      error = (err as Error).message;
    }
    if (this.finished) return;
    if (size > 0) {
      const bytes = new Uint8Array(size); // an ArrayBuffer of its own, so it moves to the worker without a copy
      let at = 0;
      for (const part of parts) {
        bytes.set(part, at);
        at += part.length;
      }
      this.post({ type: 'chunk', jobId: this.jobId, bytes }, [bytes.buffer]);
    }
    if (end) {
      this.post({ type: 'end', jobId: this.jobId, ...(error === undefined ? {} : { error }) }, []);
      this.finish();
    }
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.onDone();
  }
}
