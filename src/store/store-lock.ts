import { closeSync, linkSync, openSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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
  /** The dead process whose stale lock this one took over, or null when the store was free. */
  readonly tookOverFrom: LockHolder | null;
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
export function acquireStoreLock(dataDir: string, command = commandLine(process.argv)): StoreLock {
  const file = lockFileOf(dataDir);
  const me: LockHolder = { pid: process.pid, host: os.hostname(), since: new Date().toISOString(), command };
  // Written whole to a private file, then linked into place: the lock never exists half-written.
  const tmp = `${file}.${process.pid}.${Date.now()}`;
  writeFileSync(tmp, `${JSON.stringify(me)}\n`, { mode: 0o644 });
  let tookOverFrom: LockHolder | null;
  try {
    tookOverFrom = takeOver(file, tmp, dataDir, me);
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
  return { file, tookOverFrom, release };
}

/** How a holder is named to the user: `keel serve --port 8080` rather than the script's path. */
export function commandLine(argv: readonly string[]): string {
  const [, script, ...args] = argv;
  if (script === undefined) return '';
  const name = /^keel(\.mjs)?$/.test(path.basename(script)) ? 'keel' : script;
  return [name, ...args].join(' ');
}

/** A takeover guard older than this was left by a process that died while taking over. */
const GUARD_STALE_MS = 10_000;

function lockedError(dataDir: string, file: string, holder: LockHolder): KeelError {
  const who = holder.pid === process.pid ? 'this process (it is already open)' : `process ${holder.pid}${holder.command ? ` (${holder.command.slice(0, 80)})` : ''}`;
  return new KeelError(
    'KEEL_E_STORE_LOCKED',
    `the embedded store ${dataDir} is in use by ${who} since ${holder.since}; use that process's API, stop it, or set DATABASE_URL to share a PostgreSQL server`,
    { pid: holder.pid, command: holder.command, lockFile: file },
  );
}

const sameHolder = (a: LockHolder | null, b: LockHolder | null): boolean =>
  a === null || b === null ? a === b : a.pid === b.pid && a.host === b.host && a.since === b.since;

/**
 * Links `tmp` to `file` (atomic: it fails when `file` exists). A stale lock (dead or unreadable
 * holder) is removed under a guard file created with O_EXCL, after reading it again under the
 * guard: two processes taking over the same stale lock can then never remove each other's fresh
 * one. Returns the stale holder taken over, or null.
 */
function takeOver(file: string, tmp: string, dataDir: string, me: LockHolder): LockHolder | null {
  const guard = `${file}.takeover`;
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      linkSync(tmp, file);
      return null;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new KeelError('KEEL_E_STORE', `cannot create the store lock ${file}: ${(e as Error).message}`);
    }
    const holder = readHolder(file);
    if (holder !== null && (holder.host !== me.host || isAlive(holder.pid))) throw lockedError(dataDir, file, holder);
    let fd: number;
    try {
      fd = openSync(guard, 'wx');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new KeelError('KEEL_E_STORE', `cannot create ${guard}: ${(e as Error).message}`);
      if (isOlderThan(guard, GUARD_STALE_MS)) rmSync(guard, { force: true });
      else sleepSync(50);
      continue;
    }
    try {
      if (!sameHolder(readHolder(file), holder)) continue;
      rmSync(file, { force: true });
      linkSync(tmp, file);
      return holder ?? { pid: 0, host: '', since: '', command: 'an unreadable lock' };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw new KeelError('KEEL_E_STORE', `cannot take over the stale store lock ${file}: ${(e as Error).message}`);
    } finally {
      closeSync(fd);
      rmSync(guard, { force: true });
    }
  }
  throw new KeelError('KEEL_E_STORE_LOCKED', `the embedded store ${dataDir} is being locked by another process; try again`, { lockFile: file });
}

function isOlderThan(file: string, ms: number): boolean {
  try {
    return Date.now() - statSync(file).mtimeMs > ms;
  } catch {
    return false;
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
