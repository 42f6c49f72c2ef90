import type { TablePlan } from '../sdk/sql/index.js';

/**
 * A batch starts loading as soon as DuckDB has ended the previous load and this many records wait
 * (half a DuckDB row group). DuckDB then loads while the source still sends, instead of taking nearly
 * all of a short sync in one load after the source has ended, with the second core idle; later batches
 * grow with DuckDB's pace. 400k faker records, alternating: 1.88-1.99 s (median 1.89) against
 * 1.95-2.08 s (2.03) with a whole row group (122,880) as the threshold; 40,960 was no better.
 */
const EAGER_RECORDS = 61_440;

/**
 * The eager threshold for a sync, or undefined for none: an append_dedup stream merges each batch
 * against its whole table (a join over every row already there), so more, smaller batches would cost
 * more than loading them sooner saves; such syncs keep the time and size bounds alone. Measured with
 * 1M faker records in append_dedup: eager batches cost 0.6-0.9 more CPU-s (5.0-5.2 against 5.8-6.1)
 * and the sync took as long or longer (8.0 against 9.7 s through a pipe; 6.6-7.5 against 8.1-9.5 s
 * from a file).
 */
export function eagerBatchRecords(plans: readonly Pick<TablePlan, 'dedup'>[]): number | undefined {
  return plans.some((p) => p.dedup) ? undefined : EAGER_RECORDS;
}
