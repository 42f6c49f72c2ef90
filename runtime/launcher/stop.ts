/**
 * Why the runtime stopped a run: an abort, a time limit, a consumer that asked for a clean stop
 * (`cancel()`, dispose), or a consumer that stopped iterating early (`break`).
 */
export type Stop =
  | { kind: 'abort'; reason: unknown }
  | { kind: 'timeout'; what: 'timeout' | 'heartbeat'; ms: number }
  | { kind: 'consumer' }
  | { kind: 'abandoned' };
