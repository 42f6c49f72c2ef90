import type { AirbyteMessage } from '../../protocol/index.js';
import type { Logger } from '../log/logger.js';
import type { ConnectorCommand, JobInputs } from './argv.js';
import type { ImageBackendName, LaunchTarget, ResourceLimits } from './backend.js';

/** What `write` reads: messages, or lines already encoded (each ending with `\n`) to forward as is. */
export type RunInput = AsyncIterable<AirbyteMessage | Uint8Array | string> | Iterable<AirbyteMessage | Uint8Array | string>;

/** Everything one connector invocation needs: what to run, its inputs, and its limits. */
export interface LaunchSpec extends JobInputs {
  target: LaunchTarget;
  command: ConnectorCommand;
  /** For logs and labels, e.g. `source-faker`. */
  connectorName: string;
  /** Names the job dir and the container labels; default a fresh id. */
  runId?: string;
  input?: RunInput;
  signal?: AbortSignal;
  /** The whole run must end within this; default none. */
  timeoutMs?: number;
  /** No stdout for this long stops the run with ConnectorTimeoutError; default none. */
  heartbeatMs?: number;
  /** TERM → KILL grace period when we stop it. Default 10 s. */
  graceMs?: number;
  env?: Record<string, string>;
  limits?: ResourceLimits;
  networkMode?: string;
  /** Which backend runs an image target; default the launcher's. */
  backend?: ImageBackendName;
  maxLineBytes?: number;
  log?: Logger;
  /** Runs before the backend starts (config validation needs the spec, which is async). */
  preflight?: () => Promise<void>;
}
