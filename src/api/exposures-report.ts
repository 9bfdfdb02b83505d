/*
 * Each agent's factor exposures from its current book: every held name's loadings on the stored
 * factor returns (OLS over a lookback ending at the last market date), summed by marked value.
 * Exposures are fractions of the agent's capital (its latest stored NAV, else its allocation); the
 * fund row uses the fund's latest NAV (else its initial capital).
 */
import { KeelError, LoopSlicer } from '../core/index.ts';
import type { Panel } from '../market/index.ts';
import { bookExposure, nameLoadings, type NameLoadings } from '../pms/index.ts';
import type { FundRow } from '../store/index.ts';
import { closeAt, factorSeries } from './attribution-data.ts';
import type { ApiRuntime } from './runtime.ts';

export const DEFAULT_LOOKBACK = 126;

/**
 * Loadings of `symbols` over the last `lookback` rows; names with too little history are left out.
 * One regression per name, with `slicer` asked for a turn of the event loop between names (the
 * demo fund's 800 names at once held the API for a quarter of a second).
 */
async function loadingsOf(panel: Panel, symbols: readonly string[], lookback: number, slicer: LoopSlicer): Promise<{ factors: string[]; loadings: Map<string, NameLoadings> }> {
  const toRow = panel.T - 1;
  const fromRow = Math.max(1, toRow - lookback + 1);
  const f = factorSeries(panel, fromRow, toRow);
  const factors = [...f.keys()];
  const loadings = new Map<string, NameLoadings>();
  const x = Object.fromEntries(f);
  for (const s of symbols) {
    await slicer.pause();
    const u = panel.columnOf.get(s);
    if (u === undefined || factors.length === 0) continue;
    const r = new Float64Array(toRow - fromRow + 1);
    for (let t = fromRow; t <= toRow; t++) r[t - fromRow] = panel.ret[t * panel.U + u] ?? Number.NaN;
    const l = nameLoadings(r, x, Math.min(20, Math.max(factors.length + 2, Math.floor(lookback / 3))));
    if (l.ok) loadings.set(s, l.value);
  }
  return { factors, loadings };
}

export interface ExposureQuery {
  readonly rt: ApiRuntime;
  readonly fund: FundRow;
  readonly lookback: number;
  /** One agent (with its names), or every agent and the fund. */
  readonly agentId?: string;
}

/** The exposures of every agent and the fund (or of one agent, with its names), built in slices (`slicer`). */
export async function exposuresReport(q: ExposureQuery, slicer = new LoopSlicer()) {
  const { rt, fund } = q;
  const { panel } = await rt.loadedMarket();
  if (panel.T < 2) throw new KeelError('KEEL_E_NOT_FOUND', 'not enough market data stored (two dates at least)');
  const [agents, positions, fundNav] = await Promise.all([rt.store.funds.agents(fund.id), rt.store.positions.list(fund.id, { openOnly: true }), rt.store.nav.latest(fund.id)]);
  const ids = [...new Set([...agents.map((a) => a.id), ...positions.map((p) => p.agentId)])].sort();
  if (q.agentId !== undefined && !ids.includes(q.agentId)) throw new KeelError('KEEL_E_NOT_FOUND', `agent ${q.agentId} of fund ${fund.id} does not exist`, { field: 'params.agentId' });
  const wanted = q.agentId === undefined ? ids : [q.agentId];
  const t = panel.T - 1;
  const valued = positions
    .filter((p) => wanted.includes(p.agentId))
    .map((p) => {
      const u = panel.columnOf.get(p.symbol);
      const price = (u === undefined ? undefined : closeAt(panel, u, t)) ?? p.lastPrice ?? p.avgCost;
      return { agentId: p.agentId, symbol: p.symbol, value: p.qty * price };
    });
  const { factors, loadings } = await loadingsOf(panel, [...new Set(valued.map((v) => v.symbol))].sort(), q.lookback, slicer);
  const rows = await Promise.all(
    wanted.map(async (agentId) => {
      const nav = await rt.store.nav.latest(fund.id, agentId);
      const capital = nav && nav.nav > 0 ? nav.nav : (agents.find((a) => a.id === agentId)?.allocatedCapital ?? 0);
      const mine = valued.filter((v) => v.agentId === agentId);
      const e = bookExposure(mine, loadings, factors, capital);
      const names = q.agentId === undefined ? undefined : mine.map((v) => ({ symbol: v.symbol, value: v.value, betas: loadings.get(v.symbol)?.betas ?? null, rSquared: loadings.get(v.symbol)?.rSquared ?? null }));
      return { agentId, capital, ...e, ...(names ? { names } : {}) };
    }),
  );
  const base = { fundId: fund.id, asOf: panel.dates[t] ?? '', lookback: q.lookback, factors };
  if (q.agentId !== undefined) return { ...base, agent: rows[0] };
  const capital = fundNav && fundNav.nav > 0 ? fundNav.nav : fund.initialCapital;
  return { ...base, agents: rows, fund: { capital, ...bookExposure(valued, loadings, factors, capital) } };
}
