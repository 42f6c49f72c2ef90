import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  AbortedError, ConfigValidationError, ConnectorExitError, ConnectorFailedError, ConnectorTimeoutError, MissingOutputError,
  type AirbyteMessage, type ConfiguredAirbyteCatalog,
} from '../protocol/index.js';
import { ProcessBackend } from './backends/process-backend.js';
import { Connector } from './connector.js';
import { Launcher } from './launcher/launcher.js';
import { Logger } from './log/logger.js';
import { userSees } from '../test/support/user-sees.js';

const fixture = resolve(import.meta.dirname, '../test/fixtures/connectors/misbehave.mjs');
const tmpRoot = mkdtempSync(join(tmpdir(), 'airdock-conn-'));
const logLines: string[] = [];
const log = new Logger({ level: 'debug', write: (l) => logLines.push(l) });
const launcher = new Launcher({ backends: { process: new ProcessBackend({ jobRoot: tmpRoot, baseEnv: { PATH: process.env.PATH ?? '' } }) }, log });
const connector = (extra: Partial<ConstructorParameters<typeof Connector>[0]> = {}) =>
  new Connector({ launcher, name: 'misbehave', target: { kind: 'command', command: process.execPath, args: [fixture] }, graceMs: 500, ...extra });
const catalog: ConfiguredAirbyteCatalog = {
  streams: [{ stream: { name: 'users', json_schema: { type: 'object', properties: {} }, supported_sync_modes: ['full_refresh', 'incremental'] }, sync_mode: 'incremental', destination_sync_mode: 'append' }],
};
async function collect(it: AsyncIterable<AirbyteMessage>) {
  const out: AirbyteMessage[] = [];
  for await (const m of it) out.push(m);
  return out;
}

describe('Connector over the process backend', () => {
  it('spec, check, discover', async () => {
    const c = connector();
    expect((await c.spec()).connectionSpecification).toHaveProperty('properties.mode');
    expect(await c.check({ mode: 'ok' })).toEqual({ status: 'SUCCEEDED' });
    expect(await c.check({ mode: 'ok', api_key: 'wrong' })).toEqual({ status: 'FAILED', message: 'api key rejected' });
    expect((await c.discover({ mode: 'ok' })).streams.map((s) => s.name)).toEqual(['users']);
    expect(logLines.some((l) => l.includes('checking'))).toBe(true);
  });

  it('check reports every config problem as FAILED, with no secret value', async () => {
    const r = await connector().check({ mode: 'nope', count: 'x', api_key: 'hunter2' });
    expect(r.status).toBe('FAILED');
    expect(r.issues?.length).toBe(2);
    expect(JSON.stringify(r)).not.toContain('hunter2');
  });

  it('discover with a bad config throws ConfigValidationError before starting anything', async () => {
    const err = await connector().discover({ count: -1 }).catch((e) => e);
    expect(err).toBeInstanceOf(ConfigValidationError);
    expect(userSees(err)).toEqual({ exit: 2, line: expect.stringMatching(/^error AIRDOCK_CONFIG_INVALID: The config does not match the connector's spec: \/mode is required; \/count must be >= 0 .*connector="misbehave"/) });
  });

  it('read yields records and state; state round-trips', async () => {
    const c = connector();
    const run = c.read({ mode: 'ok', count: 5 }, catalog);
    const msgs = await collect(run.messages());
    const summary = await run.done();
    expect(msgs.filter((m) => m.type === 'RECORD').map((m) => m.record!.data.id)).toEqual([1, 2, 3, 4, 5]);
    expect(summary).toMatchObject({ records: 5, exit: { code: 0 }, counts: { RECORD: 5, STATE: 1 } });
    const state = msgs.filter((m) => m.type === 'STATE').map((m) => m.state!);
    const next = await collect(c.read({ mode: 'ok', count: 2 }, catalog, state).messages());
    expect(next.filter((m) => m.type === 'RECORD').map((m) => m.record!.data.id)).toEqual([6, 7]);
  });

  it('write feeds stdin with backpressure and yields the echoed states', async () => {
    async function* input(): AsyncGenerator<AirbyteMessage> {
      for (let i = 0; i < 20_000; i++) yield { type: 'RECORD', record: { stream: 'users', data: { id: i, pad: 'x'.repeat(200) }, emitted_at: 1 } };
      yield { type: 'STATE', state: { type: 'STREAM', stream: { stream_descriptor: { name: 'users' }, stream_state: { cursor: 1 } } } };
    }
    const out = await collect(connector().write({ mode: 'ok' }, catalog, input()).messages());
    expect(out.map((m) => m.type)).toEqual(['STATE']);
  });

  it('TRACE ERROR becomes ConnectorFailedError with its failure_type', async () => {
    const run = connector().read({ mode: 'config_error' }, catalog);
    const err = await run.done().catch((e) => e);
    expect(err).toBeInstanceOf(ConnectorFailedError);
    expect(err).toMatchObject({ failureType: 'config_error', message: 'Bad api key', context: { exitCode: 1 } });
    expect(userSees(err)).toEqual({ exit: 1, line: 'error AIRDOCK_CONNECTOR_FAILED: Bad api key (connector="misbehave", command="read", exitCode=1). The connector rejected its config; fix it and run again' });
    expect(await connector().check({ mode: 'trace_error' })).toEqual({ status: 'FAILED', message: 'The API said no' });
  });

  it('a crash is ConnectorExitError with the exit code and the stderr tail', async () => {
    const err = await connector().read({ mode: 'exit1' }, catalog).done().catch((e) => e);
    expect(err).toBeInstanceOf(ConnectorExitError);
    expect(err.context).toMatchObject({ exitCode: 1, stderrTail: ['fatal: something broke'] });
    expect(userSees(err)).toEqual({ exit: 1, line: expect.stringMatching(/^error AIRDOCK_CONNECTOR_EXIT: The connector exited with an error \(connector="misbehave", command="read", exitCode=1\)\./) });
    const killed = await connector().read({ mode: 'exit137' }, catalog).done().catch((e) => e);
    expect(killed).toBeInstanceOf(ConnectorExitError);
    expect(killed.context).toMatchObject({ signal: 'SIGKILL' });
    expect(userSees(killed).line).toMatch(/^error AIRDOCK_CONNECTOR_EXIT: The connector was killed by a signal .*signal="SIGKILL"/);
  });

  it('keeps the last 200 stderr lines', async () => {
    const run = connector().read({ mode: 'stderr_flood' }, catalog);
    const err = await run.done().catch((e) => e);
    expect(err.context.exitCode).toBe(2);
    const tail = run.stderrTail();
    expect(tail).toHaveLength(200);
    expect(tail.at(-1)).toMatch(/^noise line 4999 \.+$/);
  });

  it('noise lines are logged, not fatal; huge lines pass', async () => {
    const run = connector().read({ mode: 'garbage', count: 1 }, catalog);
    await run.done();
    expect(logLines.some((l) => l.includes('this is not json'))).toBe(true);
    const big = await connector().read({ mode: 'huge_line', count: 1 }, catalog).done();
    expect(big.counts.LOG).toBe(1);
  });

  it('missing output is MissingOutputError', async () => {
    const err = await connector().discover({ mode: 'no_output' }).catch((e) => e);
    expect(err).toBeInstanceOf(MissingOutputError);
    expect(userSees(err)).toEqual({ exit: 1, line: expect.stringMatching(/^error AIRDOCK_PROTOCOL_NO_OUTPUT: The connector exited without its result \(.*expected="CATALOG"/) });
  });

  it('timeout and heartbeat stop the connector with ConnectorTimeoutError', async () => {
    const t0 = Date.now();
    const slow = await connector({ timeouts: { discover: 300 } }).discover({ mode: 'hang' }).catch((e) => e);
    expect(slow).toBeInstanceOf(ConnectorTimeoutError);
    expect(userSees(slow)).toEqual({ exit: 1, line: expect.stringMatching(/^error AIRDOCK_CONNECTOR_TIMEOUT: The connector did not finish in time \(.*timeoutMs=300/) });
    const run = connector({ heartbeatMs: 300 }).read({ mode: 'ignore_term' }, catalog);
    const { summary, error: err } = await run.settled();
    expect(err).toBeInstanceOf(ConnectorTimeoutError);
    expect(err).toMatchObject({ code: 'AIRDOCK_CONNECTOR_TIMEOUT', message: 'The connector sent no message for too long', context: { heartbeatMs: 300 } });
    // It ignored SIGTERM: it was killed after the grace period, and its job dir is gone.
    expect(summary.exit).toMatchObject({ terminated: true, signal: 'SIGKILL' });
    expect(readdirSync(tmpRoot)).toEqual([]);
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('abort mid-read stops it and rejects with AbortedError', async () => {
    const ac = new AbortController();
    const run = connector().read({ mode: 'slow', count: 100 }, catalog, undefined, { signal: ac.signal });
    const seen: AirbyteMessage[] = [];
    const err = await (async () => {
      for await (const m of run.messages()) { seen.push(m); if (seen.length === 2) ac.abort(); }
    })().catch((e) => e);
    expect(err).toBeInstanceOf(AbortedError);
    expect(userSees(err)).toEqual({ exit: 130, line: expect.stringMatching(/^error AIRDOCK_ABORTED: The run was interrupted/) });
    const { summary, error } = await run.settled();
    expect(error).toBe(err);
    expect(summary.exit.terminated).toBe(true);
    expect(readdirSync(tmpRoot)).toEqual([]);
  });

  it('breaking out of the iteration stops the connector cleanly', async () => {
    const run = connector().read({ mode: 'slow', count: 100 }, catalog);
    for await (const _ of run.messages()) break;
    expect((await run.done()).exit.terminated).toBe(true);
  });

  it('leaves no job dir behind', () => {
    expect(readdirSync(tmpRoot)).toEqual([]);
  });
});
