/**
 * Hedges trade: with `hedging.enabled` and the fund's beta beyond the hedger's threshold, the
 * cycle (the one backtests and `keel run` call) sends the hedger's quantity of the hedge
 * instrument for the fund's hedge book, the fill lands in that book, and the hedge is unwound
 * when the hedger's target goes to zero; with hedging off nothing is hedged.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from '../../agents/index.ts';
import { HEDGE_BOOK, parseFundConfig, type AgentProposal, type FundConfig } from '../../contracts/index.ts';
import { addDays, createRng, dateToMs, isWeekday, type IsoDate } from '../../core/index.ts';
import { createPanel, viewAt, type Panel } from '../../market/index.ts';
import { backtestServices } from '../kernel/wiring.ts';
import { Ledger } from '../ledger/ledger.ts';
import { initialFundState, openLedgerBooks } from './books.ts';
import { runCycle, type CycleResult } from './run-cycle.ts';
import type { FundRunState } from './runtime.ts';

const NAV = 10_000_000;
const AGENT = 'alpha';
const U = 20;

/** U names with beta about 1 to a market factor, and SPY, the market level / 10 (sector 'Index'). */
function marketPanel(T: number, seed: number): Panel {
  const rng = createRng(seed);
  const dates: IsoDate[] = [];
  for (let d: IsoDate = '2024-01-01'; dates.length < T; d = addDays(d, 1)) if (isWeekday(d)) dates.push(d);
  const symbols = [...Array.from({ length: U }, (_, u) => `S${String(u).padStart(3, '0')}`), 'SPY'];
  const W = U + 1;
  const close = new Float64Array(T * W);
  const volume = new Float64Array(T * W);
  const market = new Float64Array(T);
  const px = Float64Array.from({ length: U }, () => 20 + rng.next() * 180);
  let level = 4000;
  for (let t = 0; t < T; t++) {
    const m = 0.0003 + 0.01 * rng.normal();
    if (t > 0) level *= 1 + m;
    market[t] = level;
    for (let u = 0; u < U; u++) {
      if (t > 0) px[u] = (px[u] ?? 50) * (1 + m + 0.008 * rng.normal());
      close[t * W + u] = px[u] ?? 50;
      volume[t * W + u] = 3e6 + 5e6 * rng.next();
    }
    close[t * W + U] = level / 10;
    volume[t * W + U] = 80e6;
  }
  return createPanel({
    dates,
    symbols,
    sectors: symbols.map((s, u) => (s === 'SPY' ? 'Index' : ['Technology', 'Financials', 'Energy', 'Health Care'][u % 4] ?? 'Unknown')),
    open: close,
    high: close.map((c) => c * 1.005),
    low: close.map((c) => c * 0.995),
    close,
    volume,
    sharesOutstanding: new Float64Array(W).fill(1e9),
    reference: new Map([['market', market], ['vix', new Float64Array(T).fill(16)]]),
  });
}

let panel: Panel;
let day0: number;

beforeAll(() => {
  panel = marketPanel(300, 7);
  day0 = panel.T - 4;
});

const config = (hedging: boolean): FundConfig =>
  parseFundConfig({
    data: { minHistoryRows: 200, degradedMinRows: 100 },
    fund: { id: 'hg', name: 'Hedged', totalCapital: NAV },
    risk: { maxDaysToLiquidate: 1000, targetVolPct: 0.7 }, // loose: the test is about hedges; the loss limits derived from the 70% target do not bind
    regime: { multipliers: { BULL_QUIET: 1, BULL_VOLATILE: 1, BEAR_QUIET: 1, BEAR_CRISIS: 1 } },
    buckets: { directional_equity: { maxRiskAllocationPct: 1 } },
    defaults: { riskBudgetPct: 1, maxPositionPct: 0.5, maxSectorPct: 1, netExposureCap: 1 },
    hedging: { enabled: hedging, instrument: 'SPY', betaThreshold: 0.3 },
    agents: [{ id: AGENT, strategy: 'momentum', allocatedCapital: 9_000_000 }],
  });

/** An agent long `weight` of its capital in each of the first 16 names, or flat once `flatFrom` is reached. */
function longAgent(weight: number, flatFrom: IsoDate | null = null): Agent {
  return {
    id: AGENT,
    strategy: 'momentum',
    riskDrivers: [],
    bucket: 'directional_equity',
    propose(view, book): AgentProposal {
      const w = flatFrom !== null && view.asOf >= flatFrom ? 0 : weight;
      return {
        version: 1,
        traceId: book.traceId,
        cycleId: book.cycleId,
        agentId: AGENT,
        strategy: 'momentum',
        asOf: view.asOf,
        signals: [],
        targets: Array.from({ length: 16 }, (_, u) => ({ symbol: `S${String(u).padStart(3, '0')}`, weight: w, stopLoss: null, takeProfit: null })),
        agentRisk: [],
        reasoning: 'stub',
      };
    },
  };
}

function freshFund(cfg: FundConfig): FundRunState {
  const ledger = new Ledger();
  openLedgerBooks(ledger, cfg);
  return { ledger, fund: initialFundState(cfg, panel.dates[day0] ?? ''), anchor: { month: '', fund: NAV, agents: new Map() }, lastAsOf: null };
}

/** Runs the cycle on `days` consecutive days from day 0, the paper broker filling each day's orders at the next open. */
async function runDays(cfg: FundConfig, state: FundRunState, agent: Agent, days: number): Promise<CycleResult[]> {
  const wired = await backtestServices({ id: 'hg', from: panel.dates[day0] ?? '' }, cfg, state);
  const services = { ...wired.services, agents: [agent] };
  const out: CycleResult[] = [];
  for (let k = 0; k < days; k++) {
    const view = viewAt(panel, day0 + k);
    wired.clock.set(dateToMs(view.asOf) + 14.5 * 3600_000);
    wired.broker.onBar(view);
    wired.clock.set(dateToMs(view.asOf) + 21 * 3600_000);
    wired.setPrices((s) => view.close(view.column(s)));
    out.push(await runCycle(services, state, view));
  }
  return out;
}

const spyOrders = (r: CycleResult) => r.orders.filter((o) => o.symbol === 'SPY');
const signedQty = (orders: readonly { side: string; qty: number }[]) => orders.reduce((s, o) => s + (o.side === 'BUY' ? o.qty : -o.qty), 0);

describe('the fund hedge book trades', () => {
  it('a long fund beyond the beta threshold sells the hedger’s SPY quantity; the fill lands in the hedge book', async () => {
    const state = freshFund(config(true));
    const [d1, d2] = await runDays(config(true), state, longAgent(0.05), 2);
    if (!d1 || !d2) throw new Error('no cycles');
    // day 1: the hedger's target, as data and as orders for the hedge book
    const beta = d1.review.hedgePositions.find((p) => p.instrument === 'SPY');
    expect(beta?.kind).toBe('beta');
    expect(beta?.notional).toBeLessThan(-0.3 * NAV);
    const spy = viewAt(panel, day0).close(viewAt(panel, day0).column('SPY'));
    const wanted = (beta?.notional ?? 0) / spy;
    expect(d1.hedges).toHaveLength(1);
    expect(d1.hedges[0]).toMatchObject({ instrument: 'SPY', kind: 'beta', currentQty: 0, price: spy });
    expect(d1.hedges[0]?.targetQty).toBeCloseTo(wanted, 6);
    const sent = spyOrders(d1);
    expect(sent.length).toBeGreaterThan(0);
    for (const o of sent) {
      expect(o.status).not.toBe('REJECTED'); // 30%+ of NAV in one name: a hedge passes the concentration check
      expect(o.allocations.map((a) => a.agentId)).toEqual([HEDGE_BOOK]);
    }
    // whole-share short legs: the hedger's quantity to within a share
    expect(Math.abs(signedQty(sent) - wanted)).toBeLessThan(1);
    // day 2: filled at the open into the hedge book, an outside book of the fund state
    const held = state.ledger.qty(HEDGE_BOOK, 'SPY');
    expect(Math.abs(held - wanted)).toBeLessThan(1);
    expect(d2.review.nextState.outsideBooks?.map((b) => b.bookId)).toEqual([HEDGE_BOOK]);
    // the review counts it in the fund's beta and net, not in the single-name limits: the agent is not scaled for it
    expect(Math.abs(d2.review.snapshot.factorExposures.market ?? Number.NaN)).toBeLessThan(0.3 * NAV);
    expect(d2.decisions.find((d) => d.agentId === AGENT)?.action).toBe('APPROVE');
    // the hedger's target is the whole hedge: held, not doubled
    expect(Math.abs((d2.hedges[0]?.targetQty ?? 0) - held)).toBeLessThan(0.05 * Math.abs(held));
    expect(state.ledger.reconcile()).toBeNull();
  });

  it('the hedge is unwound when the hedger’s target goes to zero', async () => {
    const state = freshFund(config(true));
    const flatFrom = panel.dates[day0 + 2] ?? '';
    const days = await runDays(config(true), state, longAgent(0.05, flatFrom), 4);
    expect(state.ledger.qty(HEDGE_BOOK, 'SPY')).toBe(0);
    const unwind = days[2];
    expect(unwind?.hedges[0]).toMatchObject({ instrument: 'SPY', targetQty: 0 });
    expect(signedQty(unwind ? spyOrders(unwind) : [])).toBeGreaterThan(0);
  });

  it('a REDUCING fund still hedges: the hedge order passes the OMS although it adds to the SPY position', async () => {
    const cfg = config(true);
    const state = freshFund(cfg);
    const view = viewAt(panel, day0);
    // the agent already holds its long book; the fund is REDUCING (no new exposure)
    for (let u = 0; u < 16; u++) {
      const symbol = `S${String(u).padStart(3, '0')}`;
      const price = view.close(view.column(symbol));
      state.ledger.applyFill({ agentId: AGENT, symbol, side: 'BUY', qty: Math.floor((450_000 / price) * 1e4) / 1e4, price, commission: 0 });
    }
    state.fund = { ...state.fund, tradingState: 'REDUCING', tradingStateSince: view.asOf };
    const [d1] = await runDays(cfg, state, longAgent(0.05), 1);
    if (!d1) throw new Error('no cycle');
    expect(d1.review.tradingState).toBe('REDUCING');
    const sent = spyOrders(d1);
    expect(sent.length).toBeGreaterThan(0);
    for (const o of sent) expect(o.denials).toEqual([]);
    expect(signedQty(sent)).toBeLessThan(0);
  });

  it('with hedging off the hedger only recommends: no hedge orders, no hedge book', async () => {
    const state = freshFund(config(false));
    const [d1] = await runDays(config(false), state, longAgent(0.05), 2);
    expect(d1?.review.hedges.length).toBeGreaterThan(0);
    expect(d1?.hedges).toEqual([]);
    expect(d1 ? spyOrders(d1) : []).toEqual([]);
    expect(state.ledger.has(HEDGE_BOOK)).toBe(false);
  });
});
