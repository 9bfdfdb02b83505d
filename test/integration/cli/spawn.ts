import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const BIN = path.resolve(import.meta.dirname, '../../../bin/keel.mjs');
const CLOCK = path.resolve(import.meta.dirname, '../../fakes/fake-clock.ts');

export interface ProcessRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly out: string;
  readonly err: string;
}

/**
 * The real `keel` (bin/keel.mjs) as a child process, with exactly `env` (plus PATH): what a user
 * runs; on a shifted clock when `env` names a KEEL_TEST_CLOCK_FILE. `onOut` sees stdout and stderr
 * as they come (to wait for a line, or kill at a point).
 */
export function keel(args: readonly string[], env: Readonly<Record<string, string>>, o: { onOutput?: (text: string, child: ChildProcess) => void; timeoutMs?: number } = {}): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    // on the clock KEEL_TEST_CLOCK_FILE sets (test/fakes/fake-clock.ts), when the test gives one
    const clock = env.KEEL_TEST_CLOCK_FILE ? ['--import', 'tsx', '--import', CLOCK] : [];
    const child = spawn(process.execPath, [...clock, BIN, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 120_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      o.onOutput?.(out + err, child);
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      o.onOutput?.(out + err, child);
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, out, err });
    });
  });
}
