import { isUtf8 } from 'node:buffer';

/**
 * The bytes of each CSV row as the file holds them, found from csv-parse's byte offsets (`info.bytes`: where a row
 * ends, its line ending included). csv-parse decodes a byte that is not UTF-8 as U+FFFD, so only the row's own bytes
 * tell such a row from one holding a real U+FFFD. Only rows whose text has a U+FFFD are sliced; the chunks are let go
 * as the rows pass them.
 */
export class CsvRowBytes {
  private readonly chunks: Buffer[] = [];
  /** Offset in the stream of chunks[0]. */
  private chunksStart = 0;
  /** Where the next row starts; null until the first row (the header's end is found then). */
  private rowStart: number | null = null;

  /** Passes the chunks on to the parser, keeping them until their rows are taken. */
  async *tap(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    for await (const chunk of source) {
      this.chunks.push(chunk);
      yield chunk;
    }
  }

  /**
   * Whether the next row, which ends at stream offset `end`, is valid UTF-8; `text` is the row as csv-parse decoded
   * it (a row without U+FFFD in it had no byte to replace). The reading moves past the row.
   */
  nextRowIsUtf8(end: number, text: string): boolean {
    const start = this.rowStart ?? this.headerEnd();
    this.rowStart = end;
    const valid = !text.includes('\uFFFD') || isUtf8(this.slice(start, end));
    while (this.chunks.length > 0 && this.chunksStart + this.chunks[0]!.length <= end) this.chunksStart += this.chunks.shift()!.length;
    return valid;
  }

  /** Just past the first line ending: the header row (no export quotes a line break into a column name). */
  private headerEnd(): number {
    let offset = this.chunksStart;
    for (const chunk of this.chunks) {
      const at = chunk.indexOf(0x0a);
      if (at !== -1) return offset + at + 1;
      offset += chunk.length;
    }
    return this.chunksStart;
  }

  private slice(start: number, end: number): Buffer {
    const parts: Buffer[] = [];
    let offset = this.chunksStart;
    for (const chunk of this.chunks) {
      const from = Math.max(start - offset, 0);
      const to = Math.min(end - offset, chunk.length);
      if (from < to) parts.push(chunk.subarray(from, to));
      offset += chunk.length;
      if (offset >= end) break;
    }
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }
}
