/**
 * The `_airbyte_meta` value of a row: `{"sync_id":..,"changes":[..]}`, changes the source made
 * first (record.meta.changes), then the destination's own. Without changes it is one constant
 * string per stream, so callers should cache `airbyteMeta(syncId)`.
 */
export function airbyteMeta(syncId: number | undefined, changes: readonly unknown[] = []): string {
  return JSON.stringify({ ...(syncId === undefined ? {} : { sync_id: syncId }), changes });
}
