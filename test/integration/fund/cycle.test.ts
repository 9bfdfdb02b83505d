import { describe, expect, it } from 'vitest';
import { defaultFundConfigInput, parseFundConfig, resolveAgentRisk, type FundConfigInput } from '../../../src/contracts/index.ts';
import { hashOf } from '../../../src/core/index.ts';
import { replayCycle, runBacktest, type CycleInputs } from '../../../src/fund/index.ts';
import type { OverlayDecision } from '../../../src/contracts/index.ts';
import { syntheticPanel, type Panel } from '../../../src/market/index.ts';

const panel: Panel = syntheticPanel({ symbols: 60, years: 2, seed: 11 });
const lastDays = (n: number) => ({ from: panel.dates[panel.T - n] ?? '', to: panel.dates[panel.T - 1] ?? '' });
const config = (over: Partial<FundConfigInput> = {}) =>
  parseFundConfig({ ...defaultFundConfigInput(10_000_000), data: { minHistoryRows: 200, degradedMinRows: 100 }, ...over });

describe('the fund cycle over a synthetic market', () => {
  it('trades, and the NAV reconciles to the cent with cash and positions on every day', async () => {
    const r = await runBacktest({ id: 'bt-test', config: config(), panel, ...lastDays(40) });
    expect(r.days).toBe(40);
    expect(r.ledgerReconciled).toBe(true);
    expect(r.costs.orders).toBeGreaterThan(0);
    expect(r.costs.fills).toBeGreaterThan(0);
    expect(r.costs.commissions).toBeGreaterThan(0);
    // Fund NAV is the sum of the books (agents + the fund's own), every day.
    for (let d = 0; d < r.days; d++) {
      const agentsSum = r.agents.reduce((s, a) => s + (a.equity[d] ?? 0), 0);
      expect(r.fund.equity[d]).toBeGreaterThan(agentsSum); // the unallocated 10% sits in the fund book
    }
    expect(Number.isFinite(r.fund.tearSheet.sharpe)).toBe(true);
    expect(Object.values(r.overlayActions).reduce((a, b) => a + b, 0)).toBe(40 * 9);
  });

  // Invariant: every position of every book is explained by the fills the cycles recorded (the
  // broker's, and the internal crosses of the order planner, stored as fills of both books).
  it('over 250 days every position of every book equals the sum of its fills, every day', async () => {
    const units = new Map<string, number>();
    let days = 0;
    let crossFills = 0;
    const r = await runBacktest({
      id: 'bt-explained',
      config: config(),
      panel,
      ...lastDays(250),
      onCycle: (c, state) => {
        for (const f of c.fills) {
          if (f.orderId.includes(':cross:')) crossFills++;
          const sign = f.side === 'BUY' ? 1 : -1;
          for (const a of f.allocations.length > 0 ? f.allocations : [{ agentId: '_fund', qty: f.qty }]) {
            const k = `${a.agentId}/${f.symbol}`;
            units.set(k, (units.get(k) ?? 0) + sign * Math.round(a.qty * 1e4));
          }
        }
        const held = new Map<string, number>();
        for (const id of state.ledger.agentIds()) for (const h of state.ledger.book(id).holdings.values()) held.set(`${id}/${h.symbol}`, h.qty4);
        const fromFills = new Map([...units].filter(([, u]) => u !== 0));
        expect(new Map([...fromFills].sort()), c.asOf).toEqual(new Map([...held].sort()));
        days++;
      },
    });
    expect(days).toBe(250);
    expect(r.ledgerReconciled).toBe(true);
    expect(crossFills).toBeGreaterThan(100); // the crosses are many, and each is explained
    expect(units.size).toBeGreaterThan(100);
  }, 120_000);

  it('advisory mode reviews proposals but sends no order', async () => {
    const cfg = config({ fund: { id: 'adv', name: 'Advisory', totalCapital: 10_000_000, mode: 'advisory' } });
    const r = await runBacktest({ id: 'bt-adv', config: cfg, panel, ...lastDays(5) });
    expect(r.costs.orders).toBe(0);
    expect(r.lastCycles.flatMap((c) => c.decisions).length).toBeGreaterThan(0);
    expect(r.fund.equity.every((v) => v === 10_000_000)).toBe(true);
  });

  it("no agent's final book exceeds its own gross cap (weights of its allocated capital)", async () => {
    const cfg = config();
    const r = await runBacktest({ id: 'bt-iso', config: cfg, panel, ...lastDays(10) });
    let checked = 0;
    for (const c of r.lastCycles) {
      for (const d of c.decisions) {
        const agent = cfg.agents.find((a) => a.id === d.agentId);
        if (!agent) throw new Error(`unknown agent ${d.agentId}`);
        const gross = d.targets.reduce((s, t) => s + Math.abs(t.finalWeight), 0);
        expect(gross).toBeLessThanOrEqual(resolveAgentRisk(cfg, agent).grossExposureCap + 1e-6);
        checked++;
      }
    }
    expect(checked).toBe(5 * 9);
  });

  // Invariant: replaying any recorded cycle from its stored inputs gives bit-identical decisions.
  it('replay is bit-exact over every cycle of a backtest', async () => {
    const recorded: { inputs: CycleInputs; decisions: readonly OverlayDecision[] }[] = [];
    const cfg = config();
    await runBacktest({
      id: 'bt-replay',
      config: cfg,
      panel,
      ...lastDays(12),
      captureInputs: true,
      onCycle: (r) => {
        if (r.inputs) recorded.push({ inputs: structuredClone(r.inputs), decisions: r.decisions });
        expect(r.outputsHash).toBe(hashOf(r.decisions));
      },
    });
    expect(recorded).toHaveLength(12);
    for (const c of recorded) {
      const report = await replayCycle(cfg, panel, c.inputs, c.decisions);
      expect(report.differences).toEqual([]);
      expect(report.identical).toBe(true);
    }
  });

  it('replay reports the fields that differ when a recorded decision was altered', async () => {
    const cfg = config();
    let captured: { inputs: CycleInputs; decisions: readonly OverlayDecision[] } | null = null;
    await runBacktest({ id: 'bt-tamper', config: cfg, panel, ...lastDays(2), captureInputs: true, onCycle: (r) => {
      if (r.inputs) captured = { inputs: structuredClone(r.inputs), decisions: structuredClone(r.decisions) };
    } });
    const c = captured as unknown as { inputs: CycleInputs; decisions: OverlayDecision[] };
    const first = c.decisions[0];
    if (!first) throw new Error('no decision recorded');
    const tampered = [{ ...first, scale: first.scale * 0.5 }, ...c.decisions.slice(1)];
    const report = await replayCycle(cfg, panel, c.inputs, tampered);
    expect(report.identical).toBe(false);
    expect(report.differences.some((d) => d.agentId === first.agentId && d.path === 'scale')).toBe(true);
  });
});
