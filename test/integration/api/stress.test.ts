/**
 * The API's stress run is the overlay's stress for the same book: the same risk model, the same
 * style (momentum/value) loadings, the same worst-window replays, the same capital. Checked by
 * running the overlay's own review on the fund's current books (no proposals: every book stands).
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentRiskDrivers } from '../../../src/contracts/index.ts';
import { ensureDefined } from '../../../src/core/index.ts';
import { initialFundState, loadMarket } from '../../../src/fund/index.ts';
import { viewAt } from '../../../src/market/index.ts';
import { reviewFund, runStress, riskModelFor, worstWindows, type StressBook } from '../../../src/overlay/index.ts';
import { makeWorld, serverFor, type World } from './fixture.ts';

describe('stress with style loadings', () => {
  let w: World;
  let app: FastifyInstance;
  beforeAll(async () => {
    w = await makeWorld();
    app = await serverFor(w);
  }, 180_000);
  afterAll(async () => {
    await app.close();
    await w.close();
  });

  it("POST /stress equals the overlay review's stress of the same books, style shocks included", async () => {
    const r = await app.inject({ method: 'POST', url: '/v1/funds/fund-a/stress', headers: w.auth('riskA'), payload: {} });
    expect(r.statusCode).toBe(201);
    const api = r.json() as { asOf: string; nav: number; results: { scenario: string; pnlImpact: number; pnlImpactPct: number; perAgent: Record<string, number> }[] };

    const { panel } = await loadMarket(w.store);
    const view = viewAt(panel, panel.T - 1);
    expect(api.asOf).toBe(view.asOf);
    const rows = await w.store.positions.list('fund-a', { openOnly: true });
    const base = initialFundState(w.config, view.asOf);
    const state = {
      ...base,
      capital: api.nav,
      highWaterMark: api.nav,
      agents: base.agents.map((a) => ({ ...a, positions: rows.filter((p) => p.agentId === a.agentId).map((p) => ({ symbol: p.symbol, qty: p.qty, price: p.lastPrice ?? 0 })) })),
    };
    const review = reviewFund({ proposals: [], state, config: w.config, view, cycleId: 'stress-check', timestamp: `${view.asOf}T21:00:00.000Z` });
    const overlay = new Map(review.stress.results.map((s) => [s.scenario, s]));
    expect(api.results.map((x) => x.scenario).sort()).toEqual([...overlay.keys()].sort());
    for (const x of api.results) {
      const o = overlay.get(x.scenario);
      expect(x.pnlImpact, x.scenario).toBeCloseTo(Math.round((o?.fundPnl ?? Number.NaN) * 100) / 100, 2);
      expect(x.pnlImpactPct, x.scenario).toBeCloseTo(o?.fundPnlPct ?? Number.NaN, 10);
      for (const agent of ['momentum', 'trend']) expect(x.perAgent[agent] ?? 0, `${x.scenario} ${agent}`).toBeCloseTo(o?.perAgent[agent] ?? 0, 4);
    }

    // the style loadings matter: without them (what the API ran before) some scenario comes out different
    const symbols = [...new Set(rows.map((p) => p.symbol))].sort();
    const model = riskModelFor(view, symbols, w.config);
    const books: StressBook[] = ['momentum', 'trend'].map((agentId) => {
      const mine = rows.filter((p) => p.agentId === agentId);
      return {
        agentId,
        book: { idx: Int32Array.from(mine.map((p) => model.index.get(p.symbol) ?? 0)), val: Float64Array.from(mine.map((p) => p.qty * (p.lastPrice ?? 0))) },
        drivers: agentRiskDrivers(ensureDefined(w.config.agents.find((a) => a.id === agentId), agentId)),
      };
    });
    const flat = runStress(books, model, { momentum: new Float64Array(model.N), value: new Float64Array(model.N) }, api.nav, worstWindows(model, w.config.risk.stressReplayWindows));
    const styleScenarios = flat.results.filter((f) => Math.abs((overlay.get(f.scenario)?.fundPnl ?? 0) - f.fundPnl) > 1);
    expect(styleScenarios.length).toBeGreaterThan(0);
  });
});
