import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isAirdockError, validateConfig } from '../../protocol/index.js';
import { columnType, jsonSchemaOf, textToJson } from './column-types.js';
import { resolveConnection } from './connection-options.js';
import type { PostgresSourceConfig } from './postgres-config.js';
import { officialSpec, spec } from './spec.js';
import { xminCondition } from './xmin-status.js';

const configs = JSON.parse(readFileSync(new URL('../../test/fixtures/source-postgres/official-configs.json', import.meta.url), 'utf8')) as Record<string, PostgresSourceConfig>;
const officialProps = (officialSpec.connectionSpecification as { properties: Record<string, unknown> }).properties;
const servedProps = (spec.connectionSpecification as { properties: Record<string, unknown> }).properties;

describe('source-postgres spec and config', () => {
  it('serves every official property unchanged, extras added beside them', () => {
    for (const [k, v] of Object.entries(officialProps)) expect(servedProps[k]).toEqual(v);
    expect(Object.keys(servedProps).filter((k) => !(k in officialProps)).sort()).toEqual(['fetch_size', 'parallel_reads', 'pool_size', 'read_replica', 'statement_timeout_ms']);
    expect((spec.connectionSpecification as { required: string[] }).required).toEqual(['host', 'port', 'database', 'username']);
  });

  it.each(Object.keys(configs).filter((k) => !k.startsWith('_')))('accepts the official example config %s unchanged', (name) => {
    expect(validateConfig(configs[name], spec.connectionSpecification as object)).toEqual([]);
    expect(() => resolveConnection(configs[name]!)).not.toThrow();
  });

  it('maps ssl_mode to node-postgres TLS options', () => {
    const base = configs.minimal!;
    expect(resolveConnection({ ...base, ssl_mode: { mode: 'disable' } }).base.ssl).toBe(false);
    expect(resolveConnection({ ...base, ssl_mode: { mode: 'require' } }).base.ssl).toEqual({ rejectUnauthorized: false });
    const full = resolveConnection({ ...base, ssl_mode: { mode: 'verify-full', ca_certificate: 'CA' } }).base.ssl as Record<string, unknown>;
    expect(full).toMatchObject({ rejectUnauthorized: true, ca: 'CA' });
    expect(full.checkServerIdentity).toBeUndefined();
    expect((resolveConnection({ ...base, ssl_mode: { mode: 'verify-ca', ca_certificate: 'CA' } }).base.ssl as Record<string, unknown>).checkServerIdentity).toBeTypeOf('function');
    expect(resolveConnection(base).sslFallback).toBe(true); // no ssl_mode: prefer, as libpq
  });

  it('rejects what it cannot honour with a config error that names it', () => {
    const base = configs.minimal!;
    const err = (c: PostgresSourceConfig) => { try { resolveConnection(c); } catch (e) { return e; } return undefined; };
    const unknown = err({ ...base, jdbc_url_params: 'connectTimeout=5&sslfactory=x.Y' });
    expect(isAirdockError(unknown) && unknown.failureType).toBe('config_error');
    expect(isAirdockError(unknown) && unknown.context.parameter).toBe('sslfactory');
    const tunnel = err({ ...base, tunnel_method: { tunnel_method: 'SSH_KEY_AUTH' } });
    expect(isAirdockError(tunnel) && tunnel.describe()).toMatch(/SSH tunnels are not supported yet/);
    expect(resolveConnection({ ...base, jdbc_url_params: 'currentSchema=app&ApplicationName=x' }).base.options).toContain('-c search_path=app');
  });
});

describe('source-postgres text values (the CDC path)', () => {
  const t = (typname: string, text: string | null, atttypmod = -1, elemTypname?: string) => textToJson(columnType({ typname, atttypmod, elemTypname: elemTypname ?? null }), text);
  it('keeps integers and numerics digit for digit and nulls non-finite numbers', () => {
    expect(t('int8', '9223372036854775807')).toBe('9223372036854775807');
    expect(t('numeric', '123456789012345678901234567890.000000001')).toBe('123456789012345678901234567890.000000001');
    expect(t('numeric', 'NaN')).toBe('null');
    expect(t('float8', '-Infinity')).toBe('null');
    expect(t('money', '-$1,234.56')).toBe('-1234.56');
  });
  it('formats dates and times as upstream', () => {
    expect(t('timestamp', '1969-07-20 20:17:40.5')).toBe('"1969-07-20T20:17:40.500000"');
    expect(t('timestamp', '0044-03-15 12:00:00 BC')).toBe('"0044-03-15T12:00:00.000000 BC"');
    expect(t('timestamptz', '2150-01-01 00:00:00+00')).toBe('"2150-01-01T00:00:00.000000Z"');
    expect(t('timetz', '10:11:12.5+05:30')).toBe('"10:11:12.500000+05:30"');
    expect(t('timetz', '10:11:12-08')).toBe('"10:11:12.000000-08:00"');
    expect(t('timetz', '00:00:00+00')).toBe('"00:00:00.000000Z"');
    expect(t('date', '0044-03-15 BC')).toBe('"0044-03-15 BC"');
  });
  it('turns arrays into JSON arrays of their element kind', () => {
    expect(t('_int4', '{1,2,NULL}', -1, 'int4')).toBe('[1,2,null]');
    expect(t('_text', '{}', -1, 'text')).toBe('[]');
    expect(t('_text', '{"a b","c,d",NULL}', -1, 'text')).toBe('["a b","c,d",null]');
    expect(t('_bool', '{t,f}', -1, 'bool')).toBe('[true,false]');
  });
  it('gives the official schemas', () => {
    const s = (typname: string, atttypmod = -1) => jsonSchemaOf(columnType({ typname, atttypmod }));
    expect(s('int8')).toEqual({ type: 'number', airbyte_type: 'integer' });
    expect(s('numeric', ((10 << 16) | 0) + 4)).toEqual({ type: 'number', airbyte_type: 'integer' });
    expect(s('numeric', ((10 << 16) | 2) + 4)).toEqual({ type: 'number' });
    expect(s('timestamptz')).toEqual({ type: 'string', format: 'date-time', airbyte_type: 'timestamp_with_timezone' });
    expect(s('jsonb')).toEqual({ type: 'string' });
  });
});

describe('xmin wraparound (as upstream decides)', () => {
  const st = (w: number, x: number) => ({ version: 2 as const, state_type: 'xmin' as const, num_wraparound: w, xmin_xid_value: x, xmin_raw_value: w * 2 ** 32 + x });
  it('reads from the saved xid, both sides of a single wraparound, and everything after two', () => {
    expect(xminCondition(st(0, 5555), st(0, 5588))).toBe('xmin::text::bigint >= 5555');
    expect(xminCondition(st(0, 5555), st(1, 5588))).toBe('xmin::text::bigint >= 5555 OR xmin::text::bigint < 5588');
    expect(xminCondition(st(0, 5555), st(2, 5588))).toBeUndefined();
  });
});
