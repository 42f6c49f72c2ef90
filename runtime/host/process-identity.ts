import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

/**
 * Who owns something on this machine (a lock, a job dir, a connector process): enough to tell later
 * whether that owner is still running. A pid alone is not: after a reboot, or on a busy machine, the
 * number comes back for another process. Where Linux tells us, the boot id and the process start time
 * (clock ticks since boot) make the identity exact; elsewhere the pid is the best we have.
 */
export interface ProcessIdentity {
  pid: number;
  host: string;
  bootId?: string;
  startTicks?: number;
}

export function processIdentity(pid = process.pid): ProcessIdentity {
  const bootId = readBootId();
  const startTicks = readStartTicks(pid);
  return { pid, host: hostname(), ...(bootId ? { bootId } : {}), ...(startTicks !== undefined ? { startTicks } : {}) };
}

/**
 * `alive` or `dead` for an owner on this host; `unknown` for another host, whose pids mean nothing here.
 * EPERM from kill(0) means the process exists but belongs to someone else: alive.
 */
export function ownerState(owner: Partial<ProcessIdentity>): 'alive' | 'dead' | 'unknown' {
  if (owner.host !== undefined && owner.host !== hostname()) return 'unknown';
  if (!Number.isInteger(owner.pid) || (owner.pid as number) <= 0) return 'dead';
  const current = readBootId();
  if (owner.bootId && current && owner.bootId !== current) return 'dead';
  if (!isAlive(owner.pid as number)) return 'dead';
  if (owner.startTicks !== undefined) {
    const now = readStartTicks(owner.pid as number);
    if (now !== undefined && now !== owner.startTicks) return 'dead';
  }
  return 'alive';
}

/** Whether a process with this pid exists (EPERM: it exists but belongs to another user). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

let bootId: string | null | undefined;
function readBootId(): string | undefined {
  if (bootId === undefined) {
    try {
      bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || null;
    } catch {
      bootId = null;
    }
  }
  return bootId ?? undefined;
}

/** Field 22 of /proc/<pid>/stat; the command name (field 2) may hold spaces and parentheses, so parse after its last ')'. */
export function readStartTicks(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[19]);
    return Number.isFinite(ticks) ? ticks : undefined;
  } catch {
    return undefined;
  }
}
