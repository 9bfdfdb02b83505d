/**
 * ATR stops act (`risk.atrStops`): through the cycle that backtests and `keel run` call, a long
 * position whose day's low falls through its stop is sold by the next cycle's orders, the record
 * names the stop; a take-profit closes at the target; a position the agent closes forgets its
 * level; with atrStops off nothing is monitored. The levels survive a stored run state. A short is
 * stopped by the day's high; with both levels inside one bar the stop is assumed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from '../../agents/index.ts';
import { parseFundConfig, type AgentProposal, type FundConfig } from '../../contracts/index.ts';
import { addDays, createRng, dateToMs, isWeekday, type IsoDate } from '../../core/index.ts';
import { createPanel, viewAt, type Panel } from '../../market/index.ts';
import { backtestServices } from '../kernel/wiring.ts';
import { Ledger } from '../ledger/ledger.ts';
import { deserialiseRunState, serialiseRunState } from '../live/fund-store.ts';
import { initialFundState, openLedgerBooks } from './books.ts';
import { runCycle, type CycleResult } from './run-cycle.ts';
import { checkStops } from './stops.ts';
import type { FundRunState } from './runtime.ts';

const NAV = 10_000_000;
const AGENT = 'alpha';
const U = 16;
const T = 260;
const DAY0 = T - 5;
const STOP = 0.95; // × the close of the proposal's day
const TARGET = 1.1;

const sym = (u: number): string => `S${String(u).padStart(3, '0')}`;

/**
 * U names drifting slowly, each day's range ±0.5% of the close; then, two days after DAY0, S000's
 * low falls 8% (through its stop) and S002's high rises 12% (through its target), the closes unmoved;
 * three days after, S001's low falls 8%.
 */
function stopPanel(seed: number): Panel {
  const rng = createRng(seed);
  const dates: IsoDate[] = [];
  for (let d: IsoDate = '2024-01-01'; dates.length < T; d = addDays(d, 1)) if (isWeekday(d)) dates.push(d);
  const symbols = Array.from({ length: U }, (_, u) => sym(u));
  const close = new Float64Array(T * U);
  const volume = new Float64Array(T * U);
  const market = new Float64Array(T);
  const px = Float64Array.from({ length: U }, () => 50 + rng.next() * 100);
  let level = 4000;
  for (let t = 0; t < T; t++) {
    const m = 0.0003 + 0.008 * rng.normal();
    if (t > 0) level *= 1 + m;
    market[t] = level;
    for (let u = 0; u < U; u++) {
      if (t > 0 && t < DAY0) px[u] = (px[u] ?? 50) * (1 + m + 0.006 * rng.normal());
      close[t * U + u] = px[u] ?? 50;
      volume[t * U + u] = 3e6 + 5e6 * rng.next();
    }
  }
  const high = close.map((c) => c * 1.005);
  const low = close.map((c) => c * 0.995);
  low[(DAY0 + 2) * U + 0] = (close[(DAY0 + 2) * U + 0] ?? 0) * 0.92;
  high[(DAY0 + 2) * U + 2] = (close[(DAY0 + 2) * U + 2] ?? 0) * 1.12;
  low[(DAY0 + 3) * U + 1] = (close[(DAY0 + 3) * U + 1] ?? 0) * 0.92;
  return createPanel({
    dates,
    symbols,
    sectors: symbols.map((_, u) => ['Technology', 'Financials', 'Energy', 'Health Care'][u % 4] ?? 'Unknown'),
    open: close,
    high,
    low,
    close,
    volume,
    sharesOutstanding: new Float64Array(U).fill(1e9),
    reference: new Map([['market', market], ['vix', new Float64Array(T).fill(16)]]),
  });
}

let panel: Panel;
beforeAll(() => {
  panel = stopPanel(11);
});

const config = (atrStops: boolean, broker: 'paper' | 'alpaca' = 'paper', atrStopCooldownDays = 0): FundConfig =>
  parseFundConfig({
    execution: { broker },
    data: { minHistoryRows: 200, degradedMinRows: 100 },
    fund: { id: 'st', name: 'Stops', totalCapital: NAV },
    // loose: a 70% risk target, its loss limits derived from it (VaR95 10.9%, VaR99 kill switch 20.5%, drawdown kill switch 100%)
    risk: { targetVolPct: 0.7, maxDaysToLiquidate: 1000, maxSingleNamePct: 0.2, maxSectorPct: 1, maxTop5Pct: 1 },
    regime: { multipliers: { BULL_QUIET: 1, BULL_VOLATILE: 1, BEAR_QUIET: 1, BEAR_CRISIS: 1 } },
    buckets: { directional_equity: { maxRiskAllocationPct: 1 } },
    allocation: { method: 'fixed' },
    defaults: { riskBudgetPct: 1, maxPositionPct: 0.5, maxSectorPct: 1, netExposureCap: 1 },
    agents: [{ id: AGENT, strategy: 'momentum', allocatedCapital: 9_000_000, risk: { atrStops, atrStopCooldownDays } }],
  });

/**
 * An agent long 5% of its capital in every name, with a stop at 95% and a target at 110% of the
 * day's close; flat in `flatIn` from `flatFrom` on.
 */
function longAgent(flatIn: string | null = null, flatFrom: IsoDate | null = null): Agent {
  return {
    id: AGENT,
    strategy: 'momentum',
    riskDrivers: [],
    bucket: 'directional_equity',
    propose(view, book): AgentProposal {
      return {
        version: 1,
        traceId: book.traceId,
        cycleId: book.cycleId,
        agentId: AGENT,
        strategy: 'momentum',
        asOf: view.asOf,
        signals: [],
        targets: Array.from({ length: U }, (_, u) => {
          const c = view.close(u);
          const flat = flatIn === sym(u) && flatFrom !== null && view.asOf >= flatFrom;
          return { symbol: sym(u), weight: flat ? 0 : 0.05, stopLoss: STOP * c, takeProfit: TARGET * c };
        }),
        agentRisk: [],
        reasoning: 'stub',
      };
    },
  };
}

function freshFund(cfg: FundConfig): FundRunState {
  const ledger = new Ledger();
  openLedgerBooks(ledger, cfg);
  return { ledger, fund: initialFundState(cfg, panel.dates[DAY0] ?? ''), anchor: { month: '', fund: NAV, agents: new Map() }, lastAsOf: null };
}

/** Runs the cycle on `days` consecutive days from DAY0, the paper broker filling each day's orders at the next open. */
async function runDays(cfg: FundConfig, state: FundRunState, agent: Agent, days: number, after?: (k: number) => void): Promise<CycleResult[]> {
  const wired = await backtestServices({ id: 'st', from: panel.dates[DAY0] ?? '' }, cfg, state);
  const services = { ...wired.services, agents: [agent], captureInputs: true };
  const out: CycleResult[] = [];
  for (let k = 0; k < days; k++) {
    const view = viewAt(panel, DAY0 + k);
    wired.clock.set(dateToMs(view.asOf) + 14.5 * 3600_000);
    wired.broker.onBar(view);
    wired.clock.set(dateToMs(view.asOf) + 21 * 3600_000);
    wired.setPrices((s) => view.close(view.column(s)));
    out.push(await runCycle(services, state, view));
    after?.(k);
  }
  return out;
}

const ordersIn = (r: CycleResult | undefined, symbol: string) => (r?.orders ?? []).filter((o) => o.symbol === symbol);
const levelOf = (state: FundRunState, symbol: string) => state.stops?.find((l) => l.agentId === AGENT && l.symbol === symbol);

describe('ATR stops act', () => {
  it('a long whose low falls through its stop is sold by the next cycle; the record names the stop', async () => {
    const cfg = config(true);
    const state = freshFund(cfg);
    const opened: (number | null | undefined)[] = [];
    const qty: number[] = [];
    const days = await runDays(cfg, state, longAgent(), 4, () => {
      opened.push(levelOf(state, 'S000')?.stop);
      qty.push(state.ledger.qty(AGENT, 'S000'));
    });
    const [d0, d1, d2, d3] = days;
    const c0 = viewAt(panel, DAY0).close(0);
    expect(d0?.stopExits).toEqual([]);
    expect(d1?.stopExits).toEqual([]);
    // day 0: opened at the proposal's level, kept on day 1
    expect(opened[0]).toBeCloseTo(STOP * c0, 8);
    expect(opened[1]).toBeCloseTo(STOP * c0, 8);
    expect(opened[2]).toBeUndefined(); // exited: forgotten
    const held = qty[1] ?? 0; // filled at day 1's open
    expect(held).toBeGreaterThan(0);
    // day 2: the low crosses 95% of day 0's close; the agent still wants 5%, the stop overrides it
    expect(d2?.stopExits.map((e) => [e.symbol, e.kind])).toEqual(expect.arrayContaining([['S000', 'ATR_STOP']]));
    const exit = d2?.stopExits.find((e) => e.symbol === 'S000');
    expect(exit?.level).toBeCloseTo(STOP * c0, 8);
    const sells = ordersIn(d2, 'S000');
    expect(sells).toHaveLength(1);
    expect(sells[0]?.side).toBe('SELL');
    expect(sells[0]?.allocations).toEqual([{ agentId: AGENT, qty: expect.closeTo(held, 4) }]);
    const rec = d2?.records.find((r) => r.symbol === 'S000');
    expect(rec?.reasonCodes[0]).toBe('ATR_STOP');
    expect(rec?.finalDecision).toBe('EXECUTE_SELL');
    expect(rec?.positionSize).toBe(0);
    expect(rec?.stopLoss).toBeCloseTo(STOP * c0, 8);
    // the other names hold: no orders for them on day 2
    expect(ordersIn(d2, 'S005')).toEqual([]);
    // day 3: sold at the open; the agent buys it again at a new level
    expect(d3?.fills.some((f) => f.symbol === 'S000' && f.side === 'SELL')).toBe(true);
    expect(levelOf(state, 'S000')?.setOn).toBe(panel.dates[DAY0 + 3]);
    expect(state.ledger.reconcile()).toBeNull();
  });

  it('a take-profit closes the position when the high reaches the target', async () => {
    const cfg = config(true);
    const state = freshFund(cfg);
    const [, , d2] = await runDays(cfg, state, longAgent(), 3);
    const exit = d2?.stopExits.find((e) => e.symbol === 'S002');
    expect(exit?.kind).toBe('TAKE_PROFIT');
    expect(exit?.level).toBeCloseTo(TARGET * viewAt(panel, DAY0).close(2), 8);
    expect(ordersIn(d2, 'S002').map((o) => o.side)).toEqual(['SELL']);
    expect(d2?.records.find((r) => r.symbol === 'S002')?.reasonCodes).toContain('TAKE_PROFIT');
  });

  it('a position the agent closes forgets its stop: the later crossing does nothing', async () => {
    const cfg = config(true);
    const state = freshFund(cfg);
    const seen: (number | undefined)[] = [];
    const days = await runDays(cfg, state, longAgent('S001', panel.dates[DAY0 + 2] ?? ''), 4, () => seen.push(levelOf(state, 'S001')?.stop ?? undefined));
    expect(seen[1]).toBeCloseTo(STOP * viewAt(panel, DAY0).close(1), 8);
    expect(seen[2]).toBeUndefined(); // planned to zero on day 2: forgotten
    expect(ordersIn(days[2], 'S001').map((o) => o.side)).toEqual(['SELL']);
    expect(days[3]?.stopExits.find((e) => e.symbol === 'S001')).toBeUndefined();
    expect(state.ledger.qty(AGENT, 'S001')).toBe(0);
  });

  it('with a re-entry cooldown the agent may not buy the stopped name back until it ends', async () => {
    const cfg = config(true, 'paper', 2);
    const state = freshFund(cfg);
    const days = await runDays(cfg, state, longAgent(), 5);
    expect(days[2]?.stopExits.find((e) => e.symbol === 'S000')?.kind).toBe('ATR_STOP');
    // day 3: one weekday after the exit, the agent still wants 5%: held at 0
    expect(ordersIn(days[3], 'S000')).toEqual([]);
    expect(days[3]?.review.positions[AGENT]?.find((p) => p.symbol === 'S000')?.targetWeight).toBeGreaterThan(0);
    const held = days[3]?.records.find((r) => r.symbol === 'S000');
    expect(held?.reasonCodes[0]).toBe('STOP_COOLDOWN');
    expect(held?.positionSize).toBe(0);
    expect(levelOf(state, 'S000')).toMatchObject({ stop: expect.any(Number) }); // day 4: bought back at a new level
    expect(ordersIn(days[4], 'S000').map((o) => o.side)).toEqual(['BUY']);
    // without the cooldown it is bought back on day 3
    const plain = freshFund(config(true));
    const again = await runDays(config(true), plain, longAgent(), 4);
    expect(ordersIn(again[3], 'S000').map((o) => o.side)).toEqual(['BUY']);
  });

  it('a HALTED fund sends no stop exit: the level waits', async () => {
    const cfg = config(true);
    const state = freshFund(cfg);
    const days = await runDays(cfg, state, longAgent(), 3, (k) => {
      if (k === 1) state.fund = { ...state.fund, tradingState: 'HALTED', tradingStateSince: panel.dates[DAY0 + 1] ?? null, manualKill: { who: 'risk', why: 'test', at: panel.dates[DAY0 + 1] ?? '' } };
    });
    expect(days[2]?.review.tradingState).toBe('HALTED');
    expect(days[2]?.stopExits).toEqual([]);
    expect(ordersIn(days[2], 'S000')).toEqual([]);
    expect(levelOf(state, 'S000')?.setOn).toBe(panel.dates[DAY0]);
  });

  it('with atrStops off nothing is monitored: the crossing sends nothing', async () => {
    const cfg = config(false);
    const state = freshFund(cfg);
    const [, , d2] = await runDays(cfg, state, longAgent(), 3);
    expect(d2?.stopExits).toEqual([]);
    expect(ordersIn(d2, 'S000')).toEqual([]);
    expect(ordersIn(d2, 'S002')).toEqual([]);
    expect(state.stops).toBeUndefined();
    expect(serialiseRunState(state)).not.toHaveProperty('stops');
  });

  it('the levels survive a stored run state', async () => {
    const cfg = config(true);
    const state = freshFund(cfg);
    await runDays(cfg, state, longAgent(), 2);
    expect(state.stops?.length).toBe(U);
    const back = deserialiseRunState(JSON.parse(JSON.stringify(serialiseRunState(state))));
    expect(back.stops).toEqual(state.stops);
    // a restart continues from the stored levels: the day-2 crossing still closes S000
    const [d2] = await runDaysFrom(cfg, back, longAgent(), 2, 1);
    expect(d2?.stopExits.map((e) => e.symbol)).toEqual(['S000', 'S002']);
  });
});

async function runDaysFrom(cfg: FundConfig, state: FundRunState, agent: Agent, from: number, days: number): Promise<CycleResult[]> {
  const wired = await backtestServices({ id: 'st', from: panel.dates[DAY0 + from] ?? '' }, cfg, state);
  const services = { ...wired.services, agents: [agent], captureInputs: true };
  const out: CycleResult[] = [];
  for (let k = from; k < from + days; k++) {
    const view = viewAt(panel, DAY0 + k);
    wired.clock.set(dateToMs(view.asOf) + 21 * 3600_000);
    wired.setPrices((s) => view.close(view.column(s)));
    out.push(await runCycle(services, state, view));
  }
  return out;
}

describe('checkStops (the day-range rule)', () => {
  const day = DAY0 + 2; // S000's low −8%, S002's high +12%, others ±0.5%
  const view = () => viewAt(panel, day);
  const before = () => panel.dates[day - 1] ?? '';
  function ledgerWith(qty: Record<string, number>): Ledger {
    const l = new Ledger();
    l.open(AGENT, NAV);
    for (const [s, q] of Object.entries(qty)) l.applyFill({ agentId: AGENT, symbol: s, side: q > 0 ? 'BUY' : 'SELL', qty: Math.abs(q), price: 100, commission: 0 });
    return l;
  }
  const level = (symbol: string, side: 1 | -1, stop: number | null, target: number | null, setOn = before()) => ({ agentId: AGENT, symbol, side, stop, target, setOn });

  it('a short is stopped by the high and takes profit at the low', () => {
    const v = view();
    const c2 = v.close(2);
    const c0 = v.close(0);
    const { exits, kept } = checkStops([level('S002', -1, c2 * 1.1, null), level('S000', -1, null, c0 * 0.95)], new Set([AGENT]), ledgerWith({ S002: -10, S000: -10 }), v);
    expect(exits.map((e) => [e.symbol, e.kind])).toEqual([['S002', 'ATR_STOP'], ['S000', 'TAKE_PROFIT']]);
    expect(exits[0]?.qty).toBe(-10);
    expect(kept).toEqual([]);
  });

  it('with stop and target both in the day’s range the stop is assumed; a level set today waits; a turned or closed position forgets', () => {
    const v = view();
    const c0 = v.close(0);
    const both = level('S000', 1, c0 * 0.95, c0 * 0.99);
    const today = level('S000', 1, c0 * 0.95, null, v.asOf);
    const turned = level('S003', 1, 1, null);
    const closed = level('S004', 1, 1, null);
    const untouched = level('S005', 1, v.close(5) * 0.9, v.close(5) * 1.1);
    const r = checkStops([both], new Set([AGENT]), ledgerWith({ S000: 10 }), v);
    expect(r.exits[0]?.kind).toBe('ATR_STOP');
    const r2 = checkStops([today, turned, closed, untouched], new Set([AGENT]), ledgerWith({ S000: 10, S003: -5, S005: 3 }), v);
    expect(r2.exits).toEqual([]);
    expect(r2.kept).toEqual([today, untouched]);
    // an agent that no longer asks for stops forgets its levels
    expect(checkStops([untouched], new Set(), ledgerWith({ S005: 3 }), v).kept).toEqual([]);
  });
});

describe('resting stops (execution.broker "alpaca")', () => {
  it('a held position rests as a GTC stop between cycles: the crossing sells at the stop, the others are cancelled and placed again', async () => {
    const cfg = config(true, 'alpaca');
    const state = freshFund(cfg);
    const held: number[] = [];
    const days = await runDays(cfg, state, longAgent(), 4, () => held.push(state.ledger.qty(AGENT, 'S000')));
    const [d0, d1, d2] = days;
    const c0 = viewAt(panel, DAY0).close(0);
    const stopsOf = (r: CycleResult | undefined) => (r?.orders ?? []).filter((o) => o.type === 'STOP');
    // day 0 only opens (nothing held yet): no resting stop
    expect(stopsOf(d0)).toEqual([]);
    // day 1: every held name rests as a whole-share GTC stop at its level
    const rest = stopsOf(d1);
    expect(rest).toHaveLength(U);
    const s0 = rest.find((o) => o.symbol === 'S000');
    expect(s0).toMatchObject({ side: 'SELL', timeInForce: 'GTC', allocations: [{ agentId: AGENT, qty: s0?.qty }] });
    expect(s0?.stopPrice).toBeCloseTo(STOP * c0, 8);
    expect(s0?.qty).toBe(Math.floor(held[1] ?? 0));
    expect(s0?.qty).toBeGreaterThan(0);
    expect(s0?.status).not.toBe('REJECTED');
    // day 2: S000's low crossed the stop during the session: the resting order filled at the stop
    const filled = d2?.fills.find((f) => f.orderId === s0?.id);
    expect(filled?.side).toBe('SELL');
    expect(filled?.price).toBeLessThanOrEqual(STOP * c0 + 0.01);
    expect(held[2]).toBeCloseTo((held[1] ?? 0) - (s0?.qty ?? 0), 4);
    // the monitoring sees the fractional remainder crossed (too small to trade: under oms.minNotional)
    const rem = held[2] ?? 0;
    expect(rem).toBeLessThan(1);
    if (rem > 0) expect(d2?.stopExits.find((e) => e.symbol === 'S000')?.qty).toBeCloseTo(rem, 4);
    // the other resting stops were cancelled at day 2's start and placed again at its end
    const again = stopsOf(d2).map((o) => o.symbol);
    expect(again).not.toContain('S000');
    expect(again).toContain('S005');
    expect(state.ledger.reconcile()).toBeNull();
  });

  it('with the paper broker no stop rests at the broker (the monitoring acts)', async () => {
    const cfg = config(true);
    const state = freshFund(cfg);
    const days = await runDays(cfg, state, longAgent(), 3);
    for (const d of days) expect(d.orders.filter((o) => o.type === 'STOP')).toEqual([]);
  });
});
