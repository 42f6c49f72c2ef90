#!/usr/bin/env node
// airdock test server: the ClickHouse HTTP interface over chDB (the ClickHouse engine as a library, npm `chdb`).
// No recent clickhouse-server can be installed from the package registries this project reaches, so the tests
// talk to the real engine (MergeTree, ReplacingMergeTree, FINAL, EXCHANGE TABLES, settings, error codes are
// the engine's own) through this small front. What it speaks, because @clickhouse/client uses it:
//   GET /ping; GET|POST /?query=...; a body that is the query, or INSERT data when ?query= holds the INSERT;
//   database=, param_* (bound verbatim by the engine), every other URL parameter applied as a setting for
//   that request only (an unknown setting fails with the engine's UNKNOWN_SETTING, as a server does);
//   request bodies in gzip, deflate or br; gzip/br responses when enable_http_compression=1 is asked for;
//   users: when CH_PASSWORD is set, every request must authenticate as CH_USER (default `default`) with
//   it (X-ClickHouse-User/Key headers, Basic auth or user/password parameters), else code 516.
// What it does not do (the tests' README lists these): sessions (session_id is ignored; one shared
// session), parallel requests (one at a time), the native TCP protocol, progress headers, results streamed
// while the query runs (a result is complete before it is sent), roles, grants, quotas.
// Usage: node chdb-http-server.cjs <port> <dataDir>   (NODE_PATH must reach the chdb package)
'use strict';
const http = require('node:http');
const zlib = require('node:zlib');
const path = require('node:path');
const crypto = require('node:crypto');
const { Session } = require('chdb');

const chdbDir = path.dirname(require.resolve('chdb'));
const native = require(path.join(chdbDir, 'dist', 'loader.js')).loadNative();
const { ChdbResult } = require(path.join(chdbDir, 'dist', 'result.js'));

const port = Number(process.argv[2] || 8123);
const dataDir = process.argv[3] || '/tmp/airdock-chdb';
const host = process.env.CH_HOST || '127.0.0.1';
const user = process.env.CH_USER || 'default';
const password = process.env.CH_PASSWORD || '';

// chDB differs from clickhouse-server in these defaults; a server's values make the tests mean something.
const SERVER_DEFAULTS = { implicit_select: '0', allow_introspection_functions: '0' };
function openSession() {
  const s = new Session(dataDir);
  for (const [k, v] of Object.entries(SERVER_DEFAULTS)) s.query(`SET ${k} = ${v}`, 'TSV');
  return s;
}
let session = openSession();

// URL parameters of the HTTP protocol itself, never settings.
const PROTOCOL_PARAMS = new Set(['query', 'query_id', 'database', 'default_format', 'session_id', 'session_timeout',
  'session_check', 'user', 'password', 'quota_key', 'compress', 'decompress', 'buffer_size', 'wait_end_of_query', 'role']);

let queue = Promise.resolve();
/** One request at a time: chDB's session is a single connection. */
function serial(fn) {
  const p = queue.then(fn, fn);
  queue = p.catch(() => {});
  return p;
}

async function readBody(req) {
  const enc = String(req.headers['content-encoding'] || '').toLowerCase();
  let src = req;
  if (enc === 'gzip') src = req.pipe(zlib.createGunzip());
  else if (enc === 'deflate') src = req.pipe(zlib.createInflate());
  else if (enc === 'br') src = req.pipe(zlib.createBrotliDecompress());
  else if (enc && enc !== 'identity') throw Object.assign(new Error(`Code: 1. DB::Exception: Unknown HTTP compression method: ${enc}. (UNKNOWN_EXCEPTION)`), { status: 400 });
  if (src !== req) req.on('error', (e) => src.destroy(e));
  const chunks = [];
  // Iteration throws on a body cut short (client killed mid-insert): nothing of it is inserted.
  for await (const c of src) chunks.push(c);
  if (!req.complete) throw new Error('Code: 1. DB::Exception: Request body incomplete. (UNKNOWN_EXCEPTION)');
  return Buffer.concat(chunks);
}

const quote = (v) => `'${String(v).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const ident = (v) => '`' + String(v).replace(/\\/g, '\\\\').replace(/`/g, '\\`') + '`';

function codeOf(message) {
  const m = /Code: (\d+)/.exec(message);
  return m ? Number(m[1]) : 1002;
}

function sendError(res, queryId, err) {
  let msg = String((err && err.message) || err).replace(/^Query failed: /, '');
  const code = codeOf(msg);
  if (!/Code: \d+/.test(msg)) msg = `Code: ${code}. DB::Exception: ${msg} (UNKNOWN_EXCEPTION)`;
  const status = err && err.status ? err.status : code === 516 ? 401 : code === 60 || code === 81 ? 404 : code === 62 ? 400 : 500;
  if (res.headersSent) { res.destroy(); return; }
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=UTF-8',
    'X-ClickHouse-Exception-Code': String(code),
    'X-ClickHouse-Query-Id': queryId,
  });
  res.end(msg.endsWith('\n') ? msg : `${msg}\n`);
}

function credentials(req, qp) {
  const h = req.headers;
  if (h['x-clickhouse-user'] !== undefined || h['x-clickhouse-key'] !== undefined) {
    return { u: String(h['x-clickhouse-user'] || 'default'), p: String(h['x-clickhouse-key'] || '') };
  }
  const auth = String(h.authorization || '');
  if (auth.startsWith('Basic ')) {
    const dec = Buffer.from(auth.slice(6), 'base64').toString('utf8');
    const i = dec.indexOf(':');
    return { u: i < 0 ? dec : dec.slice(0, i), p: i < 0 ? '' : dec.slice(i + 1) };
  }
  return { u: qp.get('user') || 'default', p: qp.get('password') || '' };
}

function authenticated(c) {
  if (!password) return true;
  const a = Buffer.from(`${c.u}\u0000${c.p}`);
  const b = Buffer.from(`${user}\u0000${password}`);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

function compressResponse(req, qp, out) {
  if (qp.get('enable_http_compression') !== '1' || out.length === 0) return { body: out, encoding: undefined };
  const accept = String(req.headers['accept-encoding'] || '');
  if (/\bgzip\b/.test(accept)) return { body: zlib.gzipSync(out, { level: 1 }), encoding: 'gzip' };
  if (/\bbr\b/.test(accept)) return { body: zlib.brotliCompressSync(out, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } }), encoding: 'br' };
  if (/\bdeflate\b/.test(accept)) return { body: zlib.deflateSync(out, { level: 1 }), encoding: 'deflate' };
  return { body: out, encoding: undefined };
}

async function run(qp, sql, insertBody) {
  const params = {};
  const settings = [];
  for (const [k, v] of qp) {
    if (k.startsWith('param_')) params[k.slice(6)] = v;
    else if (!PROTOCOL_PARAMS.has(k)) settings.push([k, v]);
  }
  const format = qp.get('default_format') || 'TabSeparated';
  await session.queryAsync(`USE ${ident(qp.get('database') || 'default')}`);
  const applied = [];
  try {
    // A setting the engine does not know fails the request, as it does on a server (UNKNOWN_SETTING).
    for (const [k, v] of settings) {
      await session.queryAsync(`SET ${ident(k)} = ${quote(v)}`);
      applied.push(k);
    }
    if (insertBody) {
      const r = await native.InsertRawAsyncConnection(session.connection, sql.trim(), insertBody, false);
      return { out: Buffer.alloc(0), written: r || {} };
    }
    const result = Object.keys(params).length
      ? new ChdbResult(await native.QueryAsyncConnection(session.connection, sql, format, params))
      : await session.queryAsync(sql, { format });
    return { out: Buffer.from(result.bytes()), read: result };
  } finally {
    let restored = true;
    for (const k of applied) {
      const back = Object.prototype.hasOwnProperty.call(SERVER_DEFAULTS, k) ? SERVER_DEFAULTS[k] : 'DEFAULT';
      try { await session.queryAsync(`SET ${ident(k)} = ${back}`); } catch { restored = false; }
    }
    // A setting can forbid its own reset (max_query_size below the SET's length, readonly): then this
    // request's settings would leak into every later one, so the session is replaced (data stays on disk).
    if (!restored) {
      try { session.close(); } catch { /* replaced below */ }
      session = openSession();
    }
  }
}

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url, 'http://localhost');
  const qp = url.searchParams;
  if (url.pathname === '/ping' || (req.method === 'GET' && !qp.has('query'))) {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=UTF-8' });
    res.end('Ok.\n');
    return;
  }
  const queryId = qp.get('query_id') || crypto.randomUUID();
  const cred = credentials(req, qp);
  if (!authenticated(cred)) {
    req.resume();
    sendError(res, queryId, new Error(`Code: 516. DB::Exception: ${cred.u}: Authentication failed: password is incorrect, or there is no user with such name. (AUTHENTICATION_FAILED)`));
    return;
  }
  let body;
  try { body = await readBody(req); } catch (e) { sendError(res, queryId, e); return; }
  let sql = qp.get('query');
  let insertBody = null;
  if (sql && body.length) insertBody = body;
  else if (!sql) sql = body.toString('utf8');
  try {
    const r = await serial(() => run(qp, sql, insertBody));
    const { body: out, encoding } = compressResponse(req, qp, r.out);
    const read = r.read || {};
    res.writeHead(200, {
      'Content-Type': 'text/plain; charset=UTF-8',
      'X-ClickHouse-Query-Id': queryId,
      'X-ClickHouse-Format': qp.get('default_format') || 'TabSeparated',
      'X-ClickHouse-Summary': JSON.stringify({
        read_rows: String(read.rowsRead || 0), read_bytes: String(read.bytesRead || 0),
        written_rows: String(r.written?.rowsWritten || 0), written_bytes: String(r.written?.bytesWritten || 0),
        total_rows_to_read: '0', result_rows: '0', result_bytes: String(r.out.length), elapsed_ns: String(Math.round((read.elapsed || 0) * 1e9)),
      }),
      ...(encoding ? { 'Content-Encoding': encoding } : {}),
      'Content-Length': out.length,
    });
    res.end(out);
  } catch (e) {
    sendError(res, queryId, e);
  }
});

server.keepAliveTimeout = 10_000;
server.listen(port, host, () => {
  const v = session.query('SELECT version()', 'TSV').trim();
  console.log(`chdb-http-server: ClickHouse ${v} (chDB) on ${host}:${port}, data in ${dataDir}`);
});
function shutdown() {
  server.close();
  try { session.close(); } catch { /* exiting */ }
  process.exit(0);
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
