import { describe, expect, it } from 'vitest';
import { parseDescription } from './description.js';

describe('parseDescription', () => {
  it('takes secrets out of the text: after cues, in URLs, in key=value, and shaped like known keys', () => {
    const d = parseDescription("password is 'p@ss w0rd!', postgres://u:Sekr3t@h:5432/db, token=abc123def, key sk_live_51Habcdefghijklmnop");
    const all = JSON.stringify(d) + d.masked;
    for (const s of ['p@ss w0rd!', 'Sekr3t', 'abc123def', 'sk_live_51Habcdefghijklmnop']) expect(all).not.toContain(s);
    expect(d.secrets.map((s) => s.cue).sort()).toEqual(['password', 'password', 'secret key', 'token']);
    expect(d.masked).toContain('postgres://u@h:5432/db');
    expect(d.isSecretValue('Sekr3t')).toBe(true);
    expect(d.isSecretValue('db')).toBe(false);
  });

  it('keeps words that only talk about a secret, and reads where it lives', () => {
    const d = parseDescription('the password is in the vault; the API key comes from $STRIPE_KEY');
    expect(d.secrets).toEqual([]);
    expect(d.secretRefs.map((r) => [r.cue, r.envVar])).toEqual([['api key', 'STRIPE_KEY']]);
    expect(d.secretMentions.map((m) => m.cue)).toEqual(['password', 'api key']);
  });

  it('keeps hosts, paths, templates and lists whole, noting list commas', () => {
    const d = parseDescription('On db.example.com., topic {namespace}.{stream}, path ./out/x.duckdb and tables a, b and c.');
    expect(d.tokens.map((t) => t.text)).toContain('db.example.com');
    expect(d.tokens.map((t) => t.text)).toContain('{namespace}.{stream}');
    expect(d.tokens.map((t) => t.text)).toContain('./out/x.duckdb');
    expect(d.tokens.find((t) => t.text === 'a')!.trail).toBe(',');
  });
});
