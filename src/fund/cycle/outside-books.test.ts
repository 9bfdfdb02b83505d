/**
 * The daily cycle counts the discretionary book (a ledger book outside the config) against the
 * fund's limits: an agent adding to a sector a PM already holds is capped at what the fund sector
 * cap leaves; after the cycle's review no fund-level single-name or sector limit is breached
 * counting every book (unless the PM's book alone already breaches it, which the agents never add
 * to); the cycle never trades the discretionary book; the state round-trips through storage, and a
 * stored state without the field loads as a fund with none.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from '../../agents/index.ts';
import { parseFundConfig, type AgentProposal, type FundConfig, type Order } from '../../contracts/index.ts';
import { addDays, createRng, dateToMs, isWeekday, type IsoDate } from '../../core/index.ts';
import { createPanel, viewAt, type MarketView, type Panel } from '../../market/index.ts';
import { backtestServices } from '../kernel/wiring.ts';
import { deserialiseRunState, serialiseRunState, type StoredRunState } from '../live/fund-store.ts';
import { replayCycle } from '../replay.ts';
import { Ledger } from '../ledger/ledger.ts';
import { FUND_BOOK, initialFundState, openLedgerBooks, refreshFundState } from './books.ts';
import { runCycle, type CycleResult } from './run-cycle.ts';
import type { FundRunState } from './runtime.ts';

/** The PM's book (pms' DISCRETIONARY; fund sits below pms, so the id is spelt out). */
const DISC = 'discretionary';
const NAV = 10_000_000;
const AGENT = 'alpha';
const AGENT_CAPITAL = 9_000_000;

const SECTORS = ['Technology', 'Financials', 'Energy', 'Health Care'] as const;

/**
 * A market of U large caps (sector u % 4, so S000, S004, S008, … are Technology) over T weekdays:
 * one market factor plus sector and name noise, prices about $20–$200, 3–8 million shares a day
 * (ADV in the hundreds of $M: 10% of it is far above 5% of the fund), 1 billion shares outstanding.
 */
function marketPanel(T: number, U: number, seed: number): Panel {
  const rng = createRng(seed);
  const dates: IsoDate[] = [];
  for (let d: IsoDate = '2024-01-01'; dates.length < T; d = addDays(d, 1)) if (isWeekday(d)) dates.push(d);
  const symbols = Array.from({ length: U }, (_, u) => `S${String(u).padStart(3, '0')}`);
  const close = new Float64Array(T * U);
  const volume = new Float64Array(T * U);
  const market = new Float64Array(T);
  const px = Float64Array.from({ length: U }, () => 20 + rng.next() * 180);
  let level = 4000;
  for (let t = 0; t < T; t++) {
    const m = 0.0003 + 0.008 * rng.normal();
    const sec = SECTORS.map(() => 0.004 * rng.normal());
    if (t > 0) level *= 1 + m;
    market[t] = level;
    for (let u = 0; u < U; u++) {
      if (t > 0) px[u] = (px[u] ?? 50) * (1 + m + (sec[u % SECTORS.length] ?? 0) + 0.01 * rng.normal());
      close[t * U + u] = px[u] ?? 50;
      volume[t * U + u] = 3e6 + 5e6 * rng.next();
    }
  }
  return createPanel({
    dates,
    symbols,
    sectors: symbols.map((_, u) => SECTORS[u % SECTORS.length] ?? 'Unknown'),
    open: close,
    high: close.map((c) => c * 1.005),
    low: close.map((c) => c * 0.995),
    close,
    volume,
    sharesOutstanding: new Float64Array(U).fill(1e9),
    reference: new Map([['market', market], ['vix', new Float64Array(T).fill(16)]]),
  });
}

let panel: Panel;
let day0: number;

beforeAll(() => {
  panel = marketPanel(300, 24, 5);
  day0 = panel.T - 3;
});

/** One agent and limits loose enough that only the fund's single-name and sector caps (5%, 20%) bind. */
const config = (): FundConfig =>
  parseFundConfig({
    data: { minHistoryRows: 200, degradedMinRows: 100 },
    fund: { id: 'ob', name: 'Outside books', totalCapital: NAV },
    // loose: a 70% risk target, its loss limits derived from it (VaR95 10.9%, VaR99 kill switch 20.5%, drawdown kill switch 100%)
    risk: { targetVolPct: 0.7, maxTop5Pct: 1, maxDaysToLiquidate: 1000 },
    regime: { multipliers: { BULL_QUIET: 1, BULL_VOLATILE: 1, BEAR_QUIET: 1, BEAR_CRISIS: 1 } },
    buckets: { directional_equity: { maxRiskAllocationPct: 1 } },
    defaults: { riskBudgetPct: 1, maxPositionPct: 0.5, maxSectorPct: 1, netExposureCap: 1 },
    agents: [{ id: AGENT, strategy: 'momentum', allocatedCapital: AGENT_CAPITAL }],
  });

/** An agent that proposes the same weights (fractions of its allocated capital) every day. */
function stubAgent(targets: readonly { symbol: string; weight: number }[]): Agent {
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
        targets: targets.map((t) => ({ symbol: t.symbol, weight: t.weight, stopLoss: null, takeProfit: null })),
        agentRisk: [],
        reasoning: 'stub',
      };
    },
  };
}

const closeOf = (view: MarketView, symbol: string): number => view.close(view.column(symbol));

/** A fresh fund; `held` (signed dollars per name at day 0's close) bought into the discretionary book first. */
function fundWith(cfg: FundConfig, held: ReadonlyMap<string, number> | null): FundRunState {
  const ledger = new Ledger();
  openLedgerBooks(ledger, cfg);
  const view = viewAt(panel, day0);
  if (held) {
    ledger.open(DISC, 0);
    for (const [symbol, dollars] of held) {
      const price = closeOf(view, symbol);
      const qty = Math.floor((Math.abs(dollars) / price) * 1e4) / 1e4;
      if (qty > 0) ledger.applyFill({ agentId: DISC, symbol, side: dollars > 0 ? 'BUY' : 'SELL', qty, price, commission: 0 });
    }
  }
  return { ledger, fund: initialFundState(cfg, view.asOf), anchor: { month: '', fund: NAV, agents: new Map() }, lastAsOf: null };
}

/** Runs the cycle on `days` consecutive days from day 0, the paper broker filling each day's orders at the next open. */
async function runDays(cfg: FundConfig, state: FundRunState, agent: Agent | null, days = 1): Promise<CycleResult[]> {
  const from = panel.dates[day0] ?? '';
  const wired = await backtestServices({ id: 'ob', from, captureInputs: agent === null }, cfg, state);
  // null: the config's own roster (replay builds the same one)
  const services = agent === null ? wired.services : { ...wired.services, agents: [agent] };
  const out: CycleResult[] = [];
  for (let k = 0; k < days; k++) {
    const view = viewAt(panel, day0 + k);
    wired.clock.set(dateToMs(view.asOf) + 14.5 * 3600_000);
    wired.broker.onBar(view);
    wired.clock.set(dateToMs(view.asOf) + 21 * 3600_000);
    wired.setPrices((s) => closeOf(view, s));
    out.push(await runCycle(services, state, view));
  }
  return out;
}

/** The discretionary book's signed shares per name. */
const discShares = (ledger: Ledger): Map<string, number> => new Map([...ledger.book(DISC).holdings.values()].map((h) => [h.symbol, h.qty4]));

const sectorOf = (view: MarketView, symbol: string): string => view.sectors[view.column(symbol)] ?? 'Unknown';

describe('the cycle counts the discretionary book against the fund limits', () => {
  const held = ['S000', 'S004', 'S008']; // Technology
  const proposed = ['S012', 'S016', 'S020']; // Technology, not held by the PM

  it('an agent adding to the sector the PM holds is capped at what the 20% sector cap leaves; without the PM book it is not', async () => {
    const cfg = config();
    const view = viewAt(panel, day0);
    for (const s of [...held, ...proposed]) expect(sectorOf(view, s)).toBe('Technology');
    const w = 1 / 30; // $300,000 of the agent's $9M per name: $900,000 of Technology, each name under the 5% ($500,000) cap
    const agent = stubAgent(proposed.map((symbol) => ({ symbol, weight: w })));

    const withPm = fundWith(cfg, new Map(held.map((s) => [s, 500_000])));
    // the PM's Technology dollars at the close: Σ shares × close (shares rounded down to 1e-4)
    const pmDollars = held.reduce((acc, s) => acc + (withPm.ledger.qty(DISC, s) * closeOf(view, s)), 0);
    expect(pmDollars).toBeGreaterThan(1_499_900);
    expect(pmDollars).toBeLessThanOrEqual(1_500_000);
    const [r] = await runDays(cfg, withPm, agent);
    if (!r) throw new Error('no cycle');
    // the state the review saw carried the PM book, not as an agent
    expect(r.review.nextState.agents.map((a) => a.agentId)).toEqual([AGENT]);
    expect(r.review.nextState.outsideBooks?.map((b) => b.bookId)).toEqual([DISC]);
    // hand computation: room = 20% × $10M − PM dollars, shared pro rata by the three equal names
    const room = 0.2 * NAV - pmDollars;
    const final = r.review.positions[AGENT] ?? [];
    for (const s of proposed) {
      const t = final.find((p) => p.symbol === s);
      expect(t?.targetNotional).toBeCloseTo(room / 3, 4);
      expect(t?.targetWeight).toBeCloseTo(room / 3 / AGENT_CAPITAL, 12);
    }
    const decision = r.decisions.find((d) => d.agentId === AGENT);
    expect(decision?.action).toBe('MODIFY');
    const sector = decision?.reasons.find((x) => x.code === 'SECTOR_CAP');
    expect(sector).toMatchObject({ sector: 'Technology', limit: 0.2 });
    expect(sector?.actual).toBeCloseTo((pmDollars + 900_000) / NAV, 9);
    // the fund's Technology long after the review: exactly at the cap, counting the PM
    expect(r.review.snapshot.netBySector['Technology']).toBeCloseTo(0.2, 9);

    // the same agent in the same fund without the PM book: nothing caps it
    const [bare] = await runDays(cfg, fundWith(cfg, null), agent);
    if (!bare) throw new Error('no cycle');
    expect(bare.decisions.find((d) => d.agentId === AGENT)?.action).toBe('APPROVE');
    for (const s of proposed) expect((bare.review.positions[AGENT] ?? []).find((p) => p.symbol === s)?.targetNotional).toBeCloseTo(300_000, 4);
    expect(bare.review.nextState.outsideBooks ?? []).toEqual([]);
  });

  it('a name the PM holds at the single-name cap leaves the agent no room in it', async () => {
    const cfg = config();
    const view = viewAt(panel, day0);
    const s = 'S001';
    const state = fundWith(cfg, new Map([[s, 400_000]]));
    const pm = state.ledger.qty(DISC, s) * closeOf(view, s);
    const [r] = await runDays(cfg, state, stubAgent([{ symbol: s, weight: 0.05 }]));
    const t = (r?.review.positions[AGENT] ?? []).find((p) => p.symbol === s);
    // 5% × $10M − the PM's dollars, instead of the $450,000 asked
    expect(t?.targetNotional).toBeCloseTo(0.05 * NAV - pm, 4);
    expect(r?.decisions[0]?.reasons.find((x) => x.code === 'SINGLE_NAME_CAP')?.actual).toBeCloseTo((pm + 450_000) / NAV, 9);
  });

  it('the cycle never trades the discretionary book: no order or fill allocates to it, its shares and cash are unchanged', async () => {
    const cfg = config();
    // the agent proposes to sell short names the PM holds long, and to buy one the PM is short
    const state = fundWith(cfg, new Map([['S000', 300_000], ['S001', 200_000], ['S002', -150_000]]));
    const before = discShares(state.ledger);
    const cash = state.ledger.book(DISC).cashCents;
    const agent = stubAgent([{ symbol: 'S000', weight: -0.02 }, { symbol: 'S001', weight: -0.01 }, { symbol: 'S002', weight: 0.02 }, { symbol: 'S003', weight: 0.02 }]);
    const rs = await runDays(cfg, state, agent, 3);
    const orders: Order[] = rs.flatMap((r) => [...r.orders]);
    expect(orders.length).toBeGreaterThan(0);
    expect(rs.flatMap((r) => r.fills).length).toBeGreaterThan(0); // day 1's orders filled at day 2's open
    for (const o of orders) expect(o.allocations.map((a) => a.agentId)).toEqual([AGENT]);
    for (const f of rs.flatMap((r) => r.fills)) expect(f.allocations.every((a) => a.agentId === AGENT)).toBe(true);
    for (const r of rs) expect(Object.keys(r.review.positions)).toEqual([AGENT]);
    expect(discShares(state.ledger)).toEqual(before);
    expect(state.ledger.book(DISC).cashCents).toBe(cash);
    // the PM book is in the books the overlay counted, with no budget of its own
    const last = rs.at(-1);
    expect(last?.review.snapshot.budgets[DISC]).toMatchObject({ budget: 0, used: 0, status: 'WITHIN_BUDGET' });
    expect(last?.review.snapshot.budgets[DISC]?.component).not.toBe(0);
    expect(last?.review.alerts.filter((a) => a.title.includes(DISC))).toEqual([]);
  });

  // Invariant: after the cycle's review, no fund-level single-name or sector side exceeds its cap
  // counting every book, unless the PM's book alone already did (the agent then adds nothing to it).
  it('property: random PM holdings and agent proposals never breach a fund single-name or sector cap counting every book', async () => {
    const cfg = config();
    const view = viewAt(panel, day0);
    const symbols = [...panel.symbols];
    const name = fc.constantFrom(...symbols);
    // PM dollars in $1,000 steps up to $700,000 a side; agent weights in 0.1% steps up to 8% ($720,000)
    const dollars = fc.integer({ min: -700, max: 700 }).filter((k) => k !== 0).map((k) => k * 1_000);
    const weight = fc.integer({ min: -80, max: 80 }).map((k) => k / 1_000);
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.tuple(name, dollars), { maxLength: 10, selector: (x) => x[0] }), fc.uniqueArray(fc.tuple(name, weight), { minLength: 1, maxLength: 12, selector: (x) => x[0] }), async (pm, proposal) => {
        const state = fundWith(cfg, new Map(pm));
        const [r] = await runDays(cfg, state, stubAgent(proposal.map(([symbol, w]) => ({ symbol, weight: w }))));
        if (!r) throw new Error('no cycle');
        const pmBook = new Map([...state.ledger.book(DISC).holdings.values()].map((h) => [h.symbol, (h.qty4 / 1e4) * closeOf(view, h.symbol)]));
        const agentBook = new Map((r.review.positions[AGENT] ?? []).map((p) => [p.symbol, p.targetNotional]));
        const side = (m: ReadonlyMap<string, number>, s: string, sign: number) => Math.max(0, sign * (m.get(s) ?? 0));
        const secPm = new Map<string, number>();
        const secAll = new Map<string, number>();
        for (const sign of [1, -1]) {
          for (const s of symbols) {
            const u = view.column(s);
            const limit = Math.min(cfg.risk.maxSingleNamePct * NAV, cfg.risk.maxAdvPct * view.value('adv20', u) * view.close(u));
            const mine = side(pmBook, s, sign);
            const all = mine + side(agentBook, s, sign);
            expect(all).toBeLessThanOrEqual(Math.max(limit, mine) + 1e-6);
            const key = `${sectorOf(view, s)}:${sign}`;
            secPm.set(key, (secPm.get(key) ?? 0) + mine);
            secAll.set(key, (secAll.get(key) ?? 0) + all);
          }
        }
        for (const [key, all] of secAll) expect(all).toBeLessThanOrEqual(Math.max(cfg.risk.maxSectorPct * NAV, secPm.get(key) ?? 0) + 1e-6);
      }),
      { numRuns: 100, seed: 20261122 },
    );
  });
});

describe('the fund state with outside books', () => {
  it('refreshFundState lists every ledger book outside the agents but the fund book, with positions at the marks; none without', () => {
    const cfg = config();
    const state = fundWith(cfg, new Map([['S000', 100_000]]));
    const view = viewAt(panel, day0);
    state.ledger.markAll((s) => closeOf(view, s));
    const fund = refreshFundState(state.fund, state.ledger, view, state.anchor, true);
    expect(state.ledger.has(FUND_BOOK)).toBe(true);
    expect(fund.agents.map((a) => a.agentId)).toEqual([AGENT]);
    const qty = state.ledger.qty(DISC, 'S000');
    expect(fund.outsideBooks).toEqual([{ bookId: DISC, positions: [{ symbol: 'S000', qty, price: closeOf(view, 'S000') }] }]);
    const bare = fundWith(cfg, null);
    expect(refreshFundState(bare.fund, bare.ledger, view, bare.anchor, true).outsideBooks).toEqual([]);
  });

  it('round-trips through the stored JSON; a stored state without the field loads and the next cycle finds the book again', async () => {
    const cfg = config();
    const state = fundWith(cfg, new Map([['S000', 300_000]]));
    await runDays(cfg, state, stubAgent([{ symbol: 'S006', weight: 0.02 }]));
    const stored = JSON.parse(JSON.stringify(serialiseRunState(state))) as StoredRunState;
    expect(deserialiseRunState(stored).fund).toEqual(state.fund);
    expect(state.fund.outsideBooks?.[0]?.bookId).toBe(DISC);
    // a state stored before the field existed
    const { outsideBooks: _dropped, ...old } = stored.fund;
    const loaded = deserialiseRunState({ ...stored, fund: old });
    expect(loaded.fund.outsideBooks).toBeUndefined();
    const view = viewAt(panel, day0 + 1);
    loaded.ledger.markAll((s) => closeOf(view, s));
    const next = refreshFundState(loaded.fund, loaded.ledger, view, loaded.anchor, true);
    expect(next.outsideBooks?.map((b) => b.bookId)).toEqual([DISC]);
  });

  it("replay of a cycle with a PM book is bit-exact from its stored inputs, which carry the book (without it the decisions differ)", async () => {
    const cfg = config();
    // the PM holds 5% of the fund long in every name: an agent can add nothing long anywhere
    const state = fundWith(cfg, new Map(panel.symbols.map((s) => [s, 0.05 * NAV])));
    const [r] = await runDays(cfg, state, null);
    const inputs = r?.inputs;
    if (!r || !inputs) throw new Error('no inputs captured');
    expect(inputs.fund.outsideBooks?.map((b) => b.bookId)).toEqual([DISC]);
    const stored = JSON.parse(JSON.stringify(inputs)) as typeof inputs;
    const report = await replayCycle(cfg, panel, stored, r.decisions);
    expect(report.differences).toEqual([]);
    expect(report.identical).toBe(true);
    // the agent wanted some long exposure, and the PM book took its room
    expect(r.proposals[0]?.targets.some((t) => t.weight > 0)).toBe(true);
    const { outsideBooks: _dropped, ...withoutPm } = stored.fund;
    expect((await replayCycle(cfg, panel, { ...stored, fund: withoutPm }, r.decisions)).identical).toBe(false);
  });
});
