import type { JobFile } from '../../launcher/backend.js';

/** Where the job files land in the pod: an emptyDir (memory-backed), never the image's filesystem. */
export const POD_JOB_DIR = '/airbyte/job';

const SAFE_NAME = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * The pod's command. Attach does not replay what a container wrote before it connected, so the
 * connector must not start before we are attached: the shell first reads the job files from stdin
 * (a header line, then `name size` and exactly `size` bytes per file; `head -c` reads no further
 * than asked), and only then execs the connector. Configs thus never sit in the pod spec, an env var,
 * a ConfigMap or etcd. What follows on stdin is the connector's own input (`write`).
 * The connector is started as the platform does: `$AIRBYTE_ENTRYPOINT` from the image's environment.
 */
export const GATE_SCRIPT = [
  'umask 077',
  'IFS= read -r header || { echo "airdock: no job header on stdin" >&2; exit 125; }',
  'case "$header" in "airdock-job "*) ;; *) echo "airdock: bad job header" >&2; exit 125 ;; esac',
  'n=${header#airdock-job }',
  'while [ "$n" -gt 0 ]; do',
  '  IFS=" " read -r name size || exit 125',
  '  head -c "$size" > "$AIRDOCK_JOB_DIR/$name" || exit 125',
  '  n=$((n - 1))',
  'done',
  'if [ -z "$AIRBYTE_ENTRYPOINT" ]; then echo "airdock: the image does not set AIRBYTE_ENTRYPOINT, which the Kubernetes backend needs to start it" >&2; exit 126; fi',
  'eval "exec $AIRBYTE_ENTRYPOINT \\"\\$@\\""',
].join('\n');

/** `sh -c GATE_SCRIPT $0 argv...`: the connector's argv reaches it as "$@". */
export function gateCommand(argv: readonly string[]): string[] {
  return ['/bin/sh', '-c', GATE_SCRIPT, 'airbyte-connector', ...argv];
}

/** The bytes sent on stdin before anything else: the header and every job file. */
export function jobFrame(files: readonly JobFile[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`airdock-job ${files.length}\n`)];
  for (const f of files) {
    if (!SAFE_NAME.test(f.name)) throw new TypeError(`job file name not allowed: ${f.name}`);
    const body = typeof f.contents === 'string' ? Buffer.from(f.contents) : f.contents;
    parts.push(Buffer.from(`${f.name} ${body.length}\n`), body);
  }
  return Buffer.concat(parts);
}
