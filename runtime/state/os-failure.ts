/**
 * The OS reason of a failed file operation on the state store (ENOSPC, EACCES, EISDIR...) and what a
 * user can do about it, for the error's context and hint. Unknown reasons get the error class's hint.
 */
export function osFailure(err: unknown, op: 'read' | 'write'): { reason: string | undefined; hint: string | undefined } {
  const reason = (err as NodeJS.ErrnoException | undefined)?.code;
  return { reason, hint: reason ? HINTS[reason]?.(op) : undefined };
}

const elsewhere = 'or point the state elsewhere (state.dir in the connection file, or --state-dir)';
const HINTS: Record<string, (op: 'read' | 'write') => string> = {
  ENOSPC: () => `The disk holding the state is full: free space there, ${elsewhere}, and rerun; the sync resumes from the last state saved`,
  EDQUOT: () => `The disk quota of the state directory is used up: free space, ${elsewhere}, and rerun`,
  EACCES: (op) => `airdock may not ${op} there: fix the permissions of the state directory and file, ${elsewhere}`,
  EPERM: (op) => `airdock may not ${op} there: fix the permissions of the state directory and file, ${elsewhere}`,
  EROFS: () => `The state directory is on a read-only filesystem: ${elsewhere.replace(/^or /, '')}`,
  EISDIR: () => 'The state file path is a directory: move it away (a new state is written on the next sync)',
  ENOTDIR: () => 'A part of the state directory path is a file, not a directory: fix the path',
  EIO: () => 'The disk reported an I/O error: check it, then rerun',
};
