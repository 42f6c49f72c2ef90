/**
 * The CDC position inside the GLOBAL state's shared_state, in the shape upstream (Debezium's offset
 * store) writes it: {"state": {"[\"<db>\",{\"server\":\"<db>\"}]": "{\"transaction_id\":null,\"lsn\":N,
 * \"txId\":N,\"ts_usec\":N}"}}. The LSN is a decimal inside a JSON string, read back as a bigint.
 */
export interface CdcOffset { lsn: bigint; txId: number | null; tsUsec: number }

export function formatOffset(database: string, o: CdcOffset): Record<string, unknown> {
  const key = JSON.stringify([database, { server: database }]);
  const value = `{"transaction_id":null,"lsn":${o.lsn.toString()},"txId":${o.txId ?? 'null'},"ts_usec":${o.tsUsec}}`;
  return { state: { [key]: value } };
}

/** The LSN a shared_state holds (upstream's and ours), or undefined when there is none. */
export function parseOffset(shared: Record<string, unknown> | undefined): bigint | undefined {
  const state = shared?.state;
  if (!state || typeof state !== 'object') return undefined;
  for (const v of Object.values(state as Record<string, unknown>)) {
    if (typeof v !== 'string') continue;
    // lsn_commit (Debezium's commit position) wins over lsn when both are there.
    const m = /"lsn_commit":(\d+)/.exec(v) ?? /"lsn":(\d+)/.exec(v);
    if (m) return BigInt(m[1]!);
  }
  return undefined;
}
