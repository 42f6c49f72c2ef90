import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';

/**
 * The optional model path of `airdock config new`, against an HTTP server of this test's own that
 * speaks the OpenAI chat completions API: what it is sent (masked text, no secret fields, the key),
 * and what of its answer is kept (grounded, valid, never a secret).
 */
interface Seen { auth: string | undefined; body: { model: string; messages: Array<{ role: string; content: string }>; response_format?: unknown } }
const seen: Seen[] = [];
let reply: (body: Seen['body']) => { status: number; content?: string } = () => ({ status: 500 });
let server: Server;
let url = '';
const dir = mkdtempSync(join(tmpdir(), 'airdock-llm-'));

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

beforeAll(async () => {
  server = createServer((req, res) => {
    void readBody(req).then((text) => {
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') { res.writeHead(404).end(); return; }
      const body = JSON.parse(text) as Seen['body'];
      seen.push({ auth: req.headers.authorization, body });
      const r = reply(body);
      if (r.status !== 200) { res.writeHead(r.status, { 'content-type': 'application/json' }).end('{"error":{"message":"boom"}}'); return; }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({
        id: 'chatcmpl-test', object: 'chat.completion', model: body.model,
        choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: r.content } }],
      }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

const env = () => ({ AIRDOCK_OFFLINE: '1', AIRDOCK_HOME: join(dir, 'home'), AIRDOCK_LLM_URL: url, AIRDOCK_LLM_MODEL: 'test-model', AIRDOCK_LLM_API_KEY: 'sk-test-key' });
const TEXT = 'Postgres box ledger-db.internal holding the accounting data, we log on with ledger_ro, password s3cr3t-Pw, only the finance schema';

describe('airdock config new with a model endpoint', () => {
  it('sends the masked text and a schema without secrets; keeps grounded valid answers, refuses secrets and inventions', async () => {
    reply = () => ({
      status: 200,
      content: '```json\n' + JSON.stringify({
        host: 'ledger-db.internal', database: 'accounting', username: 'ledger_ro', schemas: ['finance'],
        password: 's3cr3t-Pw', port: 'ledger_ro', jdbc_url_params: 'ssl=true', ssl_mode: { mode: 'verify-full' },
      }) + '\n```',
    });
    seen.length = 0;
    const r = await runCli(['config', 'new', TEXT, '--json'], { env: env(), cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(seen).toHaveLength(1);
    const sent = JSON.stringify(seen[0]!.body);
    expect(seen[0]!.auth).toBe('Bearer sk-test-key');
    expect(seen[0]!.body.model).toBe('test-model');
    expect(sent).not.toContain('s3cr3t-Pw');
    expect(sent).toContain('password [secret]');
    expect(sent).not.toContain('airbyte_secret');
    const out = JSON.parse(r.stdout) as { source: { config: Record<string, unknown>; origins: Array<{ path: string; origin: string }> } };
    expect(out.source.config).toEqual({
      host: 'ledger-db.internal', port: 5432, username: 'ledger_ro', password: '${POSTGRES_PASSWORD}', database: 'accounting', schemas: ['finance'],
    });
    expect(out.source.origins.filter((o) => o.origin === 'llm').map((o) => o.path).sort()).toEqual(['database', 'username']);
    expect(r.stdout + r.stderr).not.toContain('s3cr3t-Pw');
    const line = r.stderr.split('\n').find((l) => l.startsWith('model: source-postgres'))!;
    expect(line).toMatch(/^model: source-postgres: 2 fields added \(database, username\); refused: /);
    for (const refused of ['password (secret)', 'port (invalid)', 'jdbc_url_params (not in the description)', 'ssl_mode.mode (not in the description)']) expect(line).toContain(refused);
  });

  it('falls back to the offline draft with a notice when the endpoint fails', async () => {
    reply = () => ({ status: 500 });
    const r = await runCli(['config', 'new', TEXT, '--json'], { env: env(), cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('warning AIRDOCK_ASSIST_LLM: The language-model endpoint answered with an error (status=500)');
    const out = JSON.parse(r.stdout) as { source: { config: Record<string, unknown> } };
    expect(out.source.config).toEqual({ host: 'ledger-db.internal', port: 5432, password: '${POSTGRES_PASSWORD}', schemas: ['finance'] });
    expect(out.source.config.database).toBeUndefined();
  });
});
