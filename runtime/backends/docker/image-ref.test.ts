import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../protocol/index.js';
import { containerCommand } from './entrypoint.js';
import { parseImageRef } from './image-ref.js';
import { imageName } from '../../connector-ref.js';

const digest = `sha256:${'a'.repeat(64)}`;

describe('parseImageRef', () => {
  it.each([
    ['airbyte/source-faker:6.2.1', { registry: undefined, repository: 'airbyte/source-faker', tag: '6.2.1', ref: 'airbyte/source-faker:6.2.1' }],
    ['airbyte/source-faker', { tag: 'latest', ref: 'airbyte/source-faker:latest' }],
    [`airbyte/source-faker@${digest}`, { tag: undefined, digest, ref: `airbyte/source-faker@${digest}` }],
    [`localhost:5000/a/b:1@${digest}`, { registry: 'localhost:5000', repository: 'a/b', tag: '1', digest }],
    ['reg.example:5000/x', { registry: 'reg.example:5000', repository: 'x', ref: 'reg.example:5000/x:latest' }],
  ])('%s', (input, expected) => {
    expect(parseImageRef(input)).toMatchObject(expected);
  });

  it.each(['Airbyte/x:1', 'a/b:bad tag', 'a@sha256:xyz', ''])('rejects %j', (input) => {
    expect(() => parseImageRef(input)).toThrow(UsageError);
  });

  it('names a connector after its repository', () => {
    expect(imageName(`host:5000/airbyte/source-faker:6@${digest}`)).toBe('source-faker');
  });
});

describe('containerCommand', () => {
  it('uses AIRBYTE_ENTRYPOINT through sh -c, like the platform', () => {
    expect(containerCommand(['PATH=/bin', 'AIRBYTE_ENTRYPOINT=python /airbyte/main.py'], ['spec'])).toEqual({
      Entrypoint: ['/bin/sh', '-c', 'eval "exec $AIRBYTE_ENTRYPOINT \\"\\$@\\""', 'airbyte-connector'], Cmd: ['spec'],
    });
  });
  it("otherwise keeps the image's ENTRYPOINT with argv as CMD", () => {
    expect(containerCommand(['PATH=/bin'], ['read', '--config', '/airbyte/job/config.json'])).toEqual({ Cmd: ['read', '--config', '/airbyte/job/config.json'] });
  });
});
