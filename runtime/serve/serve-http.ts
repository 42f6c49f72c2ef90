import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ServeListenError } from '../../protocol/index.js';
import type { Logger } from '../log/logger.js';
import type { SyncServer } from './sync-server.js';

export interface ServeHttpOptions {
  host: string;
  port: number;
  /** When set, POST routes need `Authorization: Bearer <token>`. */
  token?: string;
  log: Logger;
}

export interface ServeHttp extends AsyncDisposable {
  /** Where it listens (the real port when 0 was asked for). */
  readonly url: string;
  close(): Promise<void>;
}

const ROUTE = /^\/connections\/([^/]+)\/(sync|cancel)$/;

/**
 * The HTTP face of a SyncServer: probes (/healthz: the process answers; /readyz: every state store
 * answers and the server is not stopping), /metrics for Prometheus, GET /connections, and the POST
 * routes that start or cancel a sync. Responses are JSON except /metrics and the probes.
 */
export async function listenServeHttp(server: SyncServer, o: ServeHttpOptions): Promise<ServeHttp> {
  const token = o.token ? Buffer.from(`Bearer ${o.token}`) : undefined;
  const http = createServer((req, res) => {
    handle(server, req, res, token).catch((err: unknown) => {
      o.log.error(`HTTP ${req.method} ${req.url?.split('?')[0]} failed: ${(err as Error).message}`);
      if (!res.headersSent) json(res, 500, { error: 'internal error' });
      else res.end();
    });
  });
  // A scrape or probe must not hold the server open when it stops.
  http.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    http.once('error', (err: NodeJS.ErrnoException) => reject(new ServeListenError('The server cannot listen on this address', {
      cause: err, context: { host: o.host, port: o.port, reason: err.code },
    })));
    http.listen(o.port, o.host, () => resolve());
  });
  const a = http.address() as AddressInfo;
  const host = a.family === 'IPv6' ? `[${a.address}]` : a.address;
  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= new Promise<void>((resolve) => {
      http.close(() => resolve());
      http.closeAllConnections();
    });
    return closed;
  };
  return { url: `http://${host}:${a.port}`, close, [Symbol.asyncDispose]: close };
}

async function handle(server: SyncServer, req: IncomingMessage, res: ServerResponse, token: Buffer | undefined): Promise<void> {
  const path = (req.url ?? '/').split('?')[0]!;
  const method = req.method ?? 'GET';
  req.resume();
  if (method === 'GET' || method === 'HEAD') {
    if (path === '/healthz') return text(res, 200, 'ok\n');
    if (path === '/readyz') return (await server.ready()) ? text(res, 200, 'ready\n') : text(res, 503, server.closing ? 'stopping\n' : 'state store unreachable\n');
    if (path === '/metrics') {
      const body = await server.metrics.text();
      res.writeHead(200, { 'content-type': server.metrics.contentType });
      return void res.end(body);
    }
    if (path === '/connections') return json(res, 200, { connections: server.list() });
  }
  const m = ROUTE.exec(path);
  if (method === 'POST' && m) {
    if (token && !authorized(req.headers.authorization, token)) {
      res.setHeader('www-authenticate', 'Bearer');
      return json(res, 401, { error: 'a bearer token is required (AIRDOCK_SERVE_TOKEN)' });
    }
    const name = decodeURIComponent(m[1]!);
    if (!server.has(name)) return json(res, 404, { error: 'no such connection', connection: name });
    if (m[2] === 'cancel') {
      return server.cancel(name) ? json(res, 202, { connection: name, status: 'cancelling' }) : json(res, 409, { error: 'not running', connection: name });
    }
    const r = server.trigger(name);
    if (r === 'busy') return json(res, 409, { error: 'already running or queued', connection: name });
    if (r === 'closing') return json(res, 503, { error: 'the server is stopping', connection: name });
    return json(res, 202, { connection: name, status: r });
  }
  const known = ['/healthz', '/readyz', '/metrics', '/connections'].includes(path) || ROUTE.test(path);
  return json(res, known ? 405 : 404, { error: known ? 'method not allowed' : 'not found' });
}

function authorized(header: string | undefined, token: Buffer): boolean {
  const given = Buffer.from(header ?? '');
  return given.length === token.length && timingSafeEqual(given, token);
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(`${JSON.stringify(body)}\n`);
}

function text(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(body);
}
