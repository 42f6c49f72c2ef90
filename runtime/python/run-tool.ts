import { spawn } from 'node:child_process';
import type { Logger } from '../log/logger.js';

export interface ToolResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The last lines of stdout and stderr together, credentials in URLs masked. */
  tail: string[];
}

/**
 * Runs an installer (pip, uv, npm, git) to the end: every output line to the debug log, the last ones
 * kept for the error. Its own process group, so an abort stops it and whatever it spawned (pip's
 * build backends, npm's git clones).
 */
export function runTool(command: string, args: readonly string[], o: { cwd?: string; env?: NodeJS.ProcessEnv; signal?: AbortSignal; log?: Logger; tailLines?: number }): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    o.signal?.throwIfAborted();
    const child = spawn(command, args, { cwd: o.cwd, env: o.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const tail: string[] = [];
    const keep = o.tailLines ?? 25;
    const onLine = (line: string) => {
      const clean = maskUrlCredentials(line.trimEnd());
      if (clean === '') return;
      o.log?.debug(clean);
      tail.push(clean);
      if (tail.length > keep) tail.shift();
    };
    for (const stream of [child.stdout, child.stderr]) {
      let rest = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        const lines = (rest + chunk).split(/\r?\n|\r/);
        rest = lines.pop() ?? '';
        lines.forEach(onLine);
      });
      stream.on('end', () => { if (rest) onLine(rest); });
    }
    const onAbort = () => {
      try { process.kill(-child.pid!, 'SIGTERM'); } catch { child.kill('SIGTERM'); }
    };
    o.signal?.addEventListener('abort', onAbort, { once: true });
    child.once('error', (err) => {
      o.signal?.removeEventListener('abort', onAbort);
      reject(err);
    });
    child.once('close', (code, signal) => {
      o.signal?.removeEventListener('abort', onAbort);
      resolve({ code, signal, tail });
    });
  });
}

/** `https://user:token@host/simple` → `https://***@host/simple`: index URLs often carry a token. */
export function maskUrlCredentials(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/\s:@]+(?::[^/\s@]*)?@/gi, '$1***@');
}
