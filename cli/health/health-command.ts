import { writeJson } from '../format/write-json.js';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../../protocol/index.js';
import { createRuntime } from '../../runtime/create-runtime.js';
import { checkHealth, type HealthTarget } from '../../runtime/health/check-health.js';
import { Logger } from '../../runtime/log/logger.js';
import { environment, loadOptions } from '../../runtime/options.js';
import { loadConnection } from '../../runtime/sync/connection-file.js';
import { cliRedactor } from '../cli-redactor.js';
import { reportError } from '../report-error.js';
import { interruptSignal, loadObject } from '../run/cli-runtime.js';

const CONNECTION_FILE = /\.(ya?ml|json)$/i;

/** `airdock health`: every side checked at once; one line (or one JSON object) for all of them. */
export async function healthCommand(args: string[], flags: { config?: string; timeout?: number; json?: boolean }): Promise<number> {
  const irq = interruptSignal();
  try {
    const targets = await targetsOf(args, flags.config);
    const options = loadOptions();
    const runtime = createRuntime({ options, log: new Logger({ level: options.logLevel, redact: cliRedactor.redact }), redactor: cliRedactor });
    const results = await checkHealth(runtime, targets, { timeoutMs: (flags.timeout ?? 30) * 1000, signal: irq.signal });
    const healthy = results.every((r) => r.healthy);
    if (flags.json) {
      await writeJson({ healthy, checks: results });
    } else {
      for (const r of results) {
        const why = r.healthy ? '' : `  ${r.code ? `${r.code}: ` : ''}${r.message ?? r.status}`;
        process.stdout.write(`${r.healthy ? 'healthy  ' : 'UNHEALTHY'} ${r.name} ${r.side} (${r.connector}) ${r.status} ${r.latencyMs} ms${why}\n`);
      }
    }
    return healthy ? 0 : 1;
  } catch (err) {
    return reportError(err);
  } finally {
    irq.dispose();
  }
}

async function targetsOf(args: string[], config: string | undefined): Promise<HealthTarget[]> {
  if (config !== undefined) {
    if (args.length !== 1) throw new UsageError('--config goes with exactly one connector ref', { context: { given: args.length } });
    return [{ name: args[0]!, side: 'connector', connector: args[0]!, config: await loadObject(config, 'config') }];
  }
  const targets: HealthTarget[] = [];
  for (const file of args) {
    if (!CONNECTION_FILE.test(file) && !existsSync(file)) {
      throw new UsageError('Not a connection file; a connector ref needs --config', { context: { target: file } });
    }
    const c = await loadConnection(file, environment());
    cliRedactor.addConfig(c.source.config).addConfig(c.destination.config);
    // Relative program paths in a connection file are relative to the file, as in a sync.
    const refFor = (ref: string) => (ref.startsWith('./') || ref.startsWith('../') ? resolve(dirname(c.path), ref) : ref);
    targets.push(
      { name: c.name, side: 'source', connector: refFor(c.source.connector), config: c.source.config },
      { name: c.name, side: 'destination', connector: refFor(c.destination.connector), config: c.destination.config },
    );
  }
  return targets;
}
