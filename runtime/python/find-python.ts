import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { PythonNotFoundError, PythonTooOldError } from '../../protocol/index.js';

/** The oldest Python the connectors of today install on (airbyte-cdk 6 and 7 need 3.10). */
export const MIN_PYTHON: readonly [number, number] = [3, 10];

export interface PythonInterpreter {
  command: string;
  version: string;
}

/**
 * The interpreter venvs are made from: AIRDOCK_PYTHON when set, else `python3`, else `python` on PATH.
 * Asked for its version (one spawn, ~20 ms) because a `python3` of 3.8 is still common on servers.
 */
export async function findPython(o: { explicit?: string; path?: string; signal?: AbortSignal }): Promise<PythonInterpreter> {
  const candidates = o.explicit ? [o.explicit] : ['python3', 'python'];
  for (const name of candidates) {
    const command = isAbsolute(name) || name.includes('/') ? name : whichOnPath(name, o.path);
    if (!command) continue;
    let version: string;
    try {
      version = await askVersion(command, o.signal);
    } catch (err) {
      if (o.explicit) throw new PythonNotFoundError('The Python interpreter named by AIRDOCK_PYTHON does not run', { cause: err, context: { python: o.explicit } });
      continue;
    }
    if (!atLeast(version, MIN_PYTHON)) {
      throw new PythonTooOldError('The Python interpreter is too old for Airbyte connectors', {
        context: { python: command, version, required: MIN_PYTHON.join('.') },
      });
    }
    return { command, version };
  }
  throw new PythonNotFoundError('No Python interpreter was found', {
    context: { searched: o.explicit ? o.explicit : candidates.join(', ') },
  });
}

/** An executable of that name on PATH, or undefined: no spawn, so resolution can ask it cheaply. */
export function whichOnPath(name: string, path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

function askVersion(command: string, signal: AbortSignal | undefined): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, ['-c', 'import sys; print("%d.%d.%d" % sys.version_info[:3])'], { timeout: 15_000, signal }, (err, stdout) => {
      if (err) return reject(err);
      const v = stdout.trim();
      if (!/^\d+\.\d+\.\d+$/.test(v)) return reject(new Error(`unexpected version output: ${v.slice(0, 40)}`));
      resolve(v);
    });
  });
}

export function atLeast(version: string, min: readonly [number, number]): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major > min[0] || (major === min[0] && minor >= min[1]);
}
