/**
 * The embedded (PGlite) store is single-writer, through real processes: while `keel serve` holds
 * KEEL_HOME's store, another `keel` command stops with one line naming the server's PID and the
 * fix (no WASM `Aborted()`, no stack, no write), the server keeps serving and stops cleanly on
 * SIGTERM; a lock left by a dead process (a made-up dead PID, a `kill -9`) is taken over with a note.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKeel, serveKeel, type KeelRun } from './keel-process.ts';

const home = mkdtempSync(path.join(os.tmpdir(), 'keel-store-lock-'));
const env = { KEEL_HOME: home, KEEL_LOG_LEVEL: 'warn' };
const lockFile = path.join(home, 'db.lock');

/** A PID that certainly ran on this machine and has exited. */
async function deadPid(): Promise<number> {
  const c = spawn(process.execPath, ['-e', '']);
  await new Promise((r) => c.on('exit', r));
  return c.pid ?? 0;
}

const serve = (): ReturnType<typeof serveKeel> => serveKeel(env);

function expectRefused(r: KeelRun, pid: number): void {
  expect(r.code).not.toBe(0);
  const lines = r.err.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(new RegExp(`^error KEEL_E_STORE_LOCKED: the embedded store .*db is in use by process ${pid} \\(keel serve --port 0 --quiet\\) since .*; use that process's API, stop it, or set DATABASE_URL`));
  expect(r.err + r.out).not.toMatch(/Aborted|RuntimeError|\n\s+at /);
}

describe('the embedded store is single-writer (real keel processes)', () => {
  let apiKey = '';
  beforeAll(async () => {
    expect((await runKeel(['init'], env)).code).toBe(0);
    const add = await runKeel(['user', 'add', 'ops', '--role', 'admin', '--json'], env);
    apiKey = (JSON.parse(add.out) as { apiKey: string }).apiKey;
  }, 120_000);
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it('refuses a second process while keel serve holds the store, naming its PID; the server keeps serving and stops cleanly on SIGTERM', async () => {
    const { server, url } = await serve();
    const pid = server.child.pid ?? 0;
    try {
      expect(JSON.parse(readFileSync(lockFile, 'utf8'))).toMatchObject({ pid, command: 'keel serve --port 0 --quiet' });
      const funds = async (): Promise<string[]> => {
        const res = await fetch(`${url}/v1/funds`, { headers: { authorization: `Bearer ${apiKey}` } });
        expect(res.status).toBe(200);
        return ((await res.json()) as { funds: { id: string }[] }).funds.map((f) => f.id).sort();
      };
      expect(await funds()).toEqual(['main']);

      // A read, a write and a second server: each refused in one line, none touching the store.
      expectRefused(await runKeel(['fund', 'list'], env), pid);
      expectRefused(await runKeel(['fund', 'create', 'second'], env), pid);
      expectRefused(await runKeel(['serve', '--port', '0', '--quiet'], env), pid);

      expect(await funds()).toEqual(['main']);
      expect(JSON.parse(readFileSync(lockFile, 'utf8'))).toMatchObject({ pid });
    } finally {
      server.child.kill('SIGTERM');
    }
    const exit = await server.exited;
    expect(exit.code).toBe(0);
    expect(exit.err).not.toMatch(/Aborted|\n\s+at /);
    expect(existsSync(lockFile)).toBe(false);

    // Released: the next command writes, and the write is there.
    expect((await runKeel(['fund', 'create', 'second'], env)).code).toBe(0);
    expect((await runKeel(['fund', 'list'], env)).out).toMatch(/^second\s/m);
  });

  it('takes over a lock whose process is dead, with a note', async () => {
    const pid = await deadPid();
    writeFileSync(lockFile, `${JSON.stringify({ pid, host: os.hostname(), since: '2026-01-02T03:04:05.000Z', command: 'keel daemon' })}\n`);
    const r = await runKeel(['fund', 'list'], env);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^main\s/m);
    expect(r.err).toContain(`took over the embedded store's stale lock: process ${pid} (keel daemon) holding it since 2026-01-02T03:04:05.000Z is no longer running`);
    expect(existsSync(lockFile)).toBe(false);
  });

  it('takes over the lock of a server killed with SIGKILL, and its data is intact', async () => {
    const { server } = await serve();
    const pid = server.child.pid ?? 0;
    server.child.kill('SIGKILL');
    await server.exited;
    expect(JSON.parse(readFileSync(lockFile, 'utf8'))).toMatchObject({ pid });
    const r = await runKeel(['fund', 'list'], env);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^main\s/m);
    expect(r.out).toMatch(/^second\s/m);
    expect(r.err).toContain(`stale lock: process ${pid} (keel serve --port 0 --quiet)`);
  });
});
