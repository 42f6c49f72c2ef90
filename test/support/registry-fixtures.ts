import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

/** A snapshot of the official registry (591 sources, 56 destinations), vendored in test/fixtures/reference/. */
export const snapshotPath = fileURLToPath(new URL('../../test/fixtures/reference/airbyte-registry-snapshot.json', import.meta.url));
export const snapshotText = (): string => readFileSync(snapshotPath, 'utf8');

type Raw = Record<string, unknown>;

/** A registry entry with the fields the official one always has; override any of them. */
export function rawSource(tech: string, extra: Raw = {}): Raw {
  return {
    sourceDefinitionId: extra.sourceDefinitionId ?? `00000000-0000-4000-8000-${hex(tech)}`,
    name: tech.replace(/^source-/, ''), dockerRepository: `airbyte/${tech}`, dockerImageTag: '1.0.0',
    documentationUrl: 'https://docs.example.test/x', supportLevel: 'community', releaseStage: 'alpha', language: 'python',
    license: 'MIT', sourceType: 'api', tags: ['language:python'], tombstone: false, public: true, custom: false,
    spec: { connectionSpecification: { type: 'object' } },
    generated: { git: { commit_timestamp: '2026-01-02T03:04:05Z' } },
    ...extra,
  };
}

export function miniRegistry(sources: Raw[], destinations: Raw[] = []): string {
  return JSON.stringify({ sources, destinations });
}

function hex(s: string): string {
  let h = 0;
  for (const c of s) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return h.toString(16).padStart(12, '0').slice(0, 12);
}

export interface SeenRequest { url: string; headers: IncomingHttpHeaders }

/**
 * A registry server of the test's own on 127.0.0.1: serves `body` with an ETag and Last-Modified,
 * answers conditional requests with 304, and records every request so a test can prove whether
 * the loader touched the network.
 */
export class RegistryServer {
  readonly requests: SeenRequest[] = [];
  body: string;
  etag = '"v1"';
  lastModified = 'Mon, 16 Mar 2026 10:00:00 GMT';
  /** Set to answer with this status instead of the registry. */
  failWith: number | undefined;
  /** Set to never answer (to test timeouts). */
  hang = false;
  #server: Server | undefined;
  url = '';

  constructor(body: string) {
    this.body = body;
  }

  async start(): Promise<this> {
    this.#server = createServer((req, res) => {
      this.requests.push({ url: req.url ?? '', headers: req.headers });
      if (this.hang) return;
      if (this.failWith) {
        res.writeHead(this.failWith).end('nope');
        return;
      }
      if (req.headers['if-none-match'] === this.etag) {
        res.writeHead(304, { etag: this.etag }).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', etag: this.etag, 'last-modified': this.lastModified }).end(this.body);
    });
    await new Promise<void>((ok) => this.#server!.listen(0, '127.0.0.1', ok));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/registries/v0/oss_registry.json`;
    return this;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.#server?.closeAllConnections();
    await new Promise<void>((ok) => (this.#server ? this.#server.close(() => ok()) : ok()));
  }
}
