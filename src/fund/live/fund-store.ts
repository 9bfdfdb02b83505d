import type { AgentProposal, FundConfig, Position } from '../../contracts/index.ts';
import type { IsoDate } from '../../core/index.ts';
import { adoptOperatorState, capitalMoves, parseFundState, rearmAgent, type AgentScore, type FundState } from '../../overlay/index.ts';
import type { NavPoint, Repos } from '../../store/index.ts';
import { persistCycleRecords } from '../backtest/backtest-job.ts';
import { FUND_BOOK, initialFundState, openLedgerBooks, type MonthAnchor } from '../cycle/books.ts';
import type { CycleResult } from '../cycle/run-cycle.ts';
import type { CycleMode, FundRunState } from '../cycle/runtime.ts';
import { parseStopLevels, type StopLevel } from '../cycle/stops.ts';
import { Ledger, QTY_SCALE, type LedgerSnapshot } from '../ledger/ledger.ts';
import { overlayDecisionJournal } from './overlay-journal.ts';
import { stopExitJournal } from './stop-journal.ts';
import { bookStored, checkpointLedger, loadStoredLedger } from './stored-ledger.ts';

/** The fund's state after a cycle, as stored with it (JSON): enough to continue from there. */
export interface StoredRunState {
  ledger: LedgerSnapshot;
  fund: FundState;
  anchor: { month: string; fund: number; agents: [string, number][] };
  lastAsOf: string | null;
  /** ATR stop levels of held positions (`risk.atrStops`); absent when none were ever kept. */
  stops?: StopLevel[];
}

export function serialiseRunState(s: FundRunState): StoredRunState {
  return {
    ledger: s.ledger.snapshot(),
    fund: s.fund,
    anchor: { month: s.anchor.month, fund: s.anchor.fund, agents: [...s.anchor.agents] },
    lastAsOf: s.lastAsOf,
    ...(s.stops ? { stops: s.stops } : {}),
  };
}

/** A stored state, its fund state checked (dates, sizes, ids once): a ValidationError names the field, e.g. `state.fund.agents[1].agentId`. */
export function deserialiseRunState(s: StoredRunState): FundRunState {
  const anchor: MonthAnchor = { month: s.anchor.month, fund: s.anchor.fund, agents: new Map(s.anchor.agents) };
  const state: FundRunState = { ledger: Ledger.fromSnapshot(s.ledger), fund: parseFundState(s.fund, 'state.fund'), anchor, lastAsOf: s.lastAsOf };
  if (s.stops !== undefined) state.stops = parseStopLevels(s.stops, 'state.stops');
  return state;
}

/**
 * Each agent's allocated capital in the fund state its latest completed cycle (or proposal
 * execution) left: what its target weights are fractions of, at execution as in the review. Null
 * before any cycle. Reads the stored state only (nothing is written).
 */
export async function storedAgentCapital(store: Pick<Repos, 'cycles'>, fundId: string): Promise<Map<string, number> | null> {
  const last = await latestSavedState(store, fundId);
  return last ? new Map(parseFundState(last.saved.fund, 'state.fund').agents.map((a) => [a.agentId, a.allocatedCapital])) : null;
}

/** The state the fund's latest completed cycle (or proposal execution) stored, with that cycle's id and start; null before any. */
async function latestSavedState(store: Pick<Repos, 'cycles'>, fundId: string): Promise<{ saved: StoredRunState; id: string; startedAt: string } | null> {
  for (const c of await store.cycles.list(fundId, 20)) {
    const saved = (c.summary as { state?: StoredRunState }).state;
    if (c.status === 'COMPLETED' && saved) return { saved, id: c.id, startedAt: c.startedAt };
  }
  return null;
}

/**
 * The fund's state to run from: the fund state (drawdowns, high-water marks, trading state,
 * return histories) after its latest completed cycle (or proposal execution, which stores the
 * state it leaves the same way), or a fresh fund's; and the books as they stand now, from the
 * stored ledger, which every fill, cross and adjustment is booked into as it is recorded (a
 * cycle killed half way leaves its fills there, never only in memory). A fund without a stored
 * ledger (new, or from before it was stored) gets its books from that latest state, or opened
 * from the config, and they are stored now. `savedAt` is when that state was stored (null for a
 * fresh fund).
 */
export async function loadRunState(
  store: Pick<Repos, 'cycles' | 'ledger'>,
  config: FundConfig,
  asOf: IsoDate,
): Promise<{ state: FundRunState; fromCycle: string | null; savedAt: string | null }> {
  const fundId = config.fund.id;
  const stored = await loadStoredLedger(store, fundId);
  const last = await latestSavedState(store, fundId);
  if (last) {
    const state = deserialiseRunState(last.saved);
    if (stored) state.ledger = stored;
    else await store.ledger.init(fundId, state.ledger.snapshot(), new Date().toISOString());
    return { state, fromCycle: last.id, savedAt: last.startedAt };
  }
  let ledger = stored;
  if (!ledger) {
    ledger = new Ledger();
    openLedgerBooks(ledger, config);
    await store.ledger.init(fundId, ledger.snapshot(), new Date().toISOString());
  }
  return {
    state: { ledger, fund: initialFundState(config, asOf), anchor: { month: '', fund: config.fund.totalCapital, agents: new Map() }, lastAsOf: null },
    fromCycle: null,
    savedAt: null,
  };
}

/**
 * The fund state with what operators did since it was stored. The trading state a trip or re-arm
 * set on the fund row (`adoptOperatorState`: a trip halts it, a re-arm moves it on through the
 * table; a cycle leaves the row equal to the state it stores, so a row that differs was set since),
 * who and why from the journal's latest fund trip or re-arm. And each agent its drawdown ladder
 * paused and a REARM journal entry for it (`keel agent rearm`, the API) recorded after the state was
 * stored (`savedAt`, the stored cycle's wall-clock start):
 * `rearmAgent`, so its recovery starts once the ladder's cooldown has passed. Dated the day the cycle
 * (or execution) reads them. Without this, a fund a market kill switch halted stayed HALTED after
 * every re-arm (the stored state said HALTED, and each cycle wrote it back to the row), and a paused
 * agent stayed paused for good.
 */
export async function withOperatorState(store: Pick<Repos, 'funds' | 'journal'>, fundId: string, fund: FundState, asOf: IsoDate, savedAt: string | null): Promise<FundState> {
  let next = fund;
  const row = (await store.funds.get(fundId))?.tradingState;
  if (row !== undefined && row !== fund.tradingState) {
    // the latest fund-level trip, re-arm or reconciliation (a broker that could not be reconciled halts the row) says who and why, when it is of this move
    const moves = row === 'HALTED' ? ['KILL_SWITCH_TRIP', 'RECONCILIATION'] : ['REARM'];
    const last = (await store.journal.list(fundId, { limit: 50 })).find((e) => ['KILL_SWITCH_TRIP', 'REARM', 'RECONCILIATION'].includes(e.kind) && !e.tags.some((t) => t.startsWith('agent:')));
    const operator = last && moves.includes(last.kind)
      ? { who: last.author, why: last.body, at: asOf }
      : { who: 'store', why: row === 'HALTED' ? 'fund HALTED in the store (kill switch tripped)' : `fund ${row} in the store (re-armed)`, at: asOf };
    next = adoptOperatorState(next, row, operator);
  }
  for (const a of fund.agents) {
    if (a.drawdown.state !== 'paused' || a.drawdown.rearm !== null) continue;
    // recorded after the state that holds the pause was stored (both wall-clock times): a re-arm of an
    // earlier pause was read by a cycle since, and an --as-of catch-up's dates say nothing of the order
    const e = (await store.journal.list(fundId, { tag: `agent:${a.agentId}`, limit: 20 })).find((x) => x.kind === 'REARM' && (savedAt === null || x.at > savedAt));
    if (e) next = rearmAgent(next, a.agentId, { who: e.author, why: e.body, at: asOf });
  }
  return next;
}

/** Positions of every book as contract Positions (signed shares, average cost, last mark). */
export function ledgerPositions(ledger: Ledger, fundId: string, at: string): Position[] {
  const out: Position[] = [];
  for (const id of ledger.agentIds()) {
    for (const h of ledger.book(id).holdings.values()) {
      const qty = h.qty4 / QTY_SCALE;
      out.push({
        version: 1,
        fundId,
        agentId: id,
        symbol: h.symbol,
        qty,
        avgCost: qty !== 0 ? Math.abs(h.costCents / 100 / qty) : 0,
        lastPrice: h.mark,
        realizedPnl: 0,
        updatedAt: at,
      });
    }
  }
  return out;
}

/**
 * Dollars the cycle's allocation moved into each book (into an agent's, out of the fund's book):
 * part of the book's NAV change that is neither a gain nor a loss.
 */
export function movedInto(allocation: CycleResult['review']['allocation']): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of capitalMoves(allocation)) {
    out.set(m.agentId, (out.get(m.agentId) ?? 0) + m.dollars);
    out.set(FUND_BOOK, (out.get(FUND_BOOK) ?? 0) - m.dollars);
  }
  return out;
}

/**
 * NAV points of the fund ('' agent) and of each book for one date. A book's daily return is net of
 * the capital moved into it that day (`moved`): a reallocation read as a +20% day before.
 */
export function navPoints(state: FundRunState, fundId: string, date: IsoDate, prev: ReadonlyMap<string, number>, moved: ReadonlyMap<string, number>): NavPoint[] {
  const { ledger, fund } = state;
  const point = (agentId: string, nav: number, cash: number, gross: number, net: number, hwm: number): NavPoint => {
    const before = prev.get(agentId);
    const flow = moved.get(agentId) ?? 0;
    return {
      fundId,
      agentId,
      date,
      nav,
      cash,
      grossExposure: gross,
      netExposure: net,
      highWaterMark: Math.max(hwm, nav),
      dailyReturn: before && before > 0 ? (nav - flow - before) / before : null,
      drawdown: hwm > 0 ? Math.min(0, nav / Math.max(hwm, nav) - 1) : 0,
    };
  };
  const out: NavPoint[] = [];
  let fundCash = 0;
  let fundNet = 0;
  // The fund's gross is the gross limit's: Σ over names of |the value netted across books|.
  const byName = new Map<string, number>();
  for (const id of ledger.agentIds()) {
    const b = ledger.book(id);
    let gross = 0;
    let net = 0;
    for (const h of b.holdings.values()) {
      const v = (h.qty4 / QTY_SCALE) * h.mark;
      gross += Math.abs(v);
      net += v;
      byName.set(h.symbol, (byName.get(h.symbol) ?? 0) + v);
    }
    fundCash += b.cashCents / 100;
    fundNet += net;
    const a = fund.agents.find((x) => x.agentId === id);
    out.push(point(id, ledger.navCents(id) / 100, b.cashCents / 100, gross, net, a?.highWaterMark ?? ledger.navCents(id) / 100));
  }
  let fundGross = 0;
  for (const v of byName.values()) fundGross += Math.abs(v);
  out.push(point('', ledger.fundNavCents() / 100, fundCash, fundGross, fundNet, fund.highWaterMark));
  return out;
}

export interface SaveCycleInput {
  readonly fundId: string;
  readonly mode: CycleMode;
  readonly configHash: string;
  readonly startedAt: string;
  readonly result: CycleResult;
  readonly state: FundRunState;
  readonly prevNav: ReadonlyMap<string, number>;
  /** Advisory mode: store the reviewed books as proposals awaiting approval, expiring `proposalTtlMs` after `startedAt`. */
  readonly advisory?: { readonly proposalTtlMs: number };
}

/**
 * Stores one completed cycle in one transaction: the cycle row with its inputs and the state it
 * leaves, decision records, overlay and risk actions, signals, alerts, journal entries (stop exits;
 * for a live or paper cycle, the overlay's blocks and material cuts), positions, NAV, the risk
 * snapshot, stress results, the trading state and an audit entry. Nothing half-written.
 */
export async function saveCycle(tx: Repos, x: SaveCycleInput): Promise<void> {
  const { result: r, fundId } = x;
  await persistCycleRecords(tx, fundId, r);
  await tx.signals.insertMany(r.cycleId, r.proposals.flatMap((p) => p.signals));
  for (const a of r.alerts) await tx.alerts.insert(a);
  for (const e of stopExitJournal(fundId, r, x.startedAt)) await tx.journal.add(e);
  // A live or paper cycle journals the overlay's blocks and material cuts; a backtest adopted as the fund's (the demo) does not.
  if (x.mode !== 'backtest') for (const e of overlayDecisionJournal(fundId, r, x.startedAt)) await tx.journal.add(e);
  if (x.advisory) {
    const expiresAt = new Date(Date.parse(x.startedAt) + x.advisory.proposalTtlMs).toISOString();
    for (const p of advisoryProposals(r)) {
      await tx.proposals.insert({
        id: p.id,
        fundId,
        proposal: p.proposal,
        decisionId: p.decisionId,
        createdBy: `system:agent:${p.proposal.agentId}`,
        createdAt: x.startedAt,
        expiresAt,
        rationale: p.proposal.reasoning,
      });
    }
  }
  await saveCycleState(tx, x);
}

/**
 * Advisory mode: each agent's book as the overlay approved it (final weights), stored as a proposal
 * awaiting a human decision (id `prop-<decisionId>`, as the PMS workflow names it). Blocked
 * decisions and books with no change are not proposed.
 */
export function advisoryProposals(r: CycleResult): { id: string; decisionId: string; proposal: AgentProposal }[] {
  const byAgent = new Map(r.proposals.map((p) => [p.agentId, p]));
  const out: { id: string; decisionId: string; proposal: AgentProposal }[] = [];
  for (const d of r.decisions) {
    const p = byAgent.get(d.agentId);
    const changes = (r.review.positions[d.agentId] ?? []).some((t) => Math.abs(t.deltaNotional) > 1e-6);
    if (!p || d.action === 'BLOCK' || !changes) continue;
    const stops = new Map(p.targets.map((t) => [t.symbol, t]));
    out.push({
      id: `prop-${d.decisionId}`,
      decisionId: d.decisionId,
      proposal: {
        ...p,
        targets: d.targets
          .filter((t) => t.finalWeight !== 0)
          .map((t) => ({ symbol: t.symbol, weight: t.finalWeight, stopLoss: stops.get(t.symbol)?.stopLoss ?? null, takeProfit: stops.get(t.symbol)?.takeProfit ?? null })),
        reasoning: `${d.action} ×${d.scale.toFixed(2)}: ${d.summary}`.slice(0, 4000),
      },
    });
  }
  return out;
}

/**
 * The cycle's capital allocation into the stored ledger, as `moveCapital` booked it in memory:
 * each move is cash between the fund's book and the agent's, in the cycle's transaction.
 */
async function bookCapitalMoves(tx: Repos, fundId: string, r: CycleResult, at: string): Promise<void> {
  for (const m of capitalMoves(r.review.allocation)) {
    await bookStored(tx, fundId, '', [FUND_BOOK, m.agentId], at, (l) => l.transfer(FUND_BOOK, m.agentId, m.dollars));
  }
}

/**
 * An agent's stored metrics with the cycle's scores: a finite score replaces the stored one, and a
 * score the cycle could not compute (no record: NaN) removes it, so the page does not keep showing
 * an older cycle's number as the agent's.
 */
function withScores(stored: Readonly<Record<string, unknown>>, sc: AgentScore | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = { ...stored };
  if (!sc) return out;
  for (const [k, v] of Object.entries(sc)) {
    if (k === 'agentId' || typeof v !== 'number') continue;
    if (Number.isFinite(v)) out[k] = v;
    else delete out[k];
  }
  return out;
}

/**
 * The state half of `saveCycle`: the cycle row with its inputs and resulting state, positions,
 * NAV, risk snapshot, stress results, trading and drawdown states, and the audit entry.
 */
export async function saveCycleState(tx: Repos, x: SaveCycleInput): Promise<void> {
  const { result: r, state, fundId } = x;
  const at = new Date().toISOString();
  await tx.cycles.start({ id: r.cycleId, fundId, asOf: r.asOf, mode: x.mode, inputsHash: r.outputsHash ?? '', configHash: x.configHash, startedAt: x.startedAt });
  // A live or paper cycle booked every fill into the stored ledger as it went: the two must agree.
  // A backtest's final state adopted as the fund's (the demo) replaces the books.
  if (x.mode === 'backtest') await tx.ledger.replace(fundId, state.ledger.snapshot(), at);
  else {
    await bookCapitalMoves(tx, fundId, r, at);
    await checkpointLedger(tx, fundId, state.ledger, at);
  }
  await tx.positions.replaceBook(fundId, ledgerPositions(state.ledger, fundId, at), at);
  await tx.nav.upsert(navPoints(state, fundId, r.asOf, x.prevNav, movedInto(r.review.allocation)));
  const snap = r.review.snapshot;
  await tx.risk.addSnapshot({
    fundId,
    cycleId: r.cycleId,
    asOf: r.asOf,
    var95: snap.var95,
    var99: snap.var99,
    cvar95: snap.cvar95,
    grossExposure: snap.gross,
    netExposure: snap.net,
    metrics: { ...snap, regime: r.review.regime, tradingState: r.review.tradingState, liquidity: r.review.liquidity, scores: r.review.scores, allocation: r.review.allocation },
  });
  await tx.risk.addStressResults(
    r.review.stress.results.map((s) => ({
      fundId,
      cycleId: r.cycleId,
      asOf: r.asOf,
      scenario: s.scenario,
      pnlImpact: s.fundPnl,
      pnlImpactPct: s.fundPnlPct,
      perAgent: s.perAgent,
      details: { kind: s.kind, runAt: x.startedAt, book: 'target' },
    })),
  );
  await tx.funds.setTradingState(fundId, r.review.tradingState);
  // The fund's drawdown step as the overlay left it: the step the decisions' FUND_DRAWDOWN_STEP reasons name.
  await tx.funds.setFundDrawdown(fundId, { state: state.fund.fundDrawdown.state, highWaterMark: state.fund.highWaterMark, hwmDate: r.asOf });
  // Agents' drawdown state, high-water mark and latest risk-adjusted scores (the overlay's).
  const track = new Map(state.fund.agents.map((a) => [a.agentId, a]));
  const scores = new Map(r.review.scores.map((x) => [x.agentId, x]));
  const rows = await tx.funds.agents(fundId);
  await tx.funds.upsertAgents(
    rows.map((row) => {
      const a = track.get(row.id);
      const sc = scores.get(row.id);
      return a
        ? { ...row, drawdownState: a.drawdown.state, highWaterMark: a.highWaterMark, hwmDate: r.asOf, metrics: { ...withScores(row.metrics, sc), asOf: r.asOf } }
        : row;
    }),
  );
  await tx.cycles.finish(r.cycleId, {
    status: 'COMPLETED',
    finishedAt: at,
    summary: {
      nav: r.nav,
      tradingState: r.review.tradingState,
      regime: r.review.regime,
      orders: r.orders.length,
      fills: r.fills.length,
      decisions: r.decisions.map((d) => ({ agentId: d.agentId, action: d.action, scale: d.scale })),
      outputsHash: r.outputsHash,
      inputs: r.inputs,
      state: serialiseRunState(state),
    },
  });
  await tx.audit.append({
    at,
    actor: `fund:${fundId}`,
    action: 'CycleCompleted',
    entity: 'cycle',
    entityId: r.cycleId,
    payload: { asOf: r.asOf, mode: x.mode, configHash: x.configHash, outputsHash: r.outputsHash, nav: r.nav.fund, tradingState: r.review.tradingState },
  });
}
