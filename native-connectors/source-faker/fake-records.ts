import { AsciiChunk, ascii } from './ascii-chunk.js';
import * as d from './fake-data.js';
import { airbyteTime, type Prng } from './prng.js';

const DAY = 86_400_000;
const START = Date.UTC(2000, 0, 1);
const SPAN = Date.UTC(2024, 0, 1) - START;

const bytesOf = (a: readonly string[]) => a.map(ascii);
const FIRST = bytesOf(d.firstNames);
const LAST = bytesOf(d.lastNames);
const FIRST_LOWER = bytesOf(d.firstNames.map((s) => s.toLowerCase()));
const LAST_LOWER = bytesOf(d.lastNames.map((s) => s.toLowerCase()));
const TITLES = bytesOf(d.titles);
const DOMAINS = bytesOf(d.emailDomains);
const GENDERS = bytesOf(d.genders);
const LANGUAGES = bytesOf(d.languages);
const DEGREES = bytesOf(d.degrees);
const NATIONALITIES = bytesOf(d.nationalities);
const OCCUPATIONS = bytesOf(d.occupations);
const BLOOD = bytesOf(d.bloodTypes);
const STREETS = bytesOf(d.streetNames);
const SUFFIXES = bytesOf(d.streetSuffixes);
const CITIES = bytesOf(d.cities);
const STATES = bytesOf(d.states);
const COUNTRIES = bytesOf(d.countryCodes);

const pick = (r: Prng, a: readonly Uint8Array[]): Uint8Array => a[Math.floor(r.next() * a.length)]!;

const U = [
  '{"id":', ',"created_at":"', '","updated_at":"', '","name":"', '","title":"', '","age":', ',"email":"',
  '","telephone":"+1-(', ')-', '","gender":"', '","language":"', '","academic_degree":"', '","nationality":"',
  '","occupation":"', '","height":"', '","blood_type":"', '","weight":', ',"address":{"street_number":"',
  '","street_name":"', '","city":"', '","state":"', '","province":"', '","postal_code":"', '","country_code":"', '"}}',
].map(ascii);

/**
 * The RECORD line of the user with the 0-based index, written into `out` as `head` + data + `tail`
 * (this is the hot path). `updatedAt` is airbyteTime of the slice, as bytes. The golden lines in
 * source-faker.test.ts pin every field and every draw from `r`.
 */
export function writeUser(out: AsciiChunk, r: Prng, seed: number, index: number, updatedAt: Uint8Array, head: Uint8Array, tail: Uint8Array): void {
  r.reset(seed, index);
  const first = Math.floor(r.next() * FIRST.length);
  const last = Math.floor(r.next() * LAST.length);
  const id = index + 1;
  out.bytes(head);
  out.bytes(U[0]!); out.uint(id);
  out.bytes(U[1]!); out.time(START + Math.floor(r.next() * SPAN));
  out.bytes(U[2]!); out.bytes(updatedAt);
  out.bytes(U[3]!); out.bytes(FIRST[first]!); out.byte(0x20); out.bytes(LAST[last]!);
  out.bytes(U[4]!); out.bytes(pick(r, TITLES));
  out.bytes(U[5]!); out.uint(r.int(16, 66));
  out.bytes(U[6]!); out.bytes(FIRST_LOWER[first]!); out.byte(0x2e); out.bytes(LAST_LOWER[last]!); out.byte(0x2b); out.uint(id); out.byte(0x40); out.bytes(pick(r, DOMAINS));
  out.bytes(U[7]!); out.uint(r.int(200, 999)); out.bytes(U[8]!); out.uint(r.int(200, 999)); out.byte(0x2d); out.uint(r.int(1000, 9999));
  out.bytes(U[9]!); out.bytes(pick(r, GENDERS));
  out.bytes(U[10]!); out.bytes(pick(r, LANGUAGES));
  out.bytes(U[11]!); out.bytes(pick(r, DEGREES));
  out.bytes(U[12]!); out.bytes(pick(r, NATIONALITIES));
  out.bytes(U[13]!); out.bytes(pick(r, OCCUPATIONS));
  out.bytes(U[14]!); out.text((1.5 + r.next() * 0.5).toFixed(2));
  out.bytes(U[15]!); out.bytes(pick(r, BLOOD));
  out.bytes(U[16]!); out.uint(r.int(38, 90));
  out.bytes(U[17]!); out.uint(r.int(1, 9999));
  out.bytes(U[18]!); out.bytes(pick(r, STREETS)); out.byte(0x20); out.bytes(pick(r, SUFFIXES));
  out.bytes(U[19]!); out.bytes(pick(r, CITIES));
  out.bytes(U[20]!); out.bytes(pick(r, STATES));
  out.bytes(U[21]!); out.bytes(pick(r, STATES));
  out.bytes(U[22]!); out.padded(r.int(501, 99950), 5);
  out.bytes(U[23]!); out.bytes(pick(r, COUNTRIES));
  out.bytes(U[24]!);
  out.bytes(tail);
}

const P = [
  '{"id":', ',"product_id":', ',"user_id":', ',"created_at":"', '","updated_at":"', '","added_to_cart_at":"',
  '","purchased_at":', ',"returned_at":', '}',
].map(ascii);
const NULL = ascii('null');

/**
 * The RECORD lines of the 0-based user index's purchases, written into `out` (each `head` + data +
 * `tail`); returns how many. Same id scheme as the reference: per 10 users, 10 purchases
 * (user x6 buys nothing, x8 buys twice), so ids are stable whatever the slice size.
 */
export function writePurchases(out: AsciiChunk, r: Prng, seed: number, index: number, updatedAt: Uint8Array, head: Uint8Array, tail: Uint8Array): number {
  const digit = index % 10;
  let count = 1;
  let idOffset = 0;
  if (digit === 6) count = 0;
  else if (digit === 7) idOffset = 1;
  else if (digit === 8) { idOffset = 1; count = 2; }
  r.reset(seed ^ 0x5bd1e995, index);
  for (let i = 0; i < count; i++) {
    const createdMs = START + Math.floor(r.next() * SPAN);
    const cartMs = createdMs + r.int(0, 60) * DAY;
    const purchasedMs = r.int(1, 100) <= 70 ? cartMs + r.int(0, 30) * DAY : undefined;
    const returnedMs = purchasedMs !== undefined && r.int(1, 100) <= 15 ? purchasedMs + r.int(0, 30) * DAY : undefined;
    out.bytes(head);
    out.bytes(P[0]!); out.uint(index + i + 1 - idOffset);
    out.bytes(P[1]!); out.uint(r.int(1, 100));
    out.bytes(P[2]!); out.uint(index + 1);
    out.bytes(P[3]!); out.time(createdMs);
    out.bytes(P[4]!); out.bytes(updatedAt);
    out.bytes(P[5]!); out.time(cartMs);
    out.bytes(P[6]!); quotedTimeOrNull(out, purchasedMs);
    out.bytes(P[7]!); quotedTimeOrNull(out, returnedMs);
    out.bytes(P[8]!);
    out.bytes(tail);
  }
  return count;
}

function quotedTimeOrNull(out: AsciiChunk, ms: number | undefined): void {
  if (ms === undefined) { out.bytes(NULL); return; }
  out.byte(0x22);
  out.time(ms);
  out.byte(0x22);
}

/** The 100 products (fixed, like the reference's products.json). */
export function productJson(r: Prng, id: number, updatedAt: string): string {
  r.reset(20_240_408, id);
  const [make, models] = d.carMakes[(id - 1) % d.carMakes.length]!;
  const model = models[Math.floor((id - 1) / d.carMakes.length) % models.length]!;
  return `{"id":${id},"make":"${make}","model":"${model}","year":${r.int(1990, 2023)},"price":${r.int(5000, 90000)},"created_at":"${airbyteTime(Date.UTC(2024, 3, 8, 18, 7, 20))}","updated_at":"${updatedAt}"}`;
}
