import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { buildServer } from '../../../src/api/index.ts';
import { InProcessBus } from '../../../src/bus/index.ts';
import type { FundConfig } from '../../../src/contracts/index.ts';
import { LiveClock, SequentialIds } from '../../../src/core/index.ts';
import { main } from '../../../src/cli/main.ts';
import type { CliIo } from '../../../src/cli/output.ts';
import { createFundMetrics } from '../../../src/fund/index.ts';
import { openStore, type Store } from '../../../src/store/index.ts';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/** Runs the CLI in-process against a fresh KEEL_HOME, capturing its output. */
export function cliHome(): { home: string; run(...argv: string[]): Promise<CliRun> } {
  const home = mkdtempSync(path.join(os.tmpdir(), 'keel-cli-'));
  return {
    home,
    async run(...argv: string[]) {
      let out = '';
      let err = '';
      const io: CliIo = {
        out: (t) => void (out += t.endsWith('\n') ? t : `${t}\n`),
        err: (t) => void (err += t.endsWith('\n') ? t : `${t}\n`),
        isTTY: false,
        env: { KEEL_HOME: home, PATH: process.env.PATH },
        cwd: process.cwd(),
      };
      const code = await main(argv, io);
      return { code, out, err };
    },
  };
}

/** Runs `f` on the store of a CLI home, closing it after. */
export async function withStore<T>(home: string, f: (s: Store) => Promise<T>): Promise<T> {
  const s = await openStore({ home });
  try {
    return await f(s);
  } finally {
    await s.close();
  }
}

/** The trading days of the stored market (the first instrument's bars), oldest first. */
export function barDates(home: string): Promise<string[]> {
  return withStore(home, async (s) => {
    const list = await s.instruments.list();
    return [...new Set((await s.bars.range({ symbols: [list[0]?.symbol ?? ''] })).map((b) => b.date))];
  });
}

/** A CLI run that must succeed: its output on failure. */
export function ok(r: CliRun): CliRun {
  expect(r.code, `${r.err}\n${r.out}`).toBe(0);
  return r;
}

/**
 * The API over a CLI home's store, with a viewer of `fundId` holding `key`: what a user's
 * `keel serve` would answer after the commands run. Close the app, then the store.
 */
export async function serveHome(home: string, config: FundConfig, fundId: string, key: string): Promise<{ store: Store; app: FastifyInstance }> {
  const store = await openStore({ home });
  await store.users.create({ id: 'u-viewer', name: 'viewer', role: 'viewer', fundIds: [fundId], apiKey: key, createdAt: new Date().toISOString() });
  const app = await buildServer({ store, config, bus: new InProcessBus(), metrics: createFundMetrics(), clock: new LiveClock(), ids: new SequentialIds('t'), rateLimit: { perMinute: 1_000_000, burst: 100_000 }, monteCarloPaths: 2_000 });
  return { store, app };
}
