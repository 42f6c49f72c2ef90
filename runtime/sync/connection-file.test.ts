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

  it('schedule and circuit_breaker: defaults filled in, absent means off, a bad cron names its line', () => {
    const base = 'source: { connector: ./s }\ndestination: { connector: ./d }\n';
    expect(parse(base)).not.toHaveProperty('circuitBreaker');
    expect(parse(base)).not.toHaveProperty('schedule');
    const c = parse(`${base}schedule: "*/15 * * * *"\ncircuit_breaker: { failure_threshold: 4 }\n`);
    expect(c.schedule).toBe('*/15 * * * *');
    expect(c.circuitBreaker).toEqual({ failureThreshold: 4, recoveryTimeoutMs: 600_000 });
    expect(parse(`${base}circuit_breaker: {}\n`).circuitBreaker).toEqual({ failureThreshold: 3, recoveryTimeoutMs: 600_000 });
    expect(errorOf(() => parse(`${base}schedule: "every hour"\n`))).toMatchObject({ code: 'AIRDOCK_CONNECTION_INVALID', context: { key: 'schedule', line: 3 } });
    expect(errorOf(() => parse(`${base}circuit_breaker: { failure_threshold: 0 }\n`)).message).toBe('failure_threshold must be an integer ≥ 1');
    expect(errorOf(() => parse(`${base}circuit_breaker: { threshold: 2 }\n`)).message).toBe('Unknown key; expected failure_threshold or recovery_timeout_seconds');
  });

  it('backend: top level for both sides, a side may say otherwise; anything else is refused', () => {
    const c = parse('backend: kubernetes\nsource: { connector: a/s:1 }\ndestination: { connector: a/d:1, backend: docker }\n');
    expect(c.source).toEqual({ connector: 'a/s:1', config: {}, backend: 'kubernetes' });
    expect(c.destination).toEqual({ connector: 'a/d:1', config: {}, backend: 'docker' });
    expect(parse('source: { connector: ./s }\ndestination: { connector: ./d }\n').source).toEqual({ connector: './s', config: {} });
    expect(errorOf(() => parse('source: { connector: ./s, backend: nomad }\ndestination: { connector: ./d }\n')).message).toMatch(/backend must be docker or kubernetes/);
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

  it('takes the Docker sandbox relaxations per connector', () => {
    const c = parse('source: { connector: img/s:1, docker: { pids_limit: 0, writable_root: true } }\ndestination: { connector: img/d:1, docker: { pids_limit: 512 } }\n');
    expect(c.source.limits).toEqual({ pidsLimit: 0, readOnlyRoot: false });
    expect(c.destination.limits).toEqual({ pidsLimit: 512 });
    expect(parse('source: { connector: ./s }\ndestination: { connector: ./d }\n').source.limits).toBeUndefined();
    expect(errorOf(() => parse('source: { connector: ./s, docker: { pids_limit: -1 } }\ndestination: { connector: ./d }\n')).context).toMatchObject({ key: 'source.docker.pids_limit', line: 1 });
    expect(errorOf(() => parse('source: { connector: ./s, docker: { readonly: false } }\ndestination: { connector: ./d }\n')).message).toMatch(/expected pids_limit or writable_root/);
  });

  it('names the unset variable and where it is used', () => {
    const e = errorOf(() => parse('source: { connector: ./s, config: { key: "${NOPE}" } }\ndestination: { connector: ./d }\n'));
    expect(e.code).toBe('AIRDOCK_CONFIG_ENV_MISSING');
    expect(e.context).toMatchObject({ variable: 'NOPE', key: 'source.config.key', line: 1 });
  });

  const base = 'source: { connector: ./s }\ndestination: { connector: ./d }\n';
  it.each([
    ['streams: 5', 'streams', 3, 'streams must be a list'],
    ['streams:\n  - 5', 'streams[0]', 4, 'a stream must be a mapping with at least name'],
    ['streams:\n  - { namespace: x }', 'streams[0].name', 4, 'name must be a non-empty string'],
    ['streams:\n  - { name: a, foo: 1 }', 'streams[0].foo', 4, 'Unknown stream key'],
    ['streams:\n  - { name: a, destination_sync_mode: x }', 'streams[0].destination_sync_mode', 4, 'destination_sync_mode must be one of append, overwrite, append_dedup, update, soft_delete'],
    ['streams:\n  - { name: a, cursor_field: [1] }', 'streams[0].cursor_field', 4, 'cursor_field must be a field path (a list of strings)'],
    ['streams:\n  - { name: a, primary_key: [[]] }', 'streams[0].primary_key', 4, 'primary_key must be a list of field paths, e.g. [[id]]'],
    ['streams:\n  - a\n  - b\n  - a', 'streams[2].name', 6, 'this stream is listed twice'],
    ['namespace: {}', 'namespace.definition', 3, 'definition must be source, destination or custom'],
    ['namespace: { definition: custom }', 'namespace.format', 3, 'a custom namespace needs a format, e.g. "raw_${SOURCE_NAMESPACE}"'],
    ['prefix: 5', 'prefix', 3, 'prefix must be a string'],
    ['state: { backend: s3 }', 'state.backend', 3, 'backend must be file or postgres'],
    ['state: { backend: postgres, table: "bad-table" }', 'state.table', 3, 'table must be a plain SQL identifier'],
    ['retry: { attempts: 0 }', 'retry.attempts', 3, 'attempts must be an integer ≥ 1'],
    ['timeouts: { foo: 1 }', 'timeouts.foo', 3, 'Unknown key'],
    ['timeouts: { source_idle_seconds: 0 }', 'timeouts.source_idle_seconds', 3, 'must be a number > 0'],
    ['name: "bad name!"', 'name', 3, 'name must be letters, digits, dot, dash or underscore (at most 128)'],
  ])('%s → %s (line %i): %s', (extra, key, line, message) => {
    const e = errorOf(() => parse(base + extra));
    expect(e.code).toBe('AIRDOCK_CONNECTION_INVALID');
    expect({ key: e.context.key, line: e.context.line, message: e.message }).toEqual({ key, line, message });
  });

  it('a missing connector or a config that is not a mapping names the side', () => {
    expect(errorOf(() => parse('source: { config: {} }\ndestination: { connector: ./d }\n')).context).toMatchObject({ key: 'source.connector', line: 1 });
    expect(errorOf(() => parse('source: { connector: ./s, config: [1] }\ndestination: { connector: ./d }\n')).message).toBe('config must be a mapping');
    expect(errorOf(() => parse('- a\n')).message).toBe('A connection file must be a mapping with source and destination');
  });
});

