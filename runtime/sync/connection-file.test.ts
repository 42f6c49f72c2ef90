import { describe, expect, it } from 'vitest';
import { isAirdockError } from '../../protocol/index.js';
import { parseConnection } from './connection-file.js';

const parse = (text: string, env: Record<string, string> = {}) => parseConnection(text, '/x/conn.yaml', env);
const errorOf = (fn: () => unknown) => {
  try { fn(); } catch (err) { if (isAirdockError(err)) return err; throw err; }
  throw new Error('no error');
};

describe('connection file', () => {
  it('parses the documented shape with defaults, ${VAR} expansion and stream shorthands', () => {
    const c = parse(`name: pg-to-duck
source: { connector: native:source-faker, config: { count: 10, password: "\${PW}" } }
destination: { connector: native:destination-duckdb, config: { destination_path: ./out.duckdb } }
streams:
  - users
  - { name: orders, sync_mode: incremental, cursor_field: updated_at, primary_key: id, destination_sync_mode: append_dedup }
namespace: { definition: custom, format: "raw_\${SOURCE_NAMESPACE}" }
prefix: p_
state: { backend: postgres, url: "\${DB}" }
retry: { attempts: 5, base_delay_ms: 100 }
`, { PW: 's3cret', DB: 'postgres://u@h/db' });
    expect(c.name).toBe('pg-to-duck');
    expect(c.source.config.password).toBe('s3cret');
    expect(c.streams).toEqual([{ name: 'users' }, { name: 'orders', sync_mode: 'incremental', cursor_field: ['updated_at'], primary_key: [['id']], destination_sync_mode: 'append_dedup' }]);
    expect(c.namespace).toEqual({ definition: 'custom', format: 'raw_${SOURCE_NAMESPACE}', prefix: 'p_' });
    expect(c.state).toEqual({ backend: 'postgres', url: 'postgres://u@h/db' });
    expect(c.retry).toMatchObject({ attempts: 5, baseDelayMs: 100 });
    const d = parse('source: { connector: ./s }\ndestination: { connector: ./d }\n');
    expect(d).toMatchObject({ name: 'conn', state: { backend: 'file' }, retry: { attempts: 3 }, namespace: { definition: 'source' } });
  });

  it('points at the key and line of a mistake, never at the value', () => {
    const e = errorOf(() => parse(`source: { connector: ./s }
destination: { connector: ./d }
streams:
  - name: users
  - name: orders
    sync_mode: sometimes
`));
    expect(e.code).toBe('AIRDOCK_CONNECTION_INVALID');
    expect(e.context).toMatchObject({ key: 'streams[1].sync_mode', line: 6 });
    expect(e.describe()).not.toContain('sometimes');
    expect(errorOf(() => parse('source: { connector: ./s }\ndestinaton: {}\n')).context).toMatchObject({ key: 'destinaton', line: 2 });
    expect(errorOf(() => parse('source: { connector: ./s }\n')).message).toMatch(/destination is required/);
    expect(errorOf(() => parse('source: [\n')).code).toBe('AIRDOCK_CONNECTION_INVALID');
  });

  it('names the unset variable and where it is used', () => {
    const e = errorOf(() => parse('source: { connector: ./s, config: { key: "${NOPE}" } }\ndestination: { connector: ./d }\n'));
    expect(e.code).toBe('AIRDOCK_CONFIG_ENV_MISSING');
    expect(e.context).toMatchObject({ variable: 'NOPE', key: 'source.config.key', line: 1 });
  });
});
