const CHUNK = 64 * 1024;
/** Room kept free for one more line: a faker line is under 1 KiB. */
const LINE_ROOM = 4 * 1024;
const DAY = 86_400_000;
const TZ = ascii('+00:00');
const dayPrefix = new Map<number, Uint8Array>();

/** A string's bytes; for the faker's own texts, which are all ASCII. */
export function ascii(s: string): Uint8Array {
  return Buffer.from(s, 'latin1');
}

/**
 * RECORD lines written as ASCII bytes into a 64 KiB chunk, piece by piece with byte loops: no string
 * per line, no rope to flatten, nothing for the garbage collector. Measured on 400k faker records:
 * building each line as a string and encoding the joined lines at the pipe took most of the source's
 * CPU (the UTF-8 encoding of the written strings 22 %, the GC 17 %, the generators 20 %).
 * Buffer#copy and latin1Write cost a call into C++ each, more than these pieces of 2 to 30 bytes.
 */
export class AsciiChunk {
  #buf = Buffer.allocUnsafe(CHUNK);
  #pos = 0;

  /** Whether the chunk should be handed over before the next line. */
  get full(): boolean {
    return this.#pos > CHUNK - LINE_ROOM;
  }

  /** The bytes written so far, as a Buffer of their own (never written to again). */
  take(): Buffer {
    const out = this.#buf.subarray(0, this.#pos);
    this.#buf = Buffer.allocUnsafe(CHUNK);
    this.#pos = 0;
    return out;
  }

  bytes(b: Uint8Array): void {
    const buf = this.#buf;
    let p = this.#pos;
    for (let i = 0; i < b.length; i++) buf[p++] = b[i]!;
    this.#pos = p;
  }

  byte(c: number): void {
    this.#buf[this.#pos++] = c;
  }

  /** A non-negative safe integer in decimal, as `${n}` writes it. */
  uint(n: number): void {
    let digits = 1;
    for (let x = n; x >= 10; x = Math.floor(x / 10)) digits++;
    this.#digits(n, digits);
  }

  /** A non-negative integer below 10^width, zero-padded to `width` digits. */
  padded(n: number, width: number): void {
    this.#digits(n, width);
  }

  /** An ASCII string's characters (for the rare piece that is computed, e.g. toFixed). */
  text(s: string): void {
    const buf = this.#buf;
    let p = this.#pos;
    for (let i = 0; i < s.length; i++) buf[p++] = s.charCodeAt(i);
    this.#pos = p;
  }

  /** What airbyteTime(epochMs) writes (seconds precision, explicit +00:00). */
  time(epochMs: number): void {
    const day = Math.floor(epochMs / DAY);
    let prefix = dayPrefix.get(day);
    if (prefix === undefined) {
      prefix = ascii(new Date(day * DAY).toISOString().slice(0, 11));
      dayPrefix.set(day, prefix);
    }
    this.bytes(prefix);
    const s = Math.floor((epochMs - day * DAY) / 1000);
    this.#digits(Math.floor(s / 3600), 2);
    this.byte(0x3a);
    this.#digits(Math.floor(s / 60) % 60, 2);
    this.byte(0x3a);
    this.#digits(s % 60, 2);
    this.bytes(TZ);
  }

  #digits(n: number, width: number): void {
    const buf = this.#buf;
    let p = this.#pos + width;
    this.#pos = p;
    for (let i = 0; i < width; i++) {
      const q = Math.floor(n / 10);
      buf[--p] = 0x30 + (n - q * 10);
      n = q;
    }
  }
}
