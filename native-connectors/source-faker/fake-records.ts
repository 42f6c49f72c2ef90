import * as d from './fake-data.js';
import { airbyteTime, type Prng } from './prng.js';

const DAY = 86_400_000;
const START = Date.UTC(2000, 0, 1);
const SPAN = Date.UTC(2024, 0, 1) - START;

/** users.data for the 0-based user index, as a JSON string (built directly: this is the hot path). */
export function userJson(r: Prng, seed: number, index: number, updatedAt: string): string {
  r.reset(seed, index);
  const first = r.pick(d.firstNames);
  const last = r.pick(d.lastNames);
  const id = index + 1;
  return `{"id":${id},"created_at":"${airbyteTime(START + Math.floor(r.next() * SPAN))}","updated_at":"${updatedAt}","name":"${first} ${last}","title":"${r.pick(d.titles)}","age":${r.int(16, 66)},"email":"${first.toLowerCase()}.${last.toLowerCase()}+${id}@${r.pick(d.emailDomains)}","telephone":"+1-(${r.int(200, 999)})-${r.int(200, 999)}-${r.int(1000, 9999)}","gender":"${r.pick(d.genders)}","language":"${r.pick(d.languages)}","academic_degree":"${r.pick(d.degrees)}","nationality":"${r.pick(d.nationalities)}","occupation":"${r.pick(d.occupations)}","height":"${(1.5 + r.next() * 0.5).toFixed(2)}","blood_type":"${r.pick(d.bloodTypes)}","weight":${r.int(38, 90)},"address":{"street_number":"${r.int(1, 9999)}","street_name":"${r.pick(d.streetNames)} ${r.pick(d.streetSuffixes)}","city":"${r.pick(d.cities)}","state":"${r.pick(d.states)}","province":"${r.pick(d.states)}","postal_code":"${String(r.int(501, 99950)).padStart(5, '0')}","country_code":"${r.pick(d.countryCodes)}"}}`;
}

/**
 * purchases.data lines for the 0-based user index. Same id scheme as the reference: per 10 users,
 * 10 purchases (user x6 buys nothing, x8 buys twice), so ids are stable whatever the slice size.
 */
export function purchaseJsons(r: Prng, seed: number, index: number, updatedAt: string, out: string[]): void {
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
    const purchased = purchasedMs === undefined ? 'null' : `"${airbyteTime(purchasedMs)}"`;
    const returned = returnedMs === undefined ? 'null' : `"${airbyteTime(returnedMs)}"`;
    out.push(`{"id":${index + i + 1 - idOffset},"product_id":${r.int(1, 100)},"user_id":${index + 1},"created_at":"${airbyteTime(createdMs)}","updated_at":"${updatedAt}","added_to_cart_at":"${airbyteTime(cartMs)}","purchased_at":${purchased},"returned_at":${returned}}`);
  }
}

/** The 100 products (fixed, like the reference's products.json). */
export function productJson(r: Prng, id: number, updatedAt: string): string {
  r.reset(20_240_408, id);
  const [make, models] = d.carMakes[(id - 1) % d.carMakes.length]!;
  const model = models[Math.floor((id - 1) / d.carMakes.length) % models.length]!;
  return `{"id":${id},"make":"${make}","model":"${model}","year":${r.int(1990, 2023)},"price":${r.int(5000, 90000)},"created_at":"${airbyteTime(Date.UTC(2024, 3, 8, 18, 7, 20))}","updated_at":"${updatedAt}"}`;
}
