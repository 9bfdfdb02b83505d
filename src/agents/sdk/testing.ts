import type { AgentProposal } from '../../contracts/index.ts';
import type { IsoDate } from '../../core/index.ts';
import { viewAt, type MarketView, type Panel } from '../../market/index.ts';
import { bookFromTargets, emptyBook, type Agent, type AgentBook } from '../agent.ts';
import { checkProposal } from './contract.ts';

/**
 * A quick tear sheet of an agent run with no costs: returns simple and daily, `annualVol` and
 * `sharpe` annualised with √252 (risk-free 0), `maxDrawdown` a positive fraction below the peak,
 * `meanGross` the mean of Σ|weight| (× capital), `turnover` the mean daily Σ|Δweight|.
 */
export interface QuickTearSheet {
  readonly days: number;
  readonly totalReturn: number;
  readonly annualReturn: number;
  readonly annualVol: number;
  readonly sharpe: number;
  readonly maxDrawdown: number;
  readonly meanGross: number;
  readonly meanNames: number;
  readonly turnover: number;
}

export interface AgentRun {
  /** One per trading day from `from` to `to`, each checked against the contract. */
  readonly proposals: readonly AgentProposal[];
  readonly dates: readonly IsoDate[];
  /** The book's NAV at each day's close, dollars (starting at the capital). */
  readonly equity: readonly number[];
  readonly tearSheet: QuickTearSheet;
}

/** The book marked at the view's closes: NAV, then each position's weight of it (a name without a price keeps its cost). */
export function markBook(view: MarketView, book: AgentBook): AgentBook {
  let value = 0;
  const px = book.positions.map((p) => {
    const u = view.column(p.symbol);
    const c = u >= 0 ? view.close(u) : Number.NaN;
    const price = c > 0 ? c : p.avgCost;
    value += p.qty * price;
    return price;
  });
  const nav = book.cash + value;
  const positions = book.positions.map((p, i) => ({ ...p, weight: nav !== 0 ? (p.qty * (px[i] as number)) / nav : 0 }));
  return { ...book, positions, nav, highWaterMark: Math.max(book.highWaterMark, nav), drawdown: { state: book.drawdown.state, drawdownPct: Math.max(0, 1 - nav / Math.max(book.highWaterMark, nav)) } };
}

/**
 * Runs an agent alone over `panel`'s trading days from `from` to `to` (its book moved to each
 * proposal's targets at that day's close, no costs): its proposals, checked against the contract
 * (an invalid one throws naming the field), and a quick tear sheet. Deterministic.
 */
export function runAgent(agent: Agent, panel: Panel, from: IsoDate, to: IsoDate, o: { readonly capital?: number } = {}): AgentRun {
  let book = emptyBook(agent.id, o.capital ?? 10_000_000);
  const proposals: AgentProposal[] = [];
  const dates: IsoDate[] = [];
  const equity: number[] = [];
  let gross = 0;
  let names = 0;
  let turnover = 0;
  for (let t = 0; t < panel.T; t++) {
    const d = panel.dates[t] as IsoDate;
    if (d < from || d > to) continue;
    const view = viewAt(panel, t);
    const cycleId = `test-${d}`;
    book = { ...markBook(view, book), cycleId, traceId: `${cycleId}:${agent.id}` };
    equity.push(book.nav);
    dates.push(d);
    const checked = checkProposal(agent.propose(view, book), { agentId: agent.id, cycleId, traceId: book.traceId, asOf: view.asOf });
    if (!checked.ok) throw new Error(`${agent.id} on ${d}: ${checked.error}`);
    const p = checked.proposal;
    proposals.push(p);
    const before = new Map(book.positions.map((x) => [x.symbol, x.weight]));
    for (const x of p.targets) {
      gross += Math.abs(x.weight);
      turnover += Math.abs(x.weight - (before.get(x.symbol) ?? 0));
      before.delete(x.symbol);
    }
    for (const w of before.values()) turnover += Math.abs(w);
    names += p.targets.length;
    book = bookFromTargets(view, book, p.targets, { cycleId, traceId: book.traceId });
  }
  const n = equity.length;
  return { proposals, dates, equity, tearSheet: quickTearSheet(equity, gross / Math.max(1, n), names / Math.max(1, n), turnover / Math.max(1, n)) };
}

function quickTearSheet(equity: readonly number[], meanGross: number, meanNames: number, turnover: number): QuickTearSheet {
  const r: number[] = [];
  for (let i = 1; i < equity.length; i++) r.push((equity[i] as number) / (equity[i - 1] as number) - 1);
  const mean = r.length > 0 ? r.reduce((a, b) => a + b, 0) / r.length : 0;
  const sd = r.length > 1 ? Math.sqrt(r.reduce((a, b) => a + (b - mean) ** 2, 0) / (r.length - 1)) : 0;
  let peak = equity[0] ?? 0;
  let maxDrawdown = 0;
  for (const e of equity) {
    peak = Math.max(peak, e);
    if (peak > 0) maxDrawdown = Math.max(maxDrawdown, 1 - e / peak);
  }
  const first = equity[0] ?? 1;
  const total = equity.length > 0 ? (equity[equity.length - 1] as number) / first - 1 : 0;
  return {
    days: equity.length,
    totalReturn: total,
    annualReturn: r.length > 0 ? (1 + total) ** (252 / r.length) - 1 : 0,
    annualVol: sd * Math.sqrt(252),
    sharpe: sd > 0 ? (mean / sd) * Math.sqrt(252) : 0,
    maxDrawdown,
    meanGross,
    meanNames,
    turnover,
  };
}
