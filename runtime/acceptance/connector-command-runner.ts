import { isAirdockError, type AirbyteMessage, type CommandInput, type CommandResult, type CommandRunner, type ConformanceCommand } from '../../protocol/index.js';
import type { Connector } from '../connector.js';

/** What the connector's own runs cost, to tell it apart from the test's overhead. */
export interface RunStats {
  runs: number;
  /** Sum of the connector runs' wall times (start to exit, container start included). */
  connectorMs: number;
}

export interface RunnerOptions {
  stats: RunStats;
  /** The running test's signal: aborted when its time is up or the user interrupts. */
  signal: () => AbortSignal | undefined;
  /** Shared results: `spec` once per connector, `discover` once per config (CAT's cache_discovered_catalog). */
  cache?: Map<string, Promise<CommandResult>>;
  cacheDiscover: boolean;
}

/**
 * The checks' CommandRunner over the runtime's Connector facade: every command goes through the one
 * streamer (ConnectorRun) and the connector's backend (process or Docker), unvalidated, as is.
 */
export function connectorCommandRunner(connector: Connector, o: RunnerOptions): CommandRunner {
  return (command, input = {}) => {
    const key = command === 'spec' ? 'spec' : command === 'discover' && o.cacheDiscover ? `discover:${JSON.stringify(input.config)}` : undefined;
    if (key && o.cache) {
      let hit = o.cache.get(key);
      if (!hit) {
        hit = runOnce(connector, command, input, o);
        o.cache.set(key, hit);
      }
      return hit;
    }
    return runOnce(connector, command, input, o);
  };
}

async function runOnce(connector: Connector, command: ConformanceCommand, input: CommandInput, o: RunnerOptions): Promise<CommandResult> {
  if (input.rawConfig !== undefined) throw new Error('this runner writes configs as JSON; an unreadable config cannot be expressed');
  const signal = o.signal();
  const stdin = input.stdinLines?.map((l) => `${l}\n`);
  const run = connector.invoke(command, { config: input.config, catalog: input.catalog, ...(input.state === undefined ? {} : { state: input.state }) },
    { ...(signal ? { signal } : {}), heartbeatMs: 0 }, stdin);
  const messages: AirbyteMessage[] = [];
  const rawLines: string[] = [];
  try {
    for await (const line of run.lines()) {
      messages.push(line.message);
      rawLines.push(line.raw.toString('utf8'));
    }
  } catch {
    // how it ended is in settled() below; a non-zero exit is a result the checks judge
  }
  const { summary, error } = await run.settled();
  o.stats.runs++;
  o.stats.connectorMs += summary.durationMs;
  const stopped = stopReason(error, summary.exit.terminated === true);
  return {
    exitCode: summary.exit.code ?? (summary.exit.signal ? 128 + signalNumber(summary.exit.signal) : 1),
    messages, rawLines, stderr: summary.stderrTail.join('\n'),
    ...(stopped ? { stopped } : {}),
  };
}

/** Only failures of the run itself (could not start, stopped, timed out) are news: exit codes are judged by the checks. */
function stopReason(error: unknown, terminated: boolean): string | undefined {
  if (error === undefined) return undefined;
  const code = isAirdockError(error) ? error.code : '';
  if (!terminated && (code === 'AIRDOCK_CONNECTOR_EXIT' || code === 'AIRDOCK_CONNECTOR_FAILED')) return undefined;
  return isAirdockError(error) ? error.describe() : String(error);
}

function signalNumber(sig: NodeJS.Signals): number {
  return ({ SIGKILL: 9, SIGTERM: 15, SIGINT: 2 } as Record<string, number>)[sig] ?? 0;
}
