// Runs the real `keel` binary (bin/keel.mjs) as a child process, optionally on a shifted clock
// (test/fakes/fake-clock.ts), and collects its output line by line.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const CLOCK = path.join(ROOT, 'test/fakes/fake-clock.ts');

export interface KeelRun {
  readonly code: number | null;
  readonly out: string;
  readonly err: string;
}

/** A running `keel` child: its output so far, a wait for a line, and its exit. */
export interface KeelChild {
  readonly child: ChildProcess;
  out(): string;
  err(): string;
  /** Resolves with the first stderr/stdout line (so far or later) that matches. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  exited: Promise<KeelRun>;
}

export function spawnKeel(args: readonly string[], env: Record<string, string | undefined>): KeelChild {
  const child = spawn(process.execPath, ['--import', 'tsx', '--import', CLOCK, path.join(ROOT, 'bin/keel.mjs'), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const waiters: Array<{ pattern: RegExp; resolve: (line: string) => void }> = [];
  let seen = 0;
  const scan = () => {
    const text = out + err;
    for (const w of [...waiters]) {
      const line = text.split('\n').find((l) => w.pattern.test(l));
      if (line !== undefined) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
    seen = text.length;
  };
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
    scan();
  });
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
    scan();
  });
  const exited = new Promise<KeelRun>((resolve) => child.on('close', (code) => resolve({ code, out, err })));
  return {
    child,
    out: () => out,
    err: () => err,
    exited,
    waitFor(pattern, timeoutMs = 120_000) {
      return new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern} (seen ${seen} chars):\n${(out + err).slice(-3000)}`)), timeoutMs);
        waiters.push({
          pattern,
          resolve: (line) => {
            clearTimeout(timer);
            resolve(line);
          },
        });
        scan();
        void exited.then(() => {
          clearTimeout(timer);
          if (waiters.some((w) => w.pattern === pattern)) reject(new Error(`keel exited before ${pattern}:\n${(out + err).slice(-3000)}`));
        });
      });
    },
  };
}

/** Runs `keel` to completion. */
export function runKeel(args: readonly string[], env: Record<string, string | undefined>): Promise<KeelRun> {
  return spawnKeel(args, env).exited;
}

/** Starts `keel serve` on a free port; resolves with the child and its URL once it listens. */
export async function serveKeel(env: Record<string, string | undefined>): Promise<{ server: KeelChild; url: string }> {
  const server = spawnKeel(['serve', '--port', '0', '--quiet'], env);
  const line = await server.waitFor(/Keel API on http/);
  return { server, url: /(http:\/\/\S+) /.exec(line)?.[1] ?? '' };
}
