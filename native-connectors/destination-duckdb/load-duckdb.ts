import { createRequire } from 'node:module';

type DuckdbApi = typeof import('@duckdb/node-api');

const require = createRequire(import.meta.url);
let api: DuckdbApi | undefined;

/**
 * @duckdb/node-api loaded with require(), not import: the package is CommonJS, and an ESM import
 * first runs Node's CommonJS export scanner over each of its ~120 re-exported files (163 against
 * 61 ms at every start of the destination, measured). Loaded on first use, so `spec` does not load
 * DuckDB at all. A plain require call naming the package: the native image build follows imports and
 * require calls to decide which packages the image carries.
 */
export function loadDuckdb(): DuckdbApi {
  api ??= require('@duckdb/node-api') as DuckdbApi;
  return api;
}
