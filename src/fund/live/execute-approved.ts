import { configHash, type Fill, type FundConfig, type Order, type OrderSide, type OverlayDecision, type TradingState } from '../../contracts/index.ts';
import { ensureDefined, ValidationError, type Clock } from '../../core/index.ts';
import { orderFromPlan, PaperBroker, planOrders, workOrder, type Broker, type PlannedOrder, type PlanSkip } from '../../execution/index.ts';
import type { MarketView } from '../../market/index.ts';
import type { Position } from '../../contracts/index.ts';
import type { Repos } from '../../store/index.ts';
import { FUND_BOOK } from '../cycle/books.ts';
import { bookFills } from '../ledger/book-fills.ts';
import { QTY_SCALE, type Ledger } from '../ledger/ledger.ts';
import type { FundRunState } from '../cycle/runtime.ts';
import { cycleOms } from '../kernel/wiring.ts';
import { loadRunState, serialiseRunState, withOperatorState } from './fund-store.ts';
import { reviewApprovedTrade, type ApprovedReview } from './review-approved.ts';
import { tradeOnView } from './session-clock.ts';
import { inTransaction, StoreOrderJournal } from './store-journal.ts';

/**
 * A trade a person approved, in execution terms. Exactly one of `targets` (an agent's book) or
 * `ticket` (a discretionary trade) is set; both already carry the PM's size multiplier.
 */
export interface ApprovedTrade {
  /** The proposal id: order ids derive from it, so a retry finds (never duplicates) the same orders. */
  readonly proposalId: string;
  readonly fundId: string;
  readonly agentId: string;
  /** Prefix of the orders' trace ids (`<traceId>:<symbol>`). */
  readonly traceId: string;
  /** The cycle the trade was decided in, stamped on its orders (null for a discretionary ticket). */
  readonly cycleId: string | null;
  /** The agent's full target book: signed weights, fractions of its allocated capital. Held names absent are closed. */
  readonly targets: readonly { readonly symbol: string; readonly weight: number }[] | null;
  /** One order's worth: unsigned shares or dollars (exactly one set). */
  readonly ticket: { readonly symbol: string; readonly side: OrderSide; readonly qty: number | null; readonly notional: number | null } | null;
  /** Limit price in dollars (single-symbol trades only); null = market order. */
  readonly limitPrice: number | null;
  /**
   * Have the overlay review the book the trade would leave, and execute what it leaves of it (a
   * book at a modified size, any ticket); `prior` is the overlay decision the book came from, whose
   * policy multipliers the targets already carry. Null: execute the targets as approved (an
   * unmodified agent book, which the overlay reviewed in its cycle).
   */
  readonly review: { readonly prior: OverlayDecision | null } | null;
}

export interface ExecutionContext {
  readonly config: FundConfig;
  /** The market as of the execution: decision prices and paper fills are its closes. */
  readonly view: MarketView;
  readonly clock: Clock;
  /** Recorded with the state row. */
  readonly mode: 'paper' | 'live';
  /** The fund's broker, from the kernel (a paper broker fills at the view's closes, as the paper cycle does). */
  readonly broker: Broker;
}

/** What an execution did. Quantities unsigned shares; prices dollars. */
export interface TradeExecution {
  readonly asOf: string;
  /** The orders with their status after the OMS (FILLED, REJECTED with denials, EXPIRED, …). */
  readonly orders: readonly Order[];
  readonly fills: readonly Fill[];
  /** Names the planner did not trade (no price, below the minimum notional). */
  readonly skipped: readonly PlanSkip[];
  /** Orders the broker already had from an earlier attempt whose record was lost (adopted, not resent). */
  readonly adopted: number;
  /** The overlay's review when the trade asked for one (null otherwise); when it blocked, nothing was sent. */
  readonly review: ApprovedReview | null;
}

/** The order id of an approved trade's order in `symbol` (stable across retries); legs after the first (children, the short leg) are numbered. */
export const approvedOrderId = (proposalId: string, symbol: string, leg = 0): string => (leg === 0 ? `${proposalId}:${symbol}` : `${proposalId}:${symbol}:${leg}`);

const round4 = (q: number): number => Math.round(q * QTY_SCALE) / QTY_SCALE;

function closeOf(view: MarketView, symbol: string): number {
  const u = view.column(symbol);
  return u >= 0 ? view.close(u) : Number.NaN;
}

/** The planned orders of a trade: the planner for a book (target − current, lots, turnover), the ticket as one order. */
function plan(t: ApprovedTrade, ledger: Ledger, config: FundConfig, view: MarketView): { orders: PlannedOrder[]; skipped: PlanSkip[] } {
  if (t.ticket !== null) {
    const { symbol, side } = t.ticket;
    const price = closeOf(view, symbol);
    if (!(price > 0)) return { orders: [], skipped: [{ symbol, reason: { code: 'NO_PRICE', message: `no decision price for ${symbol}`, limit: null, actual: null } }] };
    const qty = round4(t.ticket.qty ?? (t.ticket.notional ?? 0) / price);
    if (!(qty > 0)) throw new ValidationError('ticket.qty', `the ticket rounds to no shares (${String(t.ticket.qty ?? t.ticket.notional)})`);
    const notional = qty * price;
    if (notional < config.oms.minNotional) {
      return { orders: [], skipped: [{ symbol, reason: { code: 'MIN_NOTIONAL', message: `order $${notional.toFixed(2)} below the minimum`, limit: config.oms.minNotional, actual: notional } }] };
    }
    return { orders: [{ symbol, side, qty, decisionPrice: price, allocations: [{ agentId: t.agentId, qty }], estimatedCostBps: 0 }], skipped: [] };
  }
  const agent = config.agents.find((a) => a.id === t.agentId);
  if (!agent) throw new ValidationError('agentId', `agent ${t.agentId} is not in the fund config; its book cannot be traded`);
  const held = new Map<string, number>();
  for (const h of ledger.book(t.agentId).holdings.values()) held.set(h.symbol, h.qty4 / QTY_SCALE);
  const targets = new Map((t.targets ?? []).map((x) => [x.symbol, x.weight]));
  const prices = new Map<string, number>();
  const adv = new Map<string, number>();
  const sigma = new Map<string, number>();
  for (const sym of new Set([...held.keys(), ...targets.keys()])) {
    const u = view.column(sym);
    const px = closeOf(view, sym);
    if (px > 0) prices.set(sym, px);
    adv.set(sym, u >= 0 ? view.value('adv20', u) : Number.NaN);
    sigma.set(sym, u >= 0 ? view.value('vol20', u) : Number.NaN);
  }
  const p = planOrders({
    agents: [{ agentId: t.agentId, capital: agent.allocatedCapital, targets }],
    positions: new Map([[t.agentId, held]]),
    prices,
    adv,
    sigma,
    config: { lotSize: 1e-4, minNotional: config.oms.minNotional, maxTurnoverPct: config.oms.maxTurnoverPct },
  });
  return { orders: p.orders, skipped: p.skipped };
}

/** Position rows for the (agent, symbol) pairs a fill touched, flat ones at zero. */
function touchedPositions(ledger: Ledger, fundId: string, fills: readonly Fill[], at: string): Position[] {
  const keys = new Map<string, { agentId: string; symbol: string }>();
  for (const f of fills) for (const a of f.allocations) keys.set(`${a.agentId}\u0000${f.symbol}`, { agentId: a.agentId, symbol: f.symbol });
  return [...keys.values()].map(({ agentId, symbol }) => {
    const h = ledger.has(agentId) ? ledger.book(agentId).holdings.get(symbol) : undefined;
    const qty = h ? h.qty4 / QTY_SCALE : 0;
    return {
      version: 1 as const,
      fundId,
      agentId,
      symbol,
      qty,
      avgCost: h && qty !== 0 ? Math.abs(h.costCents / 100 / qty) : 0,
      lastPrice: h ? h.mark : null,
      realizedPnl: 0,
      updatedAt: at,
    };
  });
}

/** The trade the overlay's review leaves: the book at its final targets, the ticket at its reviewed shares. */
function afterReview(t: ApprovedTrade, r: ApprovedReview, config: FundConfig): ApprovedTrade {
  if (t.ticket !== null) return { ...t, ticket: { ...t.ticket, qty: ensureDefined(r.ticketQty, 'reviewed ticket shares'), notional: null } };
  // The planner sizes weights on the config's allocation; the review's are fractions of the state's.
  const capital = config.agents.find((a) => a.id === t.agentId)?.allocatedCapital ?? r.capital;
  return { ...t, targets: [...r.targets].map(([symbol, w]) => ({ symbol, weight: capital > 0 ? (w * r.capital) / capital : 0 })) };
}

/** The fund as it stands: the state after its last cycle or execution, marked at the view's closes, and the effective trading state. */
async function fundNow(tx: Pick<Repos, 'cycles' | 'funds' | 'journal' | 'ledger'>, ctx: Pick<ExecutionContext, 'config' | 'view'>, fundId: string): Promise<{ state: FundRunState; savedAt: string | null; tradingState: TradingState }> {
  const { state, savedAt } = await loadRunState(tx, ctx.config, ctx.view.asOf);
  state.ledger.markAll((sym) => closeOf(ctx.view, sym));
  // The kill switch lives on the fund row (the API trips and re-arms it), as a cycle reads it.
  const tradingState = (await withOperatorState(tx, fundId, state.fund, ctx.view.asOf, savedAt)).tradingState;
  return { state, savedAt, tradingState };
}

/**
 * What the overlay would do to an approved trade now (`reviewApprovedTrade` on the fund as it
 * stands), without executing or storing anything: the preview a PM sees when modifying a proposal.
 */
export async function previewApproved(repos: Pick<Repos, 'cycles' | 'funds' | 'journal' | 'ledger'>, ctx: Pick<ExecutionContext, 'config' | 'view' | 'clock'>, t: ApprovedTrade): Promise<ApprovedReview> {
  const { state, tradingState } = await fundNow(repos, ctx, t.fundId);
  return reviewApprovedTrade(state, { config: ctx.config, view: ctx.view, tradingState, timestamp: new Date(ctx.clock.now()).toISOString() }, t, t.review?.prior ?? null);
}

/**
 * Executes an approved trade inside the caller's transaction `tx`, through the cycle's own path:
 * the fund state after the last cycle, the order planner, then the OMS with its pre-trade checks
 * and write-ahead order journal, on the fund's broker (the paper broker fills at the view's closes). Orders are written PENDING first and delivered by the OMS's recovery path, which
 * adopts an order the broker already has under the same client order id (an earlier attempt
 * that died before its transaction committed) instead of sending it again. Fills go to the
 * agent's ledger book (a book not in the config, such as the discretionary one, opens with no
 * capital of its own), the touched positions are written, and the resulting fund state is stored
 * as a COMPLETED `cycles` row (`<fund>-exec-<proposal>`) so the next cycle continues from it.
 * On the paper broker a limit the close does not reach expires unfilled (one chance, DAY).
 * When the trade asks for a review (`t.review`), the overlay reviews the book it would leave first
 * (`reviewApprovedTrade`), its decision is stored with the overlay actions (cycle id
 * `<fund>-exec-<proposal>`), and what is executed is the overlay's final targets (a ticket: what
 * they leave of it); when the overlay blocks, nothing is sent and no state row is written.
 * Call once per proposal (the caller's proposal status guards that).
 */
export async function executeApproved(tx: Repos, ctx: ExecutionContext, t: ApprovedTrade): Promise<TradeExecution> {
  if ((t.targets === null) === (t.ticket === null)) throw new ValidationError('trade', 'give exactly one of targets (an agent book) or ticket');
  const { config, view, clock } = ctx;
  const fundId = t.fundId;
  const at = new Date(clock.now()).toISOString();
  const { state, savedAt, tradingState } = await fundNow(tx, ctx, fundId);
  const { ledger } = state;
  // A book the ledger does not have yet (the discretionary one) opens with no capital of its own: its NAV is its P&L.
  if (!ledger.has(t.agentId)) ledger.open(t.agentId, 0);

  const review = t.review ? reviewApprovedTrade(state, { config, view, tradingState, timestamp: at }, t, t.review.prior) : null;
  if (review) await tx.overlayActions.insertMany([review.decision], fundId);
  if (review?.isBlocked) return { asOf: view.asOf, orders: [], fills: [], skipped: [], adopted: 0, review };
  const planned = plan(review ? afterReview(t, review, config) : t, ledger, config, view);
  const built: Order[] = [];
  const skipped = [...planned.skipped];
  for (const p of planned.orders) {
    // Worked as the cycle's orders are: children under oms.maxOrderValue, whole-share shorts.
    const worked = workOrder(p, ledger.fundQty(p.symbol), { maxOrderValue: config.oms.maxOrderValue });
    if (worked.legs.length === 0) skipped.push({ symbol: p.symbol, reason: { code: 'WHOLE_SHARES', message: `a short sale of ${p.qty} shares rounds to none: brokers take whole shares only`, limit: 1, actual: p.qty } });
    for (const leg of worked.legs) {
      built.push(
        orderFromPlan(leg, {
          id: approvedOrderId(t.proposalId, p.symbol, leg.leg),
          fundId,
          traceId: `${t.traceId}:${p.symbol}`,
          at,
          ...(t.cycleId !== null ? { cycleId: t.cycleId } : {}),
          ...(t.limitPrice !== null ? { type: 'LIMIT' as const, limitPrice: t.limitPrice } : {}),
        }),
      );
    }
  }
  const journal = new StoreOrderJournal(inTransaction(tx), fundId, new Set(built.map((o) => o.id)));
  const broker = ctx.broker;
  const marketClock = tradeOnView(broker, clock, view);
  const oms = cycleOms({
    journal,
    broker,
    clock: marketClock,
    config,
    market: {
      tradingState: () => tradingState,
      nav: () => ledger.fundNavCents() / 100,
      price: (sym) => closeOf(view, sym),
      positionQty: (sym) => ledger.fundQty(sym),
      // the overlay reviewed the whole trade as lowering the fund's risk: a REDUCING fund lets its orders through
      isRiskReducing: () => review?.decision.reasons.some((r) => r.code === 'REGIME_RISK_REDUCING') === true,
    },
  });
  // Write-ahead: every order is in the journal before anything is sent.
  for (const o of built) await journal.savePending(o);
  const report = await oms.recover();
  if (broker instanceof PaperBroker) {
    broker.closeOfDay();
    await oms.sync();
  }
  const fills = journal.drainFills();
  bookFills(ledger, fills, FUND_BOOK);
  // A fill marks its holding at the fill price; positions are marked at the close, as after a cycle.
  ledger.markAll((sym) => closeOf(view, sym));
  const orders: Order[] = [];
  for (const o of built) {
    const stored = await journal.byClientId(o.id);
    if (stored) orders.push(stored);
  }
  await tx.positions.upsert(touchedPositions(ledger, fundId, fills, at));
  // The state row must sort after the one it continues from, whatever the clock says.
  const startedAt = savedAt !== null && Date.parse(savedAt) >= Date.parse(at) ? new Date(Date.parse(savedAt) + 1).toISOString() : at;
  const id = `${fundId}-exec-${t.proposalId}`;
  await tx.cycles.start({ id, fundId, asOf: view.asOf, mode: ctx.mode, inputsHash: '', configHash: configHash(config), startedAt });
  await tx.cycles.finish(id, {
    status: 'COMPLETED',
    finishedAt: startedAt,
    summary: {
      kind: 'proposal-execution',
      proposalId: t.proposalId,
      sourceCycleId: t.cycleId,
      review: review ? { decisionId: review.decision.decisionId, action: review.decision.action, scale: review.decision.scale } : null,
      orders: orders.length,
      fills: fills.length,
      state: serialiseRunState(state),
    },
  });
  return { asOf: view.asOf, orders, fills, skipped, adopted: new Set(report.adopted.map((e) => e.orderId)).size, review };
}
