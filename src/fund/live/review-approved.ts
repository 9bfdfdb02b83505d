import type { AgentProposal, CheckResult, FundConfig, OrderSide, OverlayDecision, TradingState } from '../../contracts/index.ts';
import { ensureDefined } from '../../core/index.ts';
import type { MarketView } from '../../market/index.ts';
import { DEFAULT_CHECKS, NORMAL_TRACK, POLICY_CHECKS, reviewFund, type AgentBookState, type FundState, type OverlayCheck, type ReviewContext } from '../../overlay/index.ts';
import { bookPositions, refreshFundState } from '../cycle/books.ts';
import type { FundRunState } from '../cycle/runtime.ts';
import { QTY_SCALE, type Ledger } from '../ledger/ledger.ts';

/** The part of an approved trade the overlay reviews (an `ApprovedTrade` is one). */
export interface TradeToReview {
  readonly proposalId: string;
  readonly fundId: string;
  readonly agentId: string;
  readonly traceId: string;
  /** The book at its modified size: signed weights, fractions of the agent's allocated capital. */
  readonly targets: readonly { readonly symbol: string; readonly weight: number }[] | null;
  /** Unsigned shares or dollars, already × size. */
  readonly ticket: { readonly symbol: string; readonly side: OrderSide; readonly qty: number | null; readonly notional: number | null } | null;
}

/** What the overlay decided about an approved trade's book, and what of the trade that leaves. */
export interface ApprovedReview {
  /** `<fund>-exec-<proposal>`: the id of the execution's state row; the decision is `<cycleId>:<agentId>`. */
  readonly cycleId: string;
  readonly decision: OverlayDecision;
  /** The fund trading state the review ran under. */
  readonly tradingState: TradingState;
  /** The book's final targets: signed weights, fractions of `capital`, for every name the review saw. */
  readonly targets: ReadonlyMap<string, number>;
  /** Dollars the weights are fractions of: the agent's allocation, or the fund NAV for a book outside the config (the discretionary one). */
  readonly capital: number;
  /** A ticket after the review: unsigned shares on the ticket's side (0 when nothing of it is left); null for a book. */
  readonly ticketQty: number | null;
  /** Nothing of the trade may be sent: the overlay blocked the book, or left nothing of the ticket. */
  readonly isBlocked: boolean;
}

/** Where the review runs: the fund's config, the market as of now, the effective trading state. */
export interface ReviewSetting {
  readonly config: FundConfig;
  readonly view: MarketView;
  readonly tradingState: TradingState;
  /** ISO time stamped on the decision's risk actions. */
  readonly timestamp: string;
}

/** Shares rounded down to the ledger's 1e-4 (a rounded-up lot could cross the cap it was sized to). */
const floor4 = (q: number): number => Math.floor(q * QTY_SCALE + 1e-6) / QTY_SCALE;

function closeOf(view: MarketView, symbol: string): number {
  const u = view.column(symbol);
  return u >= 0 ? view.close(u) : Number.NaN;
}

function holdings(ledger: Ledger, agentId: string): { symbol: string; qty: number; price: number }[] {
  return ledger.has(agentId) ? bookPositions(ledger, agentId) : [];
}

/**
 * The fund state the review sees: the cycle's own (`refreshFundState`: the stored state refreshed
 * from the ledger at the view's closes, without adding a day's return), so every ledger book
 * outside the config (the discretionary one) counts against the fund's limits as in the cycle, as
 * an outside book (`FundState.outsideBooks`), under the effective trading state. A trade of a book
 * outside the config is reviewed as a proposal, so that book alone becomes the review's agent, at
 * the fund NAV as its capital (as when its ticket was entered). The stored state is not changed.
 */
function reviewState(run: Pick<FundRunState, 'fund' | 'ledger' | 'anchor'>, view: MarketView, tradingState: TradingState, agentId: string): FundState {
  const anchor = { month: run.anchor.month, fund: run.anchor.fund, agents: new Map(run.anchor.agents) };
  const refreshed = refreshFundState(run.fund, run.ledger, view, anchor, false);
  // a trading state set on the fund row since the last cycle (the API's kill switch) holds from today:
  // with the state's own date, a REDUCING set an hour ago would be over its cooldown at once
  const fund = refreshed.tradingState === tradingState ? refreshed : { ...refreshed, tradingStateSince: view.asOf };
  if (fund.agents.some((a) => a.agentId === agentId)) return { ...fund, tradingState };
  const nav = run.ledger.fundNavCents() / 100;
  const outside = fund.outsideBooks ?? [];
  const own: AgentBookState = { agentId, allocatedCapital: nav, positions: holdings(run.ledger, agentId), equity: nav, highWaterMark: nav, dailyPnl: 0, monthlyPnl: 0, drawdown: NORMAL_TRACK, returns: [] };
  return { ...fund, tradingState, agents: [...fund.agents, own], outsideBooks: outside.filter((b) => b.bookId !== agentId) };
}

/**
 * The overlay's checks, with the policy multipliers the book already carries credited: an agent's
 * book was reviewed in its cycle, and its targets carry that review's drawdown, regime, emergency
 * and correlation multipliers (`POLICY_CHECKS`). Applying them again would shrink a modified book
 * twice, so each policy check scales by (its scale now) / (its scale then), at most 1: only a policy
 * that tightened since applies. Limits (budgets, caps, gross, net, top 5) are checked afresh.
 */
export function creditedChecks(prior: OverlayDecision | null): readonly OverlayCheck[] {
  if (!prior) return DEFAULT_CHECKS;
  const then = new Map(prior.checks.filter((c) => POLICY_CHECKS.has(c.check)).map((c) => [c.check, c.scale]));
  return DEFAULT_CHECKS.map((c) => {
    const s = then.get(c.name);
    return s === undefined || !(s > 0) || s >= 1 ? c : { ...c, review: (p: AgentProposal, ctx: ReviewContext) => credit(c.review(p, ctx), s) };
  });
}

function credit(r: CheckResult, then: number): CheckResult {
  const scale = Math.min(1, r.scale / then);
  const message = `the book already carries × ${then.toFixed(3)} from ${r.check} (its review when proposed); × ${scale.toFixed(3)} more now`;
  return { ...r, scale, reasons: [...r.reasons, { code: 'POLICY_IN_BOOK', rule: r.check, message, limit: then, actual: r.scale, symbol: null, sector: null, bucket: null }] };
}

/** The book the trade would leave, as the AgentProposal the overlay reviews. */
function proposalFor(t: TradeToReview, ledger: Ledger, view: MarketView, capital: number, cycleId: string, strategy: AgentProposal['strategy']): AgentProposal {
  let targets: { symbol: string; weight: number }[];
  if (t.ticket !== null) {
    // The book after the ticket: current names at their weights, the ticket's name moved by its dollars.
    const w = new Map(holdings(ledger, t.agentId).map((h) => [h.symbol, (h.qty * closeOf(view, h.symbol)) / capital]));
    const price = closeOf(view, t.ticket.symbol);
    const dollars = t.ticket.qty !== null ? t.ticket.qty * price : (t.ticket.notional ?? 0);
    w.set(t.ticket.symbol, (w.get(t.ticket.symbol) ?? 0) + ((t.ticket.side === 'BUY' ? 1 : -1) * dollars) / capital);
    targets = [...w].filter(([, x]) => Number.isFinite(x) && x !== 0).map(([symbol, weight]) => ({ symbol, weight }));
  } else {
    targets = (t.targets ?? []).map((x) => ({ symbol: x.symbol, weight: x.weight }));
  }
  return {
    version: 1,
    traceId: t.traceId.slice(0, 128),
    cycleId,
    agentId: t.agentId,
    strategy,
    asOf: view.asOf,
    signals: [],
    targets: targets.map((x) => ({ ...x, stopLoss: null, takeProfit: null })),
    agentRisk: [],
    reasoning: `approved proposal ${t.proposalId} at its modified size`,
  };
}

/** Unsigned shares of a ticket the final target leaves: never more than asked, never against its side. */
function ticketAfter(t: NonNullable<TradeToReview['ticket']>, target: number, ledger: Ledger, agentId: string, capital: number, view: MarketView): number {
  const price = closeOf(view, t.symbol);
  if (!(price > 0)) return 0;
  const asked = t.qty ?? (t.notional ?? 0) / price;
  const current = ledger.has(agentId) ? ledger.qty(agentId, t.symbol) : 0;
  const room = ((t.side === 'BUY' ? 1 : -1) * (target * capital - current * price)) / price;
  if (room >= asked * (1 - 1e-9)) return asked;
  return Math.max(0, floor4(room));
}

/**
 * Runs the overlay (`reviewFund`, the cycle's own review, every check) on the book an approved
 * trade would leave, against the fund as it stands: the fund state and every other book from the
 * ledger (marked at the view's closes; the caller marks it), the market view, the effective
 * trading state. An agent's book is reviewed at its modified weights with the policy multipliers of
 * its cycle's review credited (`creditedChecks`); a ticket as the discretionary book after it, with
 * that book's capital the fund NAV (as when the ticket was entered). Pure given its inputs.
 */
export function reviewApprovedTrade(run: Pick<FundRunState, 'fund' | 'ledger' | 'anchor'>, s: ReviewSetting, t: TradeToReview, prior: OverlayDecision | null): ApprovedReview {
  const { config, view } = s;
  const cycleId = `${t.fundId}-exec-${t.proposalId}`;
  const state = reviewState(run, view, s.tradingState, t.agentId);
  const capital = ensureDefined(state.agents.find((a) => a.agentId === t.agentId), `the book of ${t.agentId}`).allocatedCapital;
  const strategy = config.agents.find((a) => a.id === t.agentId)?.strategy ?? 'committee';
  const proposal = proposalFor(t, run.ledger, view, capital, cycleId, strategy);
  const review = reviewFund({ proposals: [proposal], state, config, view, cycleId, timestamp: s.timestamp, checks: creditedChecks(prior) });
  const decision = ensureDefined(review.decisions.find((d) => d.agentId === t.agentId), `the overlay decision for ${t.agentId}`);
  const targets = new Map((review.positions[t.agentId] ?? []).map((p) => [p.symbol, p.targetWeight]));
  const ticketQty = t.ticket === null ? null : ticketAfter(t.ticket, targets.get(t.ticket.symbol) ?? 0, run.ledger, t.agentId, capital, view);
  return {
    cycleId,
    decision,
    tradingState: review.tradingState,
    targets,
    capital,
    ticketQty,
    isBlocked: decision.action === 'BLOCK' || ticketQty === 0,
  };
}
