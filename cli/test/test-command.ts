import { writeJson } from '../format/write-json.js';
import { writeFile } from 'node:fs/promises';
import { UsageError } from '../../protocol/index.js';
import { readAcceptanceConfig, runAcceptance, SUITES, type AcceptanceReport, type SuiteName, type TestOutcome } from '../../runtime/acceptance/index.js';
import { createRuntime } from '../../runtime/create-runtime.js';
import { Logger } from '../../runtime/log/logger.js';
import { loadOptions } from '../../runtime/options.js';
import { cliRedactor } from '../cli-redactor.js';
import type { TestOptions } from '../commands/test.js';
import { junitXml } from '../format/junit-xml.js';
import { redactJsonValues } from '../format/redact-json-values.js';
import { testReportJson } from '../format/test-report-json.js';
import { interruptSignal } from '../run/cli-runtime.js';

/** `airdock test`: runs the suites, prints a line per test, writes JUnit / JSON; returns the exit code. */
export async function testCommand(ref: string | undefined, o: TestOptions): Promise<number> {
  const suites = o.suite?.map((s) => {
    if (!(SUITES as readonly string[]).includes(s)) throw new UsageError('Unknown suite', { context: { suite: s }, hint: `Use one of ${SUITES.join(', ')}` });
    return s as SuiteName;
  });
  const acceptance = o.acceptance ? await readAcceptanceConfig(o.acceptance) : undefined;
  const options = loadOptions();
  // The connectors' own logs (a failing test's stderr tail is in its message) only with --verbose.
  const log = o.verbose || options.logLevel === 'debug'
    ? new Logger({ level: 'debug', redact: cliRedactor.redact })
    : new Logger({ level: 'error', write: () => {} });
  const out = o.json ? process.stderr : process.stdout;
  // stdout and stderr pass the CLI's redactor (cli/redact-output.ts): a config's secrets never show.
  const say = (line: string) => out.write(`${line}\n`);
  const irq = interruptSignal();
  try {
    for (const w of acceptance?.warnings ?? []) process.stderr.write(`airdock: warning: ${w}\n`);
    const report = await runAcceptance({
      runtime: createRuntime({ log, redactor: cliRedactor }), ...(ref ? { ref } : {}), ...(acceptance ? { acceptance } : {}), ...(o.config ? { configFile: o.config } : {}),
      ...(suites ? { suites } : {}), ...(o.kind ? { kind: o.kind } : {}), ...(o.timeout ? { timeoutMs: o.timeout * 1000 } : {}),
      ...(o.previous ? { previousRef: o.previous } : {}), ...(o.pull ? { pull: o.pull } : {}),
      ...(o.network ? { networkMode: o.network } : {}), signal: irq.signal, log: log.child('connector'), onConfig: (c) => cliRedactor.addConfig(c), onTest: (t) => say(line(t)),
    });
    for (const w of report.warnings.filter((w) => !acceptance?.warnings.includes(w))) process.stderr.write(`airdock: warning: ${w}\n`);
    const n = (s: string) => report.outcomes.filter((t) => t.status === s).length;
    say(`${report.connector}: ${n('passed')} passed, ${n('failed')} failed, ${n('skipped')} skipped in ${secs(report.durationMs)} (connector ${secs(report.connectorMs)} over ${report.runs} runs)`);
    // Masked before it becomes XML or JSON: masking the text would hit element names and keys too (`test`).
    const shown = redactJsonValues(report, cliRedactor.redact) as AcceptanceReport;
    if (o.junit) await writeFile(o.junit, junitXml(shown));
    if (o.json) await writeJson(testReportJson(shown));
    return report.ok ? 0 : 1;
  } finally {
    irq.dispose();
  }
}

const secs = (ms: number): string => `${(ms / 1000).toFixed(1)}s`;

const MARK = { passed: 'PASS', failed: 'FAIL', skipped: 'SKIP' } as const;

/** One line per test (status, suite, name, time); a failure's or skip's reason indented below. */
function line(t: TestOutcome): string {
  const head = `${MARK[t.status]}  ${`${t.suite}/${t.name}`.padEnd(60)} ${secs(t.durationMs).padStart(7)}`;
  if (!t.message || t.status === 'passed') return head;
  const body = t.status === 'skipped' ? `(${t.message})` : t.message;
  return `${head}\n${body.split('\n').map((l) => `      ${l}`).join('\n')}`;
}
