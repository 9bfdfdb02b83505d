/**
 * An agent that cannot trade the stored market is flagged from the first day: `keel backtest`
 * (JSON `unready` and a line in the summary) and `keel run` (JSON `unready`, a line, a HIGH alert)
 * name it and say what is missing. The volatility-premium agent on a market without the VXX proxy.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultFundConfigInput } from '../../../src/contracts/index.ts';
import { openStore } from '../../../src/store/index.ts';
import { cliHome } from './harness.ts';

function home(proxies: boolean) {
  const k = cliHome();
  const input = defaultFundConfigInput(10_000_000);
  writeFileSync(path.join(k.home, 'fund.json'), JSON.stringify({ ...input, fund: { ...input.fund, id: 'rdy' }, data: { minHistoryRows: 100, degradedMinRows: 50, minQuality: 0.5 } }));
  const generate = () => k.run('market', 'generate', '--symbols', '12', '--years', '1.2', '--seed', '9', ...(proxies ? [] : ['--no-proxies']));
  return { k, generate };
}

interface Unready {
  agentId: string;
  reason: string;
  from: string;
  days: number;
}

describe('an agent that cannot trade the loaded market', () => {
  it('is flagged from the first day of a backtest, with the reason, in the JSON and the summary', async () => {
    const { k, generate } = home(false);
    expect((await generate()).code).toBe(0);
    const json = await k.run('backtest', '--from', '2019-01-02', '--to', '2019-01-31', '--agents', 'vol-premium,momentum', '--json');
    expect(json.code, json.err).toBe(0);
    const r = JSON.parse(json.out) as { from: string; days: number; unready: Unready[] };
    expect(r.unready).toEqual([{ agentId: 'vol-premium', reason: expect.stringContaining("'VXX' is not in the market") as string, from: r.from, days: r.days }]);
    const text = await k.run('backtest', '--from', '2019-01-02', '--to', '2019-01-31', '--agents', 'vol-premium,momentum');
    expect(text.out).toContain(`agent vol-premium could not trade this market on ${r.days} of ${r.days} days (from ${r.from}): no volatility instrument`);
  }, 180_000);

  it('is named by keel run and alerted', async () => {
    const { k, generate } = home(false);
    expect((await generate()).code).toBe(0);
    const last = (JSON.parse((await k.run('market', 'list', '--json')).out) as { lastDate: string | null }[])[0]?.lastDate ?? '';
    const back = new Date(Date.parse(`${last}T00:00:00Z`) - (new Date(`${last}T00:00:00Z`).getUTCDay() === 1 ? 3 : 1) * 86_400_000).toISOString().slice(0, 10);
    const run = await k.run('run', '--once', '--as-of', back, '--json');
    expect(run.code, run.err).toBe(0);
    const cycle = JSON.parse(run.out) as { unready: { agentId: string; reason: string }[] };
    expect(cycle.unready.map((u) => u.agentId)).toEqual(['vol-premium']);
    const store = await openStore({ home: k.home });
    try {
      const alerts = await store.alerts.list({ limit: 50 });
      expect(alerts.filter((a) => a.title === 'agent vol-premium cannot trade the loaded market' && a.severity === 'HIGH')).toHaveLength(1);
      // its capital is not left idle: the cycle's allocation (stored with the risk snapshot) gives
      // it nothing and its $10M to the others, and the stored ledger moved the cash with it
      const [snap] = await store.risk.snapshots('rdy');
      const alloc = snap?.metrics['allocation'] as { rebalanced: boolean; agents: { agentId: string; from: number; to: number; why: string }[] };
      const vp = alloc.agents.find((a) => a.agentId === 'vol-premium');
      expect(vp?.to).toBe(0);
      expect(vp?.from).toBeGreaterThan(0); // its configured capital (as the run sized the fund)
      expect(vp?.why).toContain('cannot trade');
      const others = alloc.agents.filter((a) => a.agentId !== 'vol-premium');
      const gained = others.reduce((s, a) => s + a.to - a.from, 0);
      expect(gained).toBeGreaterThan((vp?.from ?? 0) - 100_000); // all of it but the rounding to $10k units
      expect(gained).toBeLessThanOrEqual(vp?.from ?? 0);
      const books = new Map(((await store.ledger.load('rdy'))?.books ?? []).map((b) => [b.agentId, b]));
      expect(books.get('vol-premium')?.adjustmentsCents).toBe(-Math.round((vp?.from ?? 0) * 100));
      expect(others.reduce((s, a) => s + (books.get(a.agentId)?.adjustmentsCents ?? 0), 0)).toBe(Math.round(gained * 100));
    } finally {
      await store.close();
    }
    expect((await k.run('run', '--once')).out).toContain('agent vol-premium cannot trade this market: no volatility instrument');
    // the allocation as the CLI shows it: the cycle that moved vol-premium's capital, read back
    const shown = await k.run('risk', 'allocation', '--fund', 'rdy', '--json');
    expect(shown.code, shown.err).toBe(0);
    const listed = JSON.parse(shown.out) as { fundId: string; allocations: { asOf: string; rebalanced: boolean; agents: { agentId: string; from: number; to: number }[] }[] };
    expect(listed.allocations.length).toBeGreaterThanOrEqual(1);
    const first = listed.allocations[0];
    expect(first?.asOf).toBe(back);
    expect(first?.agents.find((a) => a.agentId === 'vol-premium')?.to).toBe(0);
    const text = (await k.run('risk', 'allocation', '--fund', 'rdy')).out;
    const moved = (first?.agents ?? []).reduce((s, a) => s + Math.abs(a.to - a.from), 0) / 2;
    expect(text).toMatch(new RegExp(`${back}\\s+${first?.rebalanced === true ? 'rebalance' : 'readiness'}\\s+risk_parity\\s+\\S+\\s+\\S+\\s+\\$${(moved / 1e6).toFixed(2)}M`));
    const vpFrom = ((first?.agents.find((a) => a.agentId === 'vol-premium')?.from ?? 0) / 1e6).toFixed(2);
    expect(text).toMatch(new RegExp(`vol-premium\\s+\\$${vpFrom}M\\s+\\$0\\s+−\\$${vpFrom}M`));
    // two cycles of a flat book: no record to score (it was scored the worst of the fund: Sharpe −9e16, Sortino −15.9, score −0.5)
    const again = await openStore({ home: k.home });
    try {
      const agents = new Map((await again.funds.agents('rdy')).map((a) => [a.id, a.metrics]));
      const vp = agents.get('vol-premium') ?? {};
      expect(vp['sharpe']).toBeUndefined();
      expect(vp['sortino']).toBeUndefined();
      expect(vp['score']).toBe(0);
      expect(Object.values(agents.get('momentum') ?? {}).every((v) => typeof v !== 'number' || Math.abs(v) < 1e6)).toBe(true);
    } finally {
      await again.close();
    }
  }, 180_000);

  it('is not flagged once the instrument is in the market', async () => {
    const ok = home(true);
    expect((await ok.generate()).code).toBe(0);
    const bt = await ok.k.run('backtest', '--from', '2019-01-02', '--to', '2019-01-31', '--agents', 'vol-premium', '--json');
    expect(bt.code, bt.err).toBe(0);
    expect((JSON.parse(bt.out) as { unready: Unready[] }).unready).toEqual([]);
  }, 180_000);
});
