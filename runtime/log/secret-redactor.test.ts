import { describe, expect, it } from 'vitest';
import { MASK, SecretRedactor } from './secret-redactor.js';

describe('SecretRedactor forms', () => {
  const secret = 'S3cr3t "quoted" \\ back/slash é+space';
  const r = new SecretRedactor().add(secret);

  it('masks the raw, JSON-escaped (once, twice, ASCII-only) and URL-encoded forms', () => {
    const once = JSON.stringify(secret).slice(1, -1);
    const twice = JSON.stringify(once).slice(1, -1);
    const ascii = once.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    const url = encodeURIComponent(secret);
    const form = new URLSearchParams({ v: secret }).toString().slice(2);
    for (const f of [secret, once, twice, ascii, url, form]) {
      expect(r.redact(`a ${f} b`), f).toBe(`a ${MASK} b`);
    }
    expect(r.redact(url.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()))).toBe(MASK);
  });

  it('masks it inside a longer base64 blob at every byte alignment, standard and URL-safe', () => {
    for (const prefix of ['', 'u', 'us', 'user:']) {
      for (const b64 of [Buffer.from(`${prefix}${secret}tail`).toString('base64'), Buffer.from(`${prefix}${secret}`).toString('base64url')]) {
        const masked = r.redact(b64);
        expect(masked, `${prefix} ${b64}`).toContain(MASK);
        // What is left cannot give the secret back.
        expect(Buffer.from(masked.replace(MASK, ''), 'base64').toString('utf8')).not.toContain(secret.slice(0, 8));
      }
    }
  });

  it('never masks short values, and leaves text without secrets untouched', () => {
    const s = new SecretRedactor().add('abc').add('1');
    expect(s.redact('abc 1')).toBe('abc 1');
    expect(r.redact('nothing here')).toBe('nothing here');
  });
});

describe('SecretRedactor.addConfig', () => {
  const spec = {
    type: 'object',
    definitions: { cred: { type: 'object', properties: { blob: { type: 'string', airbyte_secret: true } } } },
    properties: {
      list: { type: 'array', items: { type: 'object', properties: { key: { type: 'string', airbyte_secret: true }, name: { type: 'string' } } } },
      tunnel: { type: 'object', oneOf: [{ properties: { pem: { type: 'string', airbyte_secret: true } } }, { properties: { host: { type: 'string' } } }] },
      ref: { $ref: '#/definitions/cred' },
      pin: { type: 'integer', airbyte_secret: true },
      host: { type: 'string' },
    },
  };

  it('knows airbyte_secret fields wherever the spec puts them: array items, oneOf branches, $ref, numbers', () => {
    const r = new SecretRedactor().addConfig({
      list: [{ key: 'item-key-one', name: 'visible-name' }, { key: 'item-key-two' }], tunnel: { pem: 'pem-material' }, ref: { blob: 'ref-blob-value' },
      pin: 987654, host: 'db.example',
    }, spec);
    expect(r.redact('item-key-one item-key-two pem-material ref-blob-value 987654 visible-name db.example'))
      .toBe(`${MASK} ${MASK} ${MASK} ${MASK} ${MASK} visible-name db.example`);
  });

  it('without a spec, key names decide; the password of any URL counts', () => {
    const r = new SecretRedactor().addConfig({ host: 'db.example', tunnel_method: { ssh_key: 'KEY-abc-LONG' }, url: 'postgres://app:p%40ss-word@db/app' });
    expect(r.redact('db.example KEY-abc-LONG p@ss-word p%40ss-word')).toBe(`db.example ${MASK} ${MASK} ${MASK}`);
  });
});
