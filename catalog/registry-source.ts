/** Where a loaded registry's data came from; `catalog list` prints it and `--json` carries it. */
export interface RegistrySource {
  /** `network`: fetched now; `cache`: the disk cache; `seed`: bundled with airdock; `file`: a local file. */
  origin: 'network' | 'cache' | 'seed' | 'file';
  /** The registry URL or file path the data is from (`bundled seed` for the seed). */
  location: string;
  /** When the data was fetched from `location` (ISO); absent for the seed and files. */
  fetchedAt?: string;
  /** Newest connector publish time inside the data (ISO): how current the catalog is. */
  dataAsOf?: string;
  /** The cache was confirmed current by the server (HTTP 304) during this load. */
  revalidated?: boolean;
  /** The cache is older than its time-to-live and was used because the network failed or is off. */
  stale?: boolean;
  /** Why the loader fell back from the network, in one line. */
  notice?: string;
}
