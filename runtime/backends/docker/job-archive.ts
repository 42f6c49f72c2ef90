import type Docker from 'dockerode';
import { text } from 'node:stream/consumers';
import { posix } from 'node:path';
import tar from 'tar-stream';
import type { JobFile } from '../../launcher/backend.js';

export interface Owner { uid: number; gid: number }

/**
 * The job files as a tar to extract in the job volume: the job dir (0700, `jobDir` relative to the
 * volume) and its files (0600), owned by the user the connector runs as, who can then also write there.
 */
export function jobArchive(jobDir: string, files: readonly JobFile[], owner: Owner): tar.Pack {
  const pack = tar.pack();
  const dir = jobDir.replace(/^\/+/, '');
  const mtime = new Date();
  pack.entry({ name: `${dir}/`, type: 'directory', mode: 0o700, uid: owner.uid, gid: owner.gid, mtime });
  for (const f of files) {
    pack.entry({ name: posix.join(dir, f.name), mode: 0o600, uid: owner.uid, gid: owner.gid, mtime }, typeof f.contents === 'string' ? Buffer.from(f.contents) : f.contents);
  }
  pack.finalize();
  return pack;
}

/**
 * The uid/gid of the image's USER: numeric as is, a name looked up in the image's /etc/passwd (read
 * from the created container, before start), root when unset. An unknown name falls back to 1000,
 * the uid Airbyte images use.
 */
export async function resolveUser(container: Docker.Container, user: string): Promise<Owner> {
  const [u = '', g] = user.split(':');
  if (u === '' || u === 'root' || u === '0') return { uid: 0, gid: g && /^\d+$/.test(g) ? Number(g) : 0 };
  if (/^\d+$/.test(u)) return { uid: Number(u), gid: g && /^\d+$/.test(g) ? Number(g) : Number(u) };
  try {
    const archive = await container.getArchive({ path: '/etc/passwd' });
    const passwd = await extractFirst(archive);
    for (const line of passwd.split('\n')) {
      const f = line.split(':');
      if (f[0] === u && f[2] && f[3]) return { uid: Number(f[2]), gid: Number(f[3]) };
    }
  } catch { /* no /etc/passwd */ }
  return { uid: 1000, gid: 1000 };
}

async function extractFirst(archive: NodeJS.ReadableStream): Promise<string> {
  const extract = tar.extract();
  let content = '';
  const done = new Promise<void>((resolve, reject) => {
    extract.on('entry', (_h, stream, next) => {
      void text(stream).then((t) => { content ||= t; next(); }, reject);
    });
    extract.on('finish', resolve);
    extract.on('error', reject);
  });
  (archive as NodeJS.ReadableStream & { pipe: (d: NodeJS.WritableStream) => void }).pipe(extract);
  await done;
  return content;
}
