#!/usr/bin/env node
// Fault-injection Airbyte connector (image airdock-test/misbehave:1). Speaks the protocol normally in
// mode "ok" (spec/check/discover/read/write) and misbehaves on demand otherwise.
//
// Behaviour comes from the config file (--config) and/or env vars (env wins, so `spec`, which has no
// config, can misbehave too):
//   mode (MISBEHAVE_MODE): ok | exit1 | exit137 | garbage | huge_line | hang | slow | trace_error
//                          | config_error | stderr_flood | no_output | ignore_term | oom
//   count (MISBEHAVE_COUNT)               records per `read` (default 10)
//   slow_ms (MISBEHAVE_SLOW_MS)           delay between records in mode slow (default 200)
//   huge_line_bytes (MISBEHAVE_HUGE_LINE_BYTES)   size of the huge line (default 3 MiB)
//   stderr_lines (MISBEHAVE_STDERR_LINES) lines written in mode stderr_flood (default 5000)
//   api_key: "wrong" makes `check` answer FAILED; "crash-on-check" makes it crash (TRACE system_error, exit 1).
//   total (MISBEHAVE_TOTAL)               records in the stream: a read from state cursor c returns ids c+1..total
//                                         (default: none, each read returns `count` more)
//   state_every (MISBEHAVE_STATE_EVERY)   a STATE after every n records (default: one at the end)
// `write` echoes every STATE it receives once the records before it are read; `read` of a stream it
// does not have fails with a config_error TRACE.
//
// Acceptance faults (`airdock test`): each breaks exactly one of CAT's suites and nothing else.
//   spec_secret_unmarked   spec: a `password` property not marked airbyte_secret
//   check_crash            connection: `check` crashes (TRACE system_error, exit 1) instead of answering
//   discover_closed_schema discovery: the stream schema sets additionalProperties: false
//   read_bad_record        basic_read: record 3 has a number where its schema says string
//   read_nondeterministic  full_refresh: every read returns different names
//   read_ignores_state     incremental: a read from a state starts over from the first record
//   write_drops_state      write: the destination echoes no STATE
import { readFileSync } from 'node:fs';

const MODES = ['ok', 'exit1', 'exit137', 'garbage', 'huge_line', 'hang', 'slow', 'trace_error', 'config_error',
  'stderr_flood', 'no_output', 'ignore_term', 'oom', 'spec_secret_unmarked', 'check_crash', 'discover_closed_schema',
  'read_bad_record', 'read_nondeterministic', 'read_ignores_state', 'write_drops_state'];

const [cmd, ...rest] = process.argv.slice(2);
const arg = (name) => { const i = rest.indexOf(name); return i === -1 ? undefined : rest[i + 1]; };
const readJson = (name) => (arg(name) ? JSON.parse(readFileSync(arg(name), 'utf8')) : undefined);
const config = readJson('--config') ?? {};
const setting = (key, envName, fallback) => process.env[envName] ?? config[key] ?? fallback;
const mode = String(setting('mode', 'MISBEHAVE_MODE', 'ok'));
const count = Number(setting('count', 'MISBEHAVE_COUNT', 10));
const slowMs = Number(setting('slow_ms', 'MISBEHAVE_SLOW_MS', 200));
const hugeBytes = Number(setting('huge_line_bytes', 'MISBEHAVE_HUGE_LINE_BYTES', 3 * 1024 * 1024));
const stderrLines = Number(setting('stderr_lines', 'MISBEHAVE_STDERR_LINES', 5000));
const total = setting('total', 'MISBEHAVE_TOTAL', undefined);
const stateEvery = Number(setting('state_every', 'MISBEHAVE_STATE_EVERY', 0));

const now = () => Date.now();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// Respect backpressure: a huge or fast stream must not be buffered whole in this process.
const write = (stream, text) => new Promise((r) => (stream.write(text) ? r() : stream.once('drain', r)));
const out = (m) => write(process.stdout, JSON.stringify(m) + '\n');
// process.exit() drops output still queued for a pipe: flush both streams first.
const exit = (code) => process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
const stop = (code) => { exit(code); return sleep(3_600_000); };
const trace = (message, failure_type) =>
  out({ type: 'TRACE', trace: { type: 'ERROR', emitted_at: now(), error: { message, failure_type, internal_message: 'misbehave: injected failure', stack_trace: 'at misbehave (misbehave.mjs)' } } });

const spec = {
  documentationUrl: 'https://docs.airbyte.com/',
  connectionSpecification: {
    $schema: 'http://json-schema.org/draft-07/schema#', title: 'Misbehave', type: 'object', required: ['mode'], additionalProperties: true,
    properties: {
      mode: { type: 'string', enum: MODES },
      count: { type: 'integer', minimum: 0 },
      slow_ms: { type: 'integer', minimum: 0 },
      huge_line_bytes: { type: 'integer', minimum: 1 },
      stderr_lines: { type: 'integer', minimum: 0 },
      api_key: { type: 'string', airbyte_secret: true },
      total: { type: 'integer', minimum: 0 },
      state_every: { type: 'integer', minimum: 0 },
      ...(mode === 'spec_secret_unmarked' ? { password: { type: 'string' } } : {}),
    },
  },
  supported_destination_sync_modes: ['overwrite', 'append'],
};
const catalog = {
  streams: [{
    name: 'users',
    json_schema: { type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' } }, ...(mode === 'discover_closed_schema' ? { additionalProperties: false } : {}) },
    supported_sync_modes: ['full_refresh', 'incremental'], source_defined_cursor: true, default_cursor_field: ['id'], source_defined_primary_key: [['id']],
  }],
};

if (!MODES.includes(mode)) {
  await trace(`unknown mode ${JSON.stringify(mode)}; expected one of ${MODES.join(', ')}`, 'config_error');
  await stop(1);
}
if (mode === 'ignore_term') process.on('SIGTERM', () => process.stderr.write('SIGTERM ignored\n'));

async function misbehave() {
  switch (mode) {
    case 'exit1': process.stderr.write('fatal: something broke\n'); await stop(1); break;
    case 'exit137':
      process.stderr.write('killed\n');
      await new Promise((r) => process.stderr.write('', r));
      // As PID 1 (no --init) a self-sent SIGKILL is ignored: then exit with the same code.
      try { process.kill(process.pid, 'SIGKILL'); } catch { /* fall through */ }
      await sleep(200);
      process.exit(137);
      break;
    case 'garbage':
      await write(process.stdout, 'this is not json\n{"type":"NOPE"}\n\x00\x01 binary noise \xff\n{"truncated": \n');
      break;
    case 'huge_line': {
      const head = '{"type":"LOG","log":{"level":"INFO","message":"';
      await write(process.stdout, head + 'x'.repeat(Math.max(0, hugeBytes - head.length - 4)) + '"}}\n');
      break;
    }
    case 'hang': case 'ignore_term': await sleep(3_600_000); break;
    case 'trace_error': await trace('The API said no', 'system_error'); await stop(1); break;
    case 'config_error': await trace('Bad api key', 'config_error'); await stop(1); break;
    case 'stderr_flood':
      for (let i = 0; i < stderrLines; i++) await write(process.stderr, `noise line ${i} ${'.'.repeat(60)}\n`);
      await stop(2);
      break;
    case 'no_output': await stop(0); break;
    case 'oom': {
      const hog = [];
      // Buffers live outside the V8 heap, so the cgroup memory limit (not --max-old-space-size) is hit.
      for (;;) { hog.push(Buffer.alloc(16 * 1024 * 1024, 1)); await sleep(1); }
    }
    default: break;
  }
}

async function main() {
  if (cmd === 'spec') {
    if (process.env.MISBEHAVE_MODE) await misbehave();
    await out({ type: 'SPEC', spec });
    return;
  }
  await misbehave();
  if (cmd === 'check' && (mode === 'check_crash' || config.api_key === 'crash-on-check')) {
    await trace('check crashed', 'system_error');
    await stop(1);
  }
  if (cmd === 'check') {
    await out({ type: 'LOG', log: { level: 'INFO', message: 'checking' } });
    await out({ type: 'CONNECTION_STATUS', connectionStatus: config.api_key === 'wrong' ? { status: 'FAILED', message: 'api key rejected' } : { status: 'SUCCEEDED' } });
  } else if (cmd === 'discover') {
    await out({ type: 'CATALOG', catalog });
  } else if (cmd === 'read') {
    const configured = readJson('--catalog')?.streams ?? [];
    const unknown = configured.find((s) => s.stream?.name !== 'users');
    if (unknown) {
      await trace(`unknown stream ${JSON.stringify(unknown.stream?.name)}`, 'config_error');
      await stop(1);
    }
    const state = mode === 'read_ignores_state' ? undefined : readJson('--state');
    const from = Number(state?.[0]?.stream?.stream_state?.cursor ?? state?.cursor ?? 0);
    const last = total === undefined ? from + count : Number(total);
    const salt = mode === 'read_nondeterministic' ? ` ${Math.random().toString(36).slice(2)}` : '';
    let sinceState = 0;
    const emitState = (cursor) => out({ type: 'STATE', state: { type: 'STREAM', stream: { stream_descriptor: { name: 'users' }, stream_state: { cursor } }, sourceStats: { recordCount: sinceState } } });
    for (let i = from + 1; i <= last; i++) {
      const name = mode === 'read_bad_record' && i === 3 ? 12345 : `user ${i}${salt}`;
      await out({ type: 'RECORD', record: { stream: 'users', data: { id: i, name }, emitted_at: now() } });
      sinceState++;
      if (mode === 'slow') await sleep(slowMs);
      if (stateEvery > 0 && sinceState === stateEvery && i < last) { await emitState(i); sinceState = 0; }
    }
    await emitState(Math.max(from, last));
  } else if (cmd === 'write') {
    let buf = '';
    for await (const chunk of process.stdin) {
      buf += chunk;
      let nl;
      while ((nl = buf.indexOf('\n')) !== -1) {
        const line = buf.slice(0, nl); buf = buf.slice(nl + 1);
        if (line.includes('"STATE"') && mode !== 'write_drops_state') await write(process.stdout, line + '\n');
      }
    }
  } else {
    process.stderr.write(`unknown command ${cmd ?? '(none)'}: expected spec, check, discover, read or write\n`);
    await stop(2);
  }
}
await main();
