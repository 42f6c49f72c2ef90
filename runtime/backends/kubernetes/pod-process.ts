import type { PassThrough, Writable } from 'node:stream';
import type { CoreV1Api } from '@kubernetes/client-node';
import type { ConnectorProcess, ExitStatus, StartOptions } from '../../launcher/backend.js';
import { closedStdin } from '../closed-stdin.js';
import { containerExit, terminateOnAbort } from '../container-exit.js';
import type { PodStreams } from './pod-attach.js';
import { deletePod } from './delete-pod.js';
import { waitForEnd } from './pod-status.js';

/** After the attach closes, how long the kubelet may take to report the container's end. */
const STATUS_WAIT_MS = 30_000;

/** One connector pod: its attached stdio, its exit status from the pod status, its deletion. */
export class PodProcess implements ConnectorProcess {
  readonly stdin: Writable;
  readonly stdout: PassThrough;
  readonly stderr: PassThrough;
  readonly #api: CoreV1Api;
  readonly #namespace: string;
  readonly #name: string;
  readonly #streams: PodStreams;
  readonly #exited: Promise<ExitStatus>;
  #done = false;
  #terminated = false;
  #stopping: Promise<ExitStatus> | undefined;

  constructor(api: CoreV1Api, namespace: string, name: string, streams: PodStreams, o: StartOptions, remove: () => Promise<void>) {
    this.#api = api;
    this.#namespace = namespace;
    this.#name = name;
    this.#streams = streams;
    this.stdout = streams.stdout;
    this.stderr = streams.stderr;
    this.stdin = o.stdin ? streams.stdin : closedStdin();
    // Writing after the pod is gone fails; the exit status reports why, so do not crash on it.
    this.stdin.on('error', () => {});
    this.#exited = (async () => {
      await streams.closed;
      const end = await waitForEnd(api, namespace, name, this.#terminated ? 5_000 : STATUS_WAIT_MS);
      await remove();
      this.#done = true;
      const code = end?.exitCode ?? null;
      return containerExit(code, end?.oomKilled === true, this.#terminated);
    })();
    terminateOnAbort(o.signal, this, this.#exited);
  }

  wait(): Promise<ExitStatus> {
    return this.#exited;
  }

  terminate(graceMs = 10_000): Promise<ExitStatus> {
    this.#stopping ??= (async () => {
      if (!this.#done) {
        this.#terminated = true;
        // the kubelet sends SIGTERM, waits the grace period, then SIGKILL; the attach closes when it has ended
        const graceSeconds = Math.max(1, Math.ceil(graceMs / 1000));
        await deletePod(this.#api, this.#namespace, this.#name, graceSeconds);
        const timer = setTimeout(() => this.#streams.close(), graceMs + 15_000);
        try {
          return await this.#exited;
        } finally {
          clearTimeout(timer);
        }
      }
      return this.#exited;
    })();
    return this.#stopping;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.terminate();
  }
}

