import type { AcceptanceReport, TestOutcome } from '../../runtime/acceptance/index.js';

/**
 * The report as JUnit XML (testsuites → one testsuite per CAT suite → testcases, failures with their
 * message), the shape Jenkins, GitLab, GitHub test reporters and Surefire read.
 */
export function junitXml(r: AcceptanceReport, timestamp = new Date()): string {
  const suites = new Map<string, TestOutcome[]>();
  for (const o of r.outcomes) suites.set(o.suite, [...(suites.get(o.suite) ?? []), o]);
  const count = (list: readonly TestOutcome[], s: TestOutcome['status']) => list.filter((o) => o.status === s).length;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${attr(`airdock test ${r.ref}`)}" tests="${r.outcomes.length}" failures="${count(r.outcomes, 'failed')}" errors="0" time="${secs(r.durationMs)}">`,
  ];
  for (const [suite, list] of suites) {
    const time = secs(list.reduce((a, o) => a + o.durationMs, 0));
    lines.push(`  <testsuite name="${attr(suite)}" tests="${list.length}" failures="${count(list, 'failed')}" errors="0" skipped="${count(list, 'skipped')}" time="${time}" timestamp="${timestamp.toISOString().slice(0, 19)}" package="${attr(r.connector)}">`);
    for (const o of list) lines.push(testcase(r, o));
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}

function testcase(r: AcceptanceReport, o: TestOutcome): string {
  const open = `    <testcase classname="${attr(`airdock.${r.connector}.${o.suite}`)}" name="${attr(o.name)}" time="${secs(o.durationMs)}"`;
  if (o.status === 'passed') return `${open}/>`;
  if (o.status === 'skipped') return `${open}>\n      <skipped message="${attr(o.message ?? '')}"/>\n    </testcase>`;
  const first = (o.message ?? 'failed').split('\n')[0]!;
  return `${open}>\n      <failure message="${attr(first)}" type="AcceptanceTestFailure">${text(o.message ?? '')}</failure>\n    </testcase>`;
}

const secs = (ms: number): string => (ms / 1000).toFixed(3);

// Characters XML 1.0 cannot hold at all (a connector's stderr may contain them).
const INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

function text(s: string): string {
  return s.replace(INVALID, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function attr(s: string): string {
  return text(s).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}
