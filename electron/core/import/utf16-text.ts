// Windows PowerShell 5.1 writes UTF-16 whenever output is redirected (`>`, `Out-File`, `Export-Csv -Encoding Unicode`),
// so exports handed over from a Windows host are often UTF-16. They are read as their text, transcoded to UTF-8 as they
// stream, and then sniffed and split like any other text.

/**
 * UTF-16 by its byte order mark, or, without one, by JSON's or CSV's first two characters (ASCII, so every other
 * byte is zero). Anything else is left to the UTF-8 readers.
 */
export function utf16Of(head: Buffer): 'utf-16le' | 'utf-16be' | null {
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  if (head.length < 4) return null;
  if (head[0] !== 0 && head[1] === 0 && head[2] !== 0 && head[3] === 0) return 'utf-16le';
  if (head[0] === 0 && head[1] !== 0 && head[2] === 0 && head[3] !== 0) return 'utf-16be';
  return null;
}

export class InvalidTextError extends Error {}

/**
 * UTF-16 chunks as UTF-8 ones. A surrogate pair or a code unit split between two chunks is joined. Text that is not
 * well-formed UTF-16 (an unpaired surrogate, an odd byte at the end) is read up to that point, so the records before it
 * import, and then stops the file with where it broke: guessing at the rest would store characters the file does not hold.
 */
export async function* transcodeUtf16(chunks: AsyncIterable<Buffer>, encoding: 'utf-16le' | 'utf-16be'): AsyncGenerator<Buffer> {
  const name = encoding.toUpperCase();
  let carry: Buffer = Buffer.alloc(0);
  let at = 0; // the file offset (of the decompressed text) of carry's first byte
  const unit = (b: Buffer, i: number) => (encoding === 'utf-16le' ? b.readUInt16LE(i) : b.readUInt16BE(i));
  for await (const chunk of chunks) {
    const buf = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    let end = buf.length & ~1;
    if (end >= 2 && (unit(buf, end - 2) & 0xfc00) === 0xd800) end -= 2; // a high surrogate: its pair comes next
    const text = utf16Text(buf.subarray(0, end), encoding, at === 0);
    const bad = firstUnpaired(text);
    if (bad >= 0) {
      if (bad > 0) yield Buffer.from(text.slice(0, bad), 'utf8');
      const bom = at === 0 && unit(buf, 0) === 0xfeff ? 2 : 0; // the string starts after it
      throw new InvalidTextError(`invalid ${name} text: an unpaired surrogate at byte ${at + bom + bad * 2} of the text; records before it were kept`);
    }
    if (text.length > 0) yield Buffer.from(text, 'utf8');
    carry = Buffer.from(buf.subarray(end));
    at += end;
  }
  if (carry.length > 0) {
    throw new InvalidTextError(`invalid ${name} text: it ends ${carry.length === 1 ? 'in half a character (an odd number of bytes)' : 'in half a surrogate pair'}; records before it were kept`);
  }
}

/** The text of whole UTF-16 code units, without a leading byte order mark. */
function utf16Text(bytes: Buffer, encoding: 'utf-16le' | 'utf-16be', atStart: boolean): string {
  // Big-endian is swapped on a copy: the chunk may be a view of a member other readers still hold.
  const text = encoding === 'utf-16le' ? bytes.toString('utf16le') : Buffer.from(bytes).swap16().toString('utf16le');
  return atStart && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** The index of the first unpaired surrogate, or -1 (the native check first: it is the only answer almost always). */
function firstUnpaired(text: string): number {
  if ((text as string & { isWellFormed(): boolean }).isWellFormed()) return -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
      else return i;
    } else if (c >= 0xdc00 && c <= 0xdfff) return i;
  }
  return -1;
}

