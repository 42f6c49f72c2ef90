import type pg from 'pg';
import { query } from './database.js';
import type { XminState } from './state-shapes.js';

/** The snapshot's xmin split as upstream stores it: epoch (wraparounds), 32-bit xid, and both together. */
export async function currentXmin(client: pg.ClientBase): Promise<XminState> {
  const [r] = await query<{ w: string; x: string; raw: string }>(client, `
    SELECT (txid_snapshot_xmin(txid_current_snapshot()) >> 32)::text AS w,
           (txid_snapshot_xmin(txid_current_snapshot()) % (2^32)::bigint)::text AS x,
           txid_snapshot_xmin(txid_current_snapshot())::text AS raw`, [], 'read xmin status');
  return { version: 2, state_type: 'xmin', num_wraparound: Number(r!.w), xmin_xid_value: Number(r!.x), xmin_raw_value: Number(r!.raw) };
}

/**
 * The rows to read after `prev`, as upstream decides (PostgresXminHandler): the saved xid itself is
 * re-read (it was the oldest transaction still running); after one wraparound the xid space restarted,
 * so rows below the current xid are new too; after two or more nothing can be trusted: undefined
 * means "reload the table".
 */
export function xminCondition(prev: XminState, current: XminState): string | undefined {
  const laps = current.num_wraparound - prev.num_wraparound;
  if (laps >= 2) return undefined;
  if (laps === 1) return `xmin::text::bigint >= ${Math.trunc(prev.xmin_xid_value)} OR xmin::text::bigint < ${Math.trunc(current.xmin_xid_value)}`;
  return `xmin::text::bigint >= ${Math.trunc(prev.xmin_xid_value)}`;
}
