export interface FakerConfig {
  count?: number;
  seed?: number;
  records_per_slice?: number;
  always_updated?: boolean;
  parallelism?: number;
}

export interface ResolvedFakerConfig {
  count: number;
  seed: number;
  recordsPerSlice: number;
  alwaysUpdated: boolean;
}

export function resolveFakerConfig(c: FakerConfig): ResolvedFakerConfig {
  const seed = c.seed ?? -1;
  return {
    count: c.count ?? 1000,
    // -1 means random, as in the reference connector.
    seed: seed === -1 ? Math.floor(Math.random() * 2 ** 31) : seed,
    recordsPerSlice: c.records_per_slice ?? 1000,
    alwaysUpdated: c.always_updated ?? true,
  };
}
