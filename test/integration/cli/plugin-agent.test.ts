/**
 * Issue 16, Done when: an agent written outside the repository, named in a fund config by its
 * module, runs through the real `keel` processes — scaffolded (`keel agent new`), checked
 * (`keel agent check`), backtested (`keel backtest`) and run (`keel run --once`): its proposals are
 * reviewed by the overlay, traded, recorded, listed by the API the Agents page reads, and replayed
 * identically (`keel replay`); once its file changes, replay refuses (the config hash covers the code).
 */
import { appendFileSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildServer } from '../../../src/api/index.ts';
import { defaultFundConfigInput, parseFundConfig } from '../../../src/contracts/index.ts';
import { createFundMetrics } from '../../../src/fund/index.ts';
import { InProcessBus } from '../../../src/bus/index.ts';
import { SequentialIds, SimClock } from '../../../src/core/index.ts';
import { openStore } from '../../../src/store/index.ts';
import { keel } from './spawn.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');

/** A user's project outside the repository: Keel installed (node_modules/keel), a fund config, a Keel home. */
function project() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'keel-user-'));
  mkdirSync(path.join(dir, 'node_modules'));
  symlinkSync(ROOT, path.join(dir, 'node_modules', 'keel'), 'dir');
  const input = defaultFundConfigInput(20_000_000);
  const config = path.join(dir, 'fund.json');
  writeFileSync(
    config,
    JSON.stringify({ ...input, fund: { ...input.fund, id: 'byo' }, agents: [{ id: 'momentum', strategy: 'momentum', allocatedCapital: 6_000_000 }] }, null, 2),
  );
  const env = { KEEL_HOME: path.join(dir, '.keel') };
  return { dir, config, env, run: (...args: string[]) => keel(args, env, { timeoutMs: 240_000 }) };
}

describe('bring your own agent: a plug-in module through the CLI', () => {
  it('is scaffolded, checked, backtested, run, recorded, listed by the API and replayed identically', async () => {
    const p = project();
    const made = await p.run('agent', 'new', 'low-vol', '--dir', path.join(p.dir, 'agents'), '--config', p.config, '--capital', '6000000', '--json');
    expect(made.code, made.err).toBe(0);
    const scaffold = JSON.parse(made.out) as { module: string; entry: { module: string } };
    expect(scaffold.entry.module).toBe('./agents/low-vol.ts');
    expect((await p.run('market', 'generate', '--symbols', '30', '--years', '5.2', '--seed', '5')).code).toBe(0);

    const check = await p.run('agent', 'check', scaffold.module, '--days', '20');
    expect(check.code, check.err).toBe(0);
    expect(check.out).toMatch(/meets agent contract 1\.1\.0: long the least volatile names\n20 proposals on the stored market \(32 names\)/);

    const bt = await p.run('backtest', '--config', p.config, '--from', '2022-01-03', '--to', '2022-04-29', '--json');
    expect(bt.code, bt.err).toBe(0);
    const summary = JSON.parse(bt.out) as { agents: { id: string; strategy: string; trading: { tradedNotional: number }; overlayActions: Record<string, number> }[] };
    const lv = summary.agents.find((a) => a.id === 'low-vol');
    expect(lv?.strategy).toBe('custom');
    expect(lv?.trading.tradedNotional).toBeGreaterThan(1_000_000);
    expect(Object.values(lv?.overlayActions ?? {}).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);

    const run = await p.run('run', '--once', '--config', p.config, '--no-fetch', '--json');
    expect(run.code, run.err).toBe(0);
    const cycle = JSON.parse(run.out) as { cycleId: string; decisions: { agentId: string; action: string }[]; orders: { allocations: { agentId: string }[] }[] };
    expect(cycle.decisions.map((d) => d.agentId)).toEqual(['momentum', 'low-vol']);
    expect(cycle.orders.some((o) => o.allocations.some((a) => a.agentId === 'low-vol'))).toBe(true);

    const store = await openStore({ home: p.env.KEEL_HOME });
    try {
      const records = await store.decisions.listByCycle(cycle.cycleId);
      const mine = records.filter((r) => r.metadata['agentId'] === 'low-vol');
      expect(mine.length).toBeGreaterThan(0);
      expect(mine.every((r) => r.metadata['strategy'] === 'custom' && r.sigmaHat > 0)).toBe(true);
      await store.users.create({ id: 'u-v', name: 'v', role: 'viewer', fundIds: ['byo'], apiKey: 'k-viewer-byo-0123456789', createdAt: new Date().toISOString() });
      const app = await buildServer({ store, config: parseFundConfig(defaultFundConfigInput()), bus: new InProcessBus(), metrics: createFundMetrics(), clock: new SimClock(Date.now()), ids: new SequentialIds('t'), validateResponses: process.env.KEEL_VALIDATE_RESPONSES === '1' });
      try {
        const res = await app.inject({ method: 'GET', url: '/v1/funds/byo/agents', headers: { authorization: 'Bearer k-viewer-byo-0123456789' } });
        expect(res.statusCode, res.body).toBe(200);
        const agents = (res.json() as { agents: { id: string; strategy: string; bucket: string; riskDrivers: string[] }[] }).agents;
        expect(agents.find((a) => a.id === 'low-vol')).toMatchObject({ strategy: 'custom', bucket: 'directional_equity', riskDrivers: ['equity_beta', 'defensive'] });
      } finally {
        await app.close();
      }
    } finally {
      await store.close();
    }

    const replay = await p.run('replay', cycle.cycleId, '--json');
    expect(replay.code, replay.err).toBe(0);
    expect((JSON.parse(replay.out) as { identical: boolean }).identical).toBe(true);

    appendFileSync(scaffold.module, '\n// edited after the cycle\n');
    const changed = await p.run('replay', cycle.cycleId);
    expect(changed.code).toBe(1);
    expect(changed.err).toContain('low-vol.ts changed since the config was recorded');
  }, 600_000);
});
