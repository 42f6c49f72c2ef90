import { describe, expect, it } from 'vitest';
import { validateJunit } from '../../test/support/junit-xsd.js';
import type { AcceptanceReport } from '../../runtime/acceptance/index.js';
import { junitXml } from './junit-xml.js';

const report: AcceptanceReport = {
  ref: 'airbyte/source-x:1.0', connector: 'source-x', kind: 'source', warnings: [], durationMs: 5432, connectorMs: 5000, runs: 4, ok: false,
  outcomes: [
    { suite: 'spec', name: 'test_spec', status: 'passed', durationMs: 120 },
    { suite: 'spec', name: 'test_match_expected', status: 'skipped', durationMs: 0, message: 'no spec_path file to compare with' },
    { suite: 'basic_read', name: 'test_read', status: 'failed', durationMs: 2000, message: 'stream <users> & "friends": bad\u0001 record\n  exit=1' },
  ],
};

describe('JUnit XML', () => {
  it('is valid against the JUnit XSD, failures and skips included, odd characters escaped', () => {
    const xml = junitXml(report, new Date('2026-01-02T03:04:05Z'));
    expect(() => validateJunit(xml)).not.toThrow();
    expect(xml).toContain('<testsuite name="basic_read" tests="1" failures="1" errors="0" skipped="0" time="2.000"');
    expect(xml).toContain('<failure message="stream &lt;users&gt; &amp; &quot;friends&quot;: bad\uFFFD record" type="AcceptanceTestFailure">');
    expect(xml).toContain('<skipped message="no spec_path file to compare with"/>');
  });

  it('the validation can fail: a testcase without its name is rejected', () => {
    expect(() => validateJunit(junitXml(report).replace('name="test_spec"', ''))).toThrow();
  });
});
