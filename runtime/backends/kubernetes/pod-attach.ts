import type { RequestOptions } from 'node:https';
import { PassThrough, Writable } from 'node:stream';
import type { KubeConfig } from '@kubernetes/client-node';
import WebSocket from 'ws';

const STDIN = 0, STDOUT = 1, STDERR = 2, STATUS = 3, CLOSE = 255;

export interface PodStreams {
  stdin: Writable;
  stdout: PassThrough;
  stderr: PassThrough;
  /** Resolves when the attach connection has closed (the container exited, or the pod went away). */
  closed: Promise<void>;
  /** Drops the connection (the pod is being deleted). */
  close(): void;
}

/**
 * Attaches to the pod's container over `v5.channel.k8s.io`: one channel byte before each frame,
 * and a CLOSE frame that ends stdin alone (the connector sees EOF; its stdout keeps flowing).
 * Written on `ws` rather than the client's Attach because that one has no backpressure (a slow
 * consumer would buffer the whole read in memory), copies every frame, and ends the process's own
 * stdout when the server closes a stream. Here a full stdout or stderr pauses the socket, so TCP
 * flow control slows the kubelet, the container runtime and, in the end, the connector.
 */
export async function attachPod(kc: KubeConfig, namespace: string, pod: string, container: string, signal?: AbortSignal): Promise<PodStreams> {
  return podStreams(await connect(kc, namespace, pod, container, signal));
}

async function connect(kc: KubeConfig, namespace: string, pod: string, container: string, signal?: AbortSignal): Promise<WebSocket> {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('the kubeconfig has no current cluster');
  const query = new URLSearchParams({ container, stdin: 'true', stdout: 'true', stderr: 'true', tty: 'false' });
  const url = `${cluster.server.replace(/^http/, 'ws').replace(/\/$/, '')}/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/attach?${query}`;
  const opts: RequestOptions = {};
  await kc.applyToHTTPSOptions(opts);
  const ws = new WebSocket(url, ['v5.channel.k8s.io'], { ...(opts as WebSocket.ClientOptions), perMessageDeflate: false, maxPayload: 64 * 1024 * 1024 });
  await new Promise<void>((resolve, reject) => {
    const onAbort = () => { ws.terminate(); reject(signal!.reason); };
    signal?.addEventListener('abort', onAbort, { once: true });
    ws.once('open', () => { signal?.removeEventListener('abort', onAbort); resolve(); });
    ws.once('unexpected-response', (_req, res) => {
      signal?.removeEventListener('abort', onAbort);
      reject(new Error(`attach refused: HTTP ${res.statusCode}`));
      res.resume();
    });
    ws.once('error', (err) => { signal?.removeEventListener('abort', onAbort); reject(err); });
  });
  if (ws.protocol !== 'v5.channel.k8s.io') {
    ws.terminate();
    throw new Error(`the API server does not speak v5.channel.k8s.io (got "${ws.protocol}"): stdin cannot be half-closed`);
  }
  return ws;
}

function podStreams(ws: WebSocket): PodStreams {

  const stdout = new PassThrough({ highWaterMark: 1024 * 1024 });
  const stderr = new PassThrough();
  let paused = false;
  const resume = () => {
    if (paused && !stdout.writableNeedDrain && !stderr.writableNeedDrain) { paused = false; ws.resume(); }
  };
  stdout.on('drain', resume);
  stderr.on('drain', resume);
  ws.on('message', (data: Buffer, isBinary) => {
    if (!isBinary || data.length < 1) return;
    const channel = data[0];
    const body = data.subarray(1);
    let ok = true;
    if (channel === STDOUT) ok = body.length === 0 || stdout.write(body);
    else if (channel === STDERR) ok = body.length === 0 || stderr.write(body);
    else if (channel === CLOSE && data[1] === STDOUT) stdout.end();
    else if (channel === CLOSE && data[1] === STDERR) stderr.end();
    else if (channel === STATUS) { /* the exit code is taken from the pod status, which also knows OOMKilled */ }
    if (!ok && !paused) { paused = true; ws.pause(); }
  });
  const closed = new Promise<void>((resolve) => {
    ws.once('close', () => {
      if (!stdout.writableEnded) stdout.end();
      if (!stderr.writableEnded) stderr.end();
      resolve();
    });
  });
  ws.on('error', () => { /* 'close' follows */ });

  const stdin = new Writable({
    highWaterMark: 1024 * 1024,
    write(chunk: Buffer, _enc, cb) {
      if (ws.readyState !== WebSocket.OPEN) { cb(); return; } // the connector is gone: its exit status says why
      const frame = Buffer.allocUnsafe(chunk.length + 1);
      frame[0] = STDIN;
      chunk.copy(frame, 1);
      // the callback fires once the frame is handed to the socket: at most one frame in flight per
      // write, so a slow connector (its stdin pipe full) slows whoever writes here
      ws.send(frame, () => cb());
    },
    final(cb) {
      if (ws.readyState === WebSocket.OPEN) ws.send(Buffer.from([CLOSE, STDIN]), () => cb());
      else cb();
    },
  });
  return { stdin, stdout, stderr, closed, close: () => ws.terminate() };
}
