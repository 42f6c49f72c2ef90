import type { AirbyteMessage, ConnectorSpecification } from '../generated/types.js';
import { validateSpec } from '../validate/validate-message.js';
import type { CommandResult, CommandRunner } from './command-runner.js';

export interface ConformanceCheck {
  name: string;
  /** Throws (with a message a connector author can act on) when the connector does not conform. */
  run(): Promise<void>;
}

export class ConformanceFailure extends Error {
  override name = 'ConformanceFailure';
}

/** Thrown by a check that does not apply (CAT's pytest.skip): reported as skipped, with the reason. */
export class ConformanceSkip extends Error {
  override name = 'ConformanceSkip';
}

export function skip(reason: string): never {
  throw new ConformanceSkip(reason);
}

export function fail(message: string, result?: CommandResult): never {
  const tail = result ? `\n  exit=${result.exitCode}${result.stopped ? ` (${result.stopped})` : ''}; last messages: ${result.rawLines.slice(-3).join('\n    ')}${result.stderr ? `\n  stderr: ${result.stderr.slice(-500)}` : ''}` : '';
  throw new ConformanceFailure(`${message}${tail}`);
}

interface PayloadOf { SPEC: 'spec'; CATALOG: 'catalog'; CONNECTION_STATUS: 'connectionStatus'; TRACE: 'trace'; STATE: 'state'; RECORD: 'record'; LOG: 'log' }

export function ofType<T extends keyof PayloadOf>(r: CommandResult, type: T): (AirbyteMessage & Required<Pick<AirbyteMessage, PayloadOf[T]>>)[] {
  return r.messages.filter((m) => m.type === type) as (AirbyteMessage & Required<Pick<AirbyteMessage, PayloadOf[T]>>)[];
}

export async function fetchSpec(run: CommandRunner): Promise<ConnectorSpecification> {
  const r = await run('spec');
  const spec = ofType(r, 'SPEC')[0]?.spec;
  if (r.exitCode !== 0 || !spec) fail('`spec` must exit 0 and print a SPEC message', r);
  return spec;
}

export function specCheck(run: CommandRunner): ConformanceCheck {
  return {
    name: 'spec is valid against the official protocol schema',
    async run() {
      const spec = await fetchSpec(run);
      const issues = validateSpec(spec);
      if (issues.length > 0) fail(`SPEC breaks the protocol schema: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`);
      const cs = spec.connectionSpecification as { type?: string };
      if (cs.type !== 'object') fail('connectionSpecification must be a JSON schema of type object');
    },
  };
}

/** A config that breaks the spec: the first typed property gets a value of the wrong type. */
export function breakConfig(spec: ConnectorSpecification, config: Record<string, unknown>): Record<string, unknown> {
  const props = ((spec.connectionSpecification as { properties?: Record<string, { type?: string | string[] }> }).properties) ?? {};
  for (const [key, p] of Object.entries(props)) {
    const t = Array.isArray(p.type) ? p.type.find((x) => x !== 'null') : p.type;
    if (t === 'integer' || t === 'number' || t === 'boolean') return { ...config, [key]: 'not-a-valid-value' };
    if (t === 'string' || t === 'object' || t === 'array') return { ...config, [key]: 12345 };
  }
  return { ...config, __airdock_invalid__: true };
}

export function configErrorCheck(run: CommandRunner, config: Record<string, unknown>, invalidConfig: Record<string, unknown> | undefined, command: 'discover' | 'write', extra: { catalog?: unknown } = {}): ConformanceCheck {
  return {
    name: 'a bad config fails with failure_type config_error',
    async run() {
      const bad = invalidConfig ?? breakConfig(await fetchSpec(run), config);
      const checked = await run('check', { config: bad });
      const status = ofType(checked, 'CONNECTION_STATUS')[0]?.connectionStatus.status;
      const checkTrace = ofType(checked, 'TRACE').find((m) => m.trace.type === 'ERROR');
      if (status !== 'FAILED' && checkTrace?.trace.error?.failure_type !== 'config_error') fail('`check` with a bad config must report FAILED or a config_error TRACE', checked);
      const r = await run(command, { config: bad, ...extra });
      const trace = ofType(r, 'TRACE').find((m) => m.trace.type === 'ERROR');
      if (r.exitCode === 0) fail(`\`${command}\` with a bad config must exit non-zero`, r);
      if (trace?.trace.error?.failure_type !== 'config_error') fail(`\`${command}\` with a bad config must print a TRACE ERROR with failure_type config_error`, r);
      const unreadable = await run(command, { rawConfig: '{ not json', ...extra });
      const t2 = ofType(unreadable, 'TRACE').find((m) => m.trace.type === 'ERROR');
      if (unreadable.exitCode === 0 || t2?.trace.error?.failure_type !== 'config_error') fail('a config file that is not JSON must fail with config_error', unreadable);
    },
  };
}

export function checkSucceedsCheck(run: CommandRunner, config: Record<string, unknown>): ConformanceCheck {
  return {
    name: '`check` with a valid config succeeds',
    async run() {
      const r = await run('check', { config });
      const status = ofType(r, 'CONNECTION_STATUS')[0]?.connectionStatus;
      if (r.exitCode !== 0 || status?.status !== 'SUCCEEDED') fail(`\`check\` must print CONNECTION_STATUS SUCCEEDED (got ${status?.status ?? 'none'}: ${status?.message ?? ''})`, r);
    },
  };
}
