/**
 * What people call a system when it is not the catalog's name for it. Each phrase maps to the
 * technical name per role; the catalog's own names (display, technical, squashed) are matched
 * without being listed here.
 */
export interface SystemAlias {
  phrase: string;
  source?: string;
  destination?: string;
  /** A format word ("CSV", "JSON lines"): it yields to a named system in the same role. */
  weak?: boolean;
}

export const SYSTEM_ALIASES: readonly SystemAlias[] = [
  ...['postgresql', 'postgres', 'pg', 'aurora postgresql', 'aurora postgres', 'rds postgres', 'rds postgresql', 'postgre sql']
    .map((phrase) => ({ phrase, source: 'source-postgres', destination: 'destination-postgres' })),
  ...['mysql', 'mariadb', 'aurora mysql', 'rds mysql']
    .map((phrase) => ({ phrase, source: 'source-mysql', destination: 'destination-mysql' })),
  ...['sql server', 'microsoft sql server', 'mssql', 'ms sql', 'azure sql']
    .map((phrase) => ({ phrase, source: 'source-mssql', destination: 'destination-mssql' })),
  ...['mongodb', 'mongo', 'mongo db', 'mongodb atlas']
    .map((phrase) => ({ phrase, source: 'source-mongodb-v2', destination: 'destination-mongodb' })),
  ...['s3', 'amazon s3', 'aws s3', 'minio', 's3 bucket', 's3-compatible']
    .map((phrase) => ({ phrase, source: 'source-s3', destination: 'destination-s3' })),
  ...['clickhouse', 'click house']
    .map((phrase) => ({ phrase, source: 'source-clickhouse', destination: 'destination-clickhouse' })),
  ...['kafka', 'apache kafka', 'redpanda', 'amazon msk', 'confluent']
    .map((phrase) => ({ phrase, source: 'source-kafka', destination: 'destination-kafka' })),
  ...['bigquery', 'big query', 'google bigquery']
    .map((phrase) => ({ phrase, source: 'source-bigquery', destination: 'destination-bigquery' })),
  ...['duckdb', 'duck db'].map((phrase) => ({ phrase, destination: 'destination-duckdb' })),
  ...['sqlite', 'sqlite3'].map((phrase) => ({ phrase, destination: 'destination-sqlite' })),
  ...['faker', 'fake data', 'sample data', 'dummy data', 'test data', 'fake users', 'synthetic data'].map((phrase) => ({ phrase, source: 'source-faker' })),
  ...['excel file', 'excel', 'xlsx file', 'parquet file', 'feather file'].map((phrase) => ({ phrase, source: 'source-file', weak: true })),
  ...['csv file', 'csv files', 'local csv', 'csv'].map((phrase) => ({ phrase, source: 'source-file', destination: 'destination-csv', weak: true })),
  ...['json lines', 'jsonl files', 'local json', 'json files', 'ndjson files', 'jsonl'].map((phrase) => ({ phrase, destination: 'destination-local-json', weak: true })),
  ...['dev null', '/dev/null', 'dev-null', 'nowhere', 'discard'].map((phrase) => ({ phrase, destination: 'destination-dev-null' })),
  { phrase: 'github', source: 'source-github' },
  { phrase: 'stripe', source: 'source-stripe' },
  { phrase: 'snowflake', source: 'source-snowflake', destination: 'destination-snowflake' },
];

/**
 * Catalog names that are also everyday words: they name a connector only when written with a
 * capital inside a sentence ("our Front inbox", not "the front page").
 */
export const COMMON_WORD_NAMES = new Set([
  'adjust', 'box', 'chameleon', 'circa', 'coda', 'concord', 'copper', 'curve', 'delighted', 'deputy', 'drift', 'drip', 'float',
  'front', 'gong', 'guru', 'harvest', 'height', 'incident', 'linear', 'merge', 'mention', 'mode', 'monday', 'orb', 'pocket',
  'persona', 'recreation', 'segment', 'sentry', 'shortcut', 'slack', 'square', 'tempo', 'timely', 'vantage', 'workable',
  'recharge', 'productive', 'convex', 'outlook', 'plausible', 'file', 'zoom', 'streamr', 'rss', 'railz', 'airbyte', 'merge',
  'paddle', 'plaid', 'poplar', 'ragie', 'strava', 'split', 'mux', 'lob', 'beamer', 'canny', 'datascope', 'factorial',
  'fulcrum', 'harness', 'intruder', 'iterable', 'katana', 'keka', 'metabase', 'nutshell', 'orbit', 'pendo', 'pylon', 'retently',
  'statuspage', 'survicate', 'tavus', 'vitally', 'oracle', 'looker', 'trello', 'notion', 'genesys', 'encharge', 'avni',
  'countercyclical', 'humanitix', 'planhat', 'rootly', 'systeme', 'teamwork', 'workday', 'nasa', 'smoke', 'sample', 'data',
  'cloud', 'database', 'redis', 'chift', 'clazar', 'coassemble', 'commcare', 'dixa', 'finage', 'fleetio', 'flowlu', 'guardian',
]);

/** Words that say "some system" without naming it: the text is too vague to pick a connector. */
export const VAGUE_SYSTEM_WORDS = new Set([
  'database', 'db', 'warehouse', 'data warehouse', 'lake', 'datalake', 'bucket', 'queue', 'api', 'crm', 'storage', 'server',
  'sql', 'nosql', 'stream', 'spreadsheet', 'app',
]);
