// A JSON validator over bytes (RFC 8259 grammar), for the source's hot path: decoding each message to
// a string and JSON.parse-ing it only to check it was most of the source's CPU in profiles. It answers
// "certainly one JSON object"; anything it does not accept takes the JSON.parse path, which also gives
// the precise error, so a `false` is never wrong, only slower. UTF-8 validity is checked separately.

let b: Buffer;
let i = 0;

const ws = () => { let c = b[i]; while (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) c = b[++i]; };

const isHex = (c: number | undefined) => c !== undefined && ((c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66));
const isDigit = (c: number | undefined) => c !== undefined && c >= 0x30 && c <= 0x39;

/** 1 for the bytes a string holds as they are (not a quote, a backslash or a control character). */
const PLAIN = new Uint8Array(256).map((_, c) => (c >= 0x20 && c !== 0x22 && c !== 0x5c ? 1 : 0));

function string(): boolean {
  // at the opening quote
  i++;
  for (;;) {
    while (PLAIN[b[i]!] === 1) i++;
    const c = b[i++];
    if (c === undefined || c < 0x20) return false;
    if (c === 0x22) return true;
    if (c === 0x5c) {
      const e = b[i++];
      if (e === 0x75) {
        if (!(isHex(b[i]) && isHex(b[i + 1]) && isHex(b[i + 2]) && isHex(b[i + 3]))) return false;
        i += 4;
      } else if (e !== 0x22 && e !== 0x5c && e !== 0x2f && e !== 0x62 && e !== 0x66 && e !== 0x6e && e !== 0x72 && e !== 0x74) return false;
    }
  }
}

function number(): boolean {
  if (b[i] === 0x2d) i++;
  if (b[i] === 0x30) i++;
  else if (isDigit(b[i])) while (isDigit(b[i])) i++;
  else return false;
  if (b[i] === 0x2e) {
    i++;
    if (!isDigit(b[i])) return false;
    while (isDigit(b[i])) i++;
  }
  if (b[i] === 0x65 || b[i] === 0x45) {
    i++;
    if (b[i] === 0x2b || b[i] === 0x2d) i++;
    if (!isDigit(b[i])) return false;
    while (isDigit(b[i])) i++;
  }
  return true;
}

function literal(text: string): boolean {
  for (let k = 0; k < text.length; k++) if (b[i + k] !== text.charCodeAt(k)) return false;
  i += text.length;
  return true;
}

function value(depth: number): boolean {
  ws();
  const c = b[i];
  let ok: boolean;
  if (c === 0x7b) ok = object(depth + 1);
  else if (c === 0x5b) ok = array(depth + 1);
  else if (c === 0x22) ok = string();
  else if (c === 0x74) ok = literal('true');
  else if (c === 0x66) ok = literal('false');
  else if (c === 0x6e) ok = literal('null');
  else ok = number();
  ws();
  return ok;
}

function object(depth: number): boolean {
  // deep nesting goes to JSON.parse rather than deep recursion
  if (depth > 64) return false;
  i++;
  ws();
  if (b[i] === 0x7d) { i++; return true; }
  for (;;) {
    if (b[i] !== 0x22 || !string()) return false;
    ws();
    if (b[i++] !== 0x3a) return false;
    if (!value(depth)) return false;
    const c = b[i++];
    if (c === 0x7d) return true;
    if (c !== 0x2c) return false;
    ws();
  }
}

function array(depth: number): boolean {
  if (depth > 64) return false;
  i++;
  ws();
  if (b[i] === 0x5d) { i++; return true; }
  for (;;) {
    if (!value(depth)) return false;
    const c = b[i++];
    if (c === 0x5d) return true;
    if (c !== 0x2c) return false;
  }
}

/** True only when `bytes` is exactly one JSON object, `{` first and `}` last, nothing around it. */
export function isJsonObject(bytes: Buffer): boolean {
  if (bytes[0] !== 0x7b || bytes[bytes.length - 1] !== 0x7d) return false;
  b = bytes;
  i = 0;
  const ok = object(1) && i === bytes.length;
  b = undefined as unknown as Buffer;
  return ok;
}
