import { randomBytes } from 'node:crypto';
import { silentLogger, type Logger } from '../log/logger.js';
import type { Backend, ImageBackendName, LaunchTarget } from './backend.js';
import { ConnectorRun } from './connector-run.js';
import type { LaunchSpec } from './launch-spec.js';

/** A backend, or a factory for one so that dockerode is loaded only when an image is run. */
export type BackendProvider = Backend | (() => Backend | Promise<Backend>);

export interface LauncherDeps {
  /** `process` runs command targets, `docker` or `kubernetes` image targets, `python` python and manifest targets. */
  backends: { process?: BackendProvider; docker?: BackendProvider; kubernetes?: BackendProvider; python?: BackendProvider };
  /** The backend for images when a run does not name one. Default docker. */
  imageBackend?: ImageBackendName;
  log?: Logger;
}

/** Starts connector runs on the backend their target needs. */
export class Launcher {
  readonly #providers: LauncherDeps['backends'];
  readonly #cache = new Map<string, Promise<Backend>>();
  readonly #log: Logger;
  readonly #imageBackend: ImageBackendName;

  constructor(deps: LauncherDeps) {
    this.#providers = deps.backends;
    this.#log = deps.log ?? silentLogger;
    this.#imageBackend = deps.imageBackend ?? 'docker';
  }

  run(spec: LaunchSpec): ConnectorRun {
    const log = spec.log ?? this.#log.child(spec.connectorName);
    return new ConnectorRun(spec, this.backendFor(spec.target, spec.backend), spec.runId ?? newRunId(), log);
  }

  backendFor(target: LaunchTarget, imageBackend?: ImageBackendName): Promise<Backend> {
    const key = backendKey(target, imageBackend ?? this.#imageBackend);
    let b = this.#cache.get(key);
    if (!b) {
      const provider = this.#providers[key];
      b = provider === undefined ? Promise.reject(new Error(`No ${key} backend configured`))
        : Promise.resolve(typeof provider === 'function' ? provider() : provider);
      b.catch(() => this.#cache.delete(key));
      this.#cache.set(key, b);
    }
    return b;
  }
}

function backendKey(target: LaunchTarget, image: ImageBackendName): keyof LauncherDeps['backends'] {
  switch (target.kind) {
    case 'image': return image;
    case 'command': return 'process';
    case 'python': case 'manifest': return 'python';
  }
}

/** Sortable by start time, unique enough to name temp dirs and containers. */
export function newRunId(): string {
  return `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}
