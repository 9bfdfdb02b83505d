import { linkSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { KeelError } from '../core/index.ts';

/** Who holds an embedded store: written as JSON into its lock file. */
export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly since: string;
  /** The command line of the holder (e.g. `keel serve`). */
  readonly command: string;
}

/** A held lock; `release` is idempotent. */
export interface StoreLock {
  readonly file: string;
  release(): void;
}

/** The lock file of a PGlite data directory (next to it: the directory itself must stay PostgreSQL's). */
export const lockFileOf = (dataDir: string): string => `${dataDir}.lock`;

function readHolder(file: string): LockHolder | null {
  try {
    const h = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockHolder>;
    return typeof h.pid === 'number' ? { pid: h.pid, host: h.host ?? '', since: h.since ?? '', command: h.command ?? '' } : null;
  } catch {
    return null;
  }
}

/** Whether a process with this id runs on this machine (EPERM: it runs as another user). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** The locks this process holds, released together on exit or on an unhandled signal (process-wide by nature). */
const held = new Set<() => void>();

function releaseAll(): void {
  for (const r of [...held]) r();
}

function onSignal(signal: NodeJS.Signals): void {
  // Someone else handles it (a server shutting down gracefully closes its store): leave it to them.
  if (process.listenerCount(signal) > 1) return;
  releaseAll();
  process.kill(process.pid, signal);
}

function hook(release: () => void): void {
  if (held.size === 0) {
    process.on('exit', releaseAll);
    for (const s of SIGNALS) process.on(s, onSignal);
  }
  held.add(release);
}

function unhook(release: () => void): void {
  held.delete(release);
  if (held.size === 0) {
    process.off('exit', releaseAll);
    for (const s of SIGNALS) process.off(s, onSignal);
  }
}

/**
 * Takes the single-writer lock of an embedded (PGlite) store: a file beside the data directory
 * holding this process's PID, created exclusively. PGlite is one process's database: a second
 * process that opened the same directory would crash, lose writes or wedge the first. A lock
 * whose holder is dead (or unreadable) is stale and taken over. The lock is released by
 * `release()` (closing the store), on process exit, and on SIGINT/SIGTERM/SIGHUP when nothing
 * else handles the signal (a server that handles it closes its store, which releases it).
 * Throws KEEL_E_STORE_LOCKED naming the holder's PID and the fix.
 */
export function acquireStoreLock(dataDir: string, command = process.argv.slice(1).join(' ')): StoreLock {
  const file = lockFileOf(dataDir);
  const me: LockHolder = { pid: process.pid, host: os.hostname(), since: new Date().toISOString(), command };
  // Written whole to a private file, then linked into place: the lock never exists half-written.
  const tmp = `${file}.${process.pid}.${Date.now()}`;
  writeFileSync(tmp, `${JSON.stringify(me)}\n`, { mode: 0o644 });
  try {
    takeOver(file, tmp, dataDir, me);
  } finally {
    rmSync(tmp, { force: true });
  }
  let isHeld = true;
  const release = (): void => {
    if (!isHeld) return;
    isHeld = false;
    unhook(release);
    if (readHolder(file)?.pid !== process.pid) return;
    try {
      unlinkSync(file);
    } catch {
      // already gone
    }
  };
  hook(release);
  return { file, release };
}

/** Links `tmp` to `file`; a stale lock (dead holder) is removed first. */
function takeOver(file: string, tmp: string, dataDir: string, me: LockHolder): void {
  for (let attempt = 0; ; attempt++) {
    try {
      linkSync(tmp, file);
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new KeelError('KEEL_E_STORE', `cannot create the store lock ${file}: ${(e as Error).message}`);
      const holder = readHolder(file);
      const live = holder !== null && (holder.host !== me.host || isAlive(holder.pid));
      if (live && holder) {
        const who = holder.pid === process.pid ? 'this process (it is already open)' : `process ${holder.pid}${holder.command ? ` (${holder.command.slice(0, 80)})` : ''}`;
        throw new KeelError(
          'KEEL_E_STORE_LOCKED',
          `the embedded store ${dataDir} is in use by ${who} since ${holder.since}; use that process's API, stop it, or set DATABASE_URL to share a PostgreSQL server`,
          { pid: holder.pid, lockFile: file },
        );
      }
      if (attempt >= 2) throw new KeelError('KEEL_E_STORE_LOCKED', `the embedded store ${dataDir} is being locked by another process; try again`, { lockFile: file });
      // Stale: its holder died without releasing it.
      try {
        unlinkSync(file);
      } catch {
        // another process took it over first; try again
      }
    }
  }
}
