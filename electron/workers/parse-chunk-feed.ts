import { SourceReadError } from '../core/import/parse-evidence-file';

/**
 * A streamed file's bytes inside the parse worker: chunks arrive from the import thread only as they are asked
 * for, `ahead` at most, so a parse that falls behind holds the reading back instead of piling chunks up.
 */
export class ChunkFeed implements AsyncIterable<Buffer> {
  private readonly queue: Buffer[] = [];
  private asked = 0;
  private ended = false;
  private error: string | null = null;
  private wake: (() => void) | null = null;

  constructor(private readonly ask: () => void, private readonly ahead: number) {}

  push(bytes: Uint8Array): void {
    this.asked = Math.max(0, this.asked - 1);
    this.queue.push(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    this.wakeUp();
  }

  end(error?: string): void {
    this.ended = true;
    this.error = error ?? null;
    this.wakeUp();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer> {
    for (;;) {
      while (!this.ended && this.queue.length + this.asked < this.ahead) {
        this.asked++;
        this.ask();
      }
      while (this.queue.length === 0 && !this.ended) await new Promise<void>((resolve) => (this.wake = resolve));
      const chunk = this.queue.shift();
      if (chunk) {
        yield chunk;
        continue;
      }
      // `end` comes after the last chunk, so an error is met only once every byte before it was parsed.
      if (this.error !== null) throw new SourceReadError(this.error);
      return;
    }
  }

  private wakeUp(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}
