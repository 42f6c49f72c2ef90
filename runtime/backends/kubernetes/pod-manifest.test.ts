import { describe, expect, it } from 'vitest';
import { podLabels, podManifest, podName } from './pod-manifest.js';

const request = { name: 'airdock-source-x-1', image: 'airbyte/source-x:1.0', pull: 'never' as const, argv: ['read', '--config', '/airbyte/job/config.json'], runId: 'r1', connectorName: 'airbyte/source-x:1.0', graceMs: 10_000 };

describe('podManifest', () => {
  it('one container with the stdin gate, stdin once, the policy and the limits as requests and limits', () => {
    const pod = podManifest({ ...request, limits: { memoryBytes: 512 * 1024 * 1024, nanoCpus: 1.5e9 }, env: { A: '1' } }, { namespace: 'ns', nodeName: 'n1', hostNetwork: true });
    const c = pod.spec!.containers[0]!;
    expect(c).toMatchObject({ image: 'airbyte/source-x:1.0', imagePullPolicy: 'Never', stdin: true, stdinOnce: true, tty: false });
    expect(c.command!.slice(0, 2)).toEqual(['/bin/sh', '-c']);
    expect(c.command!.slice(3)).toEqual(['airbyte-connector', ...request.argv]);
    expect(c.resources).toEqual({ requests: { memory: '536870912', cpu: '1500m' }, limits: { memory: '536870912', cpu: '1500m' } });
    expect(c.env).toContainEqual({ name: 'A', value: '1' });
    expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true });
    expect(pod.spec).toMatchObject({ restartPolicy: 'Never', nodeName: 'n1', hostNetwork: true, automountServiceAccountToken: false, terminationGracePeriodSeconds: 10 });
    expect(pod.metadata!.namespace).toBe('ns');
  });

  it('never carries a job file: configs go over stdin', () => {
    const text = JSON.stringify(podManifest(request, { namespace: 'ns' }));
    expect(text).not.toMatch(/secret|"config"/i);
    expect(podManifest(request, { namespace: 'ns' }).spec!.volumes!.map((v) => v.emptyDir?.medium ?? 'disk')).toEqual(['Memory', 'disk']);
  });
});

describe('pod names and labels', () => {
  it('a DNS label of at most 63 characters from any connector name', () => {
    expect(podName('airbyte/source-faker:7.2.1', 'mabc-1234')).toBe('airdock-source-faker-mabc-1234');
    const long = podName('x'.repeat(100), 'conn-name-lzz-123');
    expect(long.length).toBeLessThanOrEqual(63);
    expect(long).toMatch(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/);
  });

  it('label values are valid even for image references', () => {
    const labels = podLabels('r1', 'airbyte/source-faker:7.2.1');
    expect(labels['airdock.connector']).toBe('airbyte_source-faker_7.2.1');
    for (const v of Object.values(labels)) expect(v).toMatch(/^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/);
  });
});
