import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigFileError, MissingEnvVarError } from '../../protocol/index.js';
import { expandEnv, loadDocument } from './load-document.js';
import { userSees } from '../../test/support/user-sees.js';

const dir = mkdtempSync(join(tmpdir(), 'airdock-doc-'));
const file = (name: string, text: string) => { const p = join(dir, name); writeFileSync(p, text); return p; };

describe('loadDocument', () => {
  it('reads JSON and YAML and expands ${VAR} in strings only', async () => {
    const env = { PW: 'se"cr\net', HOST: 'db' };
    expect(await loadDocument(file('a.json', '{"host":"${HOST}","n":1,"pw":"${PW}"}'), { env })).toEqual({ host: 'db', n: 1, pw: 'se"cr\net' });
    expect(await loadDocument(file('a.yaml', 'host: ${HOST}:5432\nlist: [a, "${HOST}"]\nport: 5432\n'), { env })).toEqual({ host: 'db:5432', list: ['a', 'db'], port: 5432 });
  });

  it('a missing variable is MissingEnvVarError naming it; defaults and escapes work', async () => {
    const err: any = await loadDocument(file('b.yaml', 'x: ${NOPE_NOT_SET}\n'), { env: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MissingEnvVarError);
    expect(err.context.variable).toBe('NOPE_NOT_SET');
    expect(userSees(err)).toEqual({ exit: 2, line: expect.stringMatching(/^error AIRDOCK_CONFIG_ENV_MISSING: .*variable="NOPE_NOT_SET"/) });
    expect(expandEnv({ a: '${X:-dflt}', b: '$${X}' }, {})).toEqual({ a: 'dflt', b: '${X}' });
  });

  it('a missing or broken file is ConfigFileError without the file content', async () => {
    const missing = await loadDocument(join(dir, 'none.json')).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ConfigFileError);
    expect(userSees(missing)).toEqual({ exit: 2, line: expect.stringMatching(/^error AIRDOCK_CONFIG_FILE: .*none\.json/) });
    const err: any = await loadDocument(file('c.json', '{"password": "hunter2",')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigFileError);
    expect(err.describe()).not.toContain('hunter2');
    expect(userSees(err).exit).toBe(2);
  });
});
