import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileStateStore } from './file-state-store.js';
import { stateStoreContract } from '../../test/support/state-store-contract.js';

const dir = mkdtempSync(join(tmpdir(), 'airdock-state-'));
let n = 0;

describe('FileStateStore', () => {
  stateStoreContract(async () => new FileStateStore(dir), () => `c${++n}`);

  it('leaves no temp file behind and reports a corrupt file clearly', async () => {
    const store = new FileStateStore(dir);
    await store.save('tidy', []);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    writeFileSync(join(dir, 'broken.json'), '[{"type":');
    await expect(store.load('broken')).rejects.toMatchObject({ code: 'AIRDOCK_STATE_CORRUPT' });
  });
});
