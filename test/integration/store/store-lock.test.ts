/**
 * The embedded store's lock between real processes: of several processes that find the same stale
 * lock (its holder dead) at once, exactly one holds the store and the others are refused naming it —
 * the takeover guard never lets one remove another's fresh lock. (Without the guard, unlink then
 * link, two of six held it at once in one of three runs of this test.)
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lockFileOf } from '../../../src/store/store-lock.ts';

const CHILD = path.join(import.meta.dirname, 'lock-child.ts');

function run(args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    c.stdout.on('data', (d: Buffer) => void (out += d.toString()));
    c.stderr.on('data', (d: Buffer) => void (err += d.toString()));
    c.on('error', reject);
    c.on('exit', (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(`child exited ${String(code)}: ${err}`))));
  });
}

async function deadPid(): Promise<number> {
  const c = spawn(process.execPath, ['-e', '']);
  await new Promise((r) => c.on('exit', r));
  return c.pid ?? 0;
}

describe('the store lock between processes', () => {
  it('of six processes racing for one stale lock, exactly one takes it over and the others name it', async () => {
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'keel-lock-race-')), 'db');
    const stale = await deadPid();
    for (let round = 0; round < 3; round++) {
      writeFileSync(lockFileOf(dir), `${JSON.stringify({ pid: stale, host: os.hostname(), since: '2026-01-01T00:00:00.000Z', command: 'gone' })}\n`);
      const startAt = String(Date.now() + 4000);
      const lines = await Promise.all(Array.from({ length: 6 }, () => run([dir, '1000', startAt])));
      const won = lines.filter((l) => l.startsWith('WON '));
      expect(won, lines.join('\n')).toHaveLength(1);
      const [, winner, from] = (won[0] ?? '').split(' ');
      // The winner took the stale lock over, or found the name free between a taker's removal and its link.
      expect([String(stale), 'none']).toContain(from);
      for (const l of lines.filter((x) => !x.startsWith('WON '))) expect(l).toMatch(new RegExp(`^LOST KEEL_E_STORE_LOCKED (${winner ?? ''})?$`));
      expect(existsSync(lockFileOf(dir))).toBe(false);
      expect(existsSync(`${lockFileOf(dir)}.takeover`)).toBe(false);
    }
    rmSync(path.dirname(dir), { recursive: true, force: true });
  }, 120_000);
});
