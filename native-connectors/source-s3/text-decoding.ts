import { TextDecoder } from 'node:util';

/**
 * Decodes bytes in a Python codec name (what the official config's `encoding` holds) into text,
 * chunk by chunk: a character split across chunks is kept for the next one.
 */
export async function* decodeText(bytes: AsyncIterable<Buffer>, encoding = 'utf8'): AsyncGenerator<string> {
  const name = encoding.trim().toLowerCase().replace(/_/g, '-');
  // Python's latin-1 maps every byte to the same code point; WHATWG's "latin1" is windows-1252.
  if (['latin1', 'latin-1', 'iso-8859-1', 'iso8859-1', '8859', 'cp819', 'l1'].includes(name)) {
    for await (const b of bytes) yield b.toString('latin1');
    return;
  }
  const label = name === 'utf8' || name === 'utf-8-sig' || name === 'u8' ? 'utf-8' : name;
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label, { fatal: true });
  } catch (cause) {
    throw new Error(`Unknown encoding ${encoding}`, { cause });
  }
  for await (const b of bytes) yield decoder.decode(b, { stream: true });
  const tail = decoder.decode();
  if (tail) yield tail;
}
