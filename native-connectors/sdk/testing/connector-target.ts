import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { decodeLines, type AirbyteMessage, type CommandInput, type CommandResult, type CommandRunner, type ConformanceCommand } from '../../../protocol/index.js';
import { runConnector, type ConnectorDefinition } from '../run-connector.js';

export type { CommandInput, CommandResult } from '../../../protocol/index.js';

/** What the kit runs: a definition in this process, or any program that speaks the protocol. */
export type ConnectorTarget =
  | { kind: 'definition'; definition: ConnectorDefinition }
  | { kind: 'command'; argv: readonly string[]; cwd?: string; env?: NodeJS.ProcessEnv };

/** The checks' view of a target: one function that runs a command. */
export function runnerFor(target: ConnectorTarget): CommandRunner {
  return (command: ConformanceCommand, input?: CommandInput) => runTargetCommand(target, command, input);
}

/** Runs one command against a target, with the input written to temp files as the platform does. */
export async function runTargetCommand(target: ConnectorTarget, command: string, input: CommandInput = {}): Promise<CommandResult> {
  const dir = await mkdtemp(join(tmpdir(), 'airdock-conformance-'));
  try {
    const args = [command];
    const file = async (name: string, text: string, flag: string) => {
      const p = join(dir, name);
      await writeFile(p, text);
      args.push(`--${flag}`, p);
    };
    if (input.rawConfig !== undefined) await file('config.json', input.rawConfig, 'config');
    else if (input.config !== undefined) await file('config.json', JSON.stringify(input.config), 'config');
    if (input.catalog !== undefined) await file('catalog.json', JSON.stringify(input.catalog), 'catalog');
    if (input.state !== undefined) await file('state.json', JSON.stringify(input.state), 'state');
    const stdinText = input.stdinLines ? input.stdinLines.map((l) => `${l}\n`).join('') : '';
    return target.kind === 'definition'
      ? await runInProcess(target.definition, args, stdinText)
      : await runProcess(target, args, stdinText);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function collect(stdout: AsyncIterable<Buffer>): Promise<Pick<CommandResult, 'messages' | 'rawLines'>> {
  const messages: AirbyteMessage[] = [];
  const rawLines: string[] = [];
  for await (const line of decodeLines(stdout)) {
    if (line.kind !== 'message') continue;
    messages.push(line.message);
    rawLines.push(line.raw.toString('utf8'));
  }
  return { messages, rawLines };
}

async function runInProcess(def: ConnectorDefinition, args: string[], stdinText: string): Promise<CommandResult> {
  const stdout = new PassThrough();
  const collected = collect(stdout);
  const exitCode = await runConnector(def, args, { stdout, stdin: Readable.from([Buffer.from(stdinText)]) });
  stdout.end();
  return { exitCode, ...(await collected), stderr: '' };
}

async function runProcess(target: Extract<ConnectorTarget, { kind: 'command' }>, args: string[], stdinText: string): Promise<CommandResult> {
  const [cmd, ...prefix] = target.argv;
  const child = spawn(cmd!, [...prefix, ...args], { cwd: target.cwd, env: target.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr = (stderr + d).slice(-20_000); });
  child.stdin.on('error', () => {}); // a connector that exits before reading stdin is judged by its output
  child.stdin.end(stdinText);
  const exited = new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
  const collected = await collect(child.stdout);
  return { exitCode: await exited, ...collected, stderr };
}
