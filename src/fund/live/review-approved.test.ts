/**
 * The overlay's review of an approved trade, pure: a modified book is reviewed with its cycle's
 * policy multipliers credited (not applied twice), limits are checked afresh, a ticket is reviewed
 * as the discretionary book after it and sized to what the final target leaves, and a HALTED fund
 * blocks.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultFundConfigInput, parseFundConfig, type FundConfig, type OverlayDecision } from '../../contracts/index.ts';
import { generateSyntheticMarket, panelFromBars, syntheticBars, viewAt, type MarketView } from '../../market/index.ts';
import type { TradingState } from '../../contracts/index.ts';
import { initialFundState, openLedgerBooks } from '../cycle/books.ts';
import type { FundRunState } from '../cycle/runtime.ts';
import { Ledger } from '../ledger/ledger.ts';
import { reviewApprovedTrade, type TradeToReview } from './review-approved.ts';

const NAV = 10_000_000;
let view: MarketView;
let symbols: string[];

beforeAll(() => {
  const m = generateSyntheticMarket({ symbols: 12, years: 1.2, seed: 7 });
  view = viewAt(panelFromBars(m.instruments, syntheticBars(m)), m.dates.length - 1);
  symbols = m.instruments.filter((i) => i.assetClass === 'equity').map((i) => i.symbol);
});

/** Every regime runs books at half size: the policy multiplier a second review would apply again. */
const halfRegime = (): FundConfig =>
  parseFundConfig({
    ...defaultFundConfigInput(NAV),
    data: { minHistoryRows: 100, degradedMinRows: 50 },
    regime: { multipliers: { BULL_QUIET: 0.5, BULL_VOLATILE: 0.5, BEAR_QUIET: 0.5, BEAR_CRISIS: 0.5 } },
  });

function freshFund(config: FundConfig): FundRunState {
  const ledger = new Ledger();
  openLedgerBooks(ledger, config);
  return { ledger, fund: initialFundState(config, view.asOf), anchor: { month: '', fund: NAV, agents: new Map() }, lastAsOf: null };
}

const book = (targets: { symbol: string; weight: number }[]): TradeToReview => ({ proposalId: 'p1', fundId: 'main', agentId: 'momentum', traceId: 'p1', targets, ticket: null });

/** A stored cycle decision whose regime check scaled the book by `scale`. */
function priorWithRegime(scale: number): OverlayDecision {
  return {
    version: 1, traceId: 't', decisionId: 'c1:momentum', cycleId: 'c1', agentId: 'momentum', asOf: view.asOf, action: 'SCALE', scale, reasons: [],
    checks: [{ check: 'regime', status: 'WARNING', scale, caps: {}, removed: [], block: false, reasons: [] }],
    targets: [], riskActions: [], summary: '',
  };
}

const review = (config: FundConfig, t: TradeToReview, prior: OverlayDecision | null, tradingState: TradingState = 'ACTIVE') =>
  reviewApprovedTrade(freshFund(config), { config, view, tradingState, timestamp: `${view.asOf}T15:00:00.000Z` }, t, prior);

describe('reviewApprovedTrade', () => {
  it('a book with no recorded review takes every policy multiplier: half the regime, half the book', () => {
    const s = symbols[0] ?? '';
    const r = review(halfRegime(), book([{ symbol: s, weight: 0.02 }]), null);
    expect(r.decision.action).toBe('SCALE');
    expect(r.targets.get(s)).toBeCloseTo(0.01, 12);
    expect(r.decision.reasons.map((x) => x.code)).toContain('REGIME_MULTIPLIER');
    expect(r.cycleId).toBe('main-exec-p1');
    expect(r.decision.decisionId).toBe('main-exec-p1:momentum');
  });

  it('a modified book whose cycle already applied the regime multiplier is not scaled by it again', () => {
    const s = symbols[0] ?? '';
    const r = review(halfRegime(), book([{ symbol: s, weight: 0.02 }]), priorWithRegime(0.5));
    expect(r.decision.action).toBe('APPROVE');
    expect(r.targets.get(s)).toBeCloseTo(0.02, 12);
    expect(r.decision.reasons.find((x) => x.code === 'POLICY_IN_BOOK')).toMatchObject({ rule: 'regime', limit: 0.5, actual: 0.5 });
  });

  it('a policy that tightened since the cycle applies by the ratio: × 0.5 now after × 1 then halves the book', () => {
    const s = symbols[0] ?? '';
    const r = review(halfRegime(), book([{ symbol: s, weight: 0.02 }]), priorWithRegime(1));
    expect(r.targets.get(s)).toBeCloseTo(0.01, 12);
  });

  it('limits are checked afresh: a doubled name is capped at the agent position cap whatever the credit', () => {
    const config = halfRegime();
    const [a, b] = [symbols[1] ?? '', symbols[2] ?? ''];
    const cap = config.defaults.maxPositionPct;
    const r = review(config, book([{ symbol: a, weight: 0.16 }, { symbol: b, weight: 0.04 }]), priorWithRegime(0.5));
    expect(r.decision.action).toBe('MODIFY');
    expect(Math.abs(r.targets.get(a) ?? 0)).toBeLessThanOrEqual(cap + 1e-12);
    expect(r.targets.get(a)).toBeCloseTo(cap, 12);
    expect(r.targets.get(b)).toBeCloseTo(0.04, 12);
    expect(r.decision.reasons.find((x) => x.code === 'POSITION_CAP')).toMatchObject({ symbol: a, limit: cap, actual: 0.16 });
    expect(r.isBlocked).toBe(false);
  });

  it('a ticket is sized to what the final target leaves: never past the fund single-name cap', () => {
    const config = parseFundConfig({ ...defaultFundConfigInput(NAV), data: { minHistoryRows: 100, degradedMinRows: 50 }, regime: { multipliers: { BULL_QUIET: 1, BULL_VOLATILE: 1, BEAR_QUIET: 1, BEAR_CRISIS: 1 } } });
    const s = symbols[3] ?? '';
    const u = view.column(s);
    const px = view.close(u);
    const limit = Math.min(config.risk.maxSingleNamePct * NAV, config.risk.maxAdvPct * view.value('adv20', u) * px);
    const r = review(config, { proposalId: 'p2', fundId: 'main', agentId: 'discretionary', traceId: 'p2', targets: null, ticket: { symbol: s, side: 'BUY', qty: null, notional: 2_000_000 } }, null);
    expect(r.capital).toBe(NAV);
    expect(r.decision.reasons.map((x) => x.code)).toContain(limit === config.risk.maxSingleNamePct * NAV ? 'SINGLE_NAME_CAP' : 'ADV_CAP');
    expect((r.ticketQty ?? 0) * px).toBeLessThanOrEqual(limit + 1e-6);
    expect((r.ticketQty ?? 0) * px).toBeGreaterThan(limit - px * 1e-4 - 1e-6);
    // a ticket well inside every limit is left whole
    const small = review(config, { proposalId: 'p3', fundId: 'main', agentId: 'discretionary', traceId: 'p3', targets: null, ticket: { symbol: s, side: 'SELL', qty: 10, notional: null } }, null);
    expect(small.ticketQty).toBe(10);
    expect(small.decision.action).toBe('APPROVE');
  });

  it("an agent's book is reviewed against the PM's discretionary positions as the cycle does: the name the PM holds is capped at what the 5% cap leaves", () => {
    const config = parseFundConfig({ ...defaultFundConfigInput(NAV), data: { minHistoryRows: 100, degradedMinRows: 50 }, regime: { multipliers: { BULL_QUIET: 1, BULL_VOLATILE: 1, BEAR_QUIET: 1, BEAR_CRISIS: 1 } } });
    const s = symbols[4] ?? '';
    const u = view.column(s);
    const px = view.close(u);
    const capital = config.agents.find((a) => a.id === 'momentum')?.allocatedCapital ?? 0;
    const limit = Math.min(config.risk.maxSingleNamePct * NAV, config.risk.maxAdvPct * view.value('adv20', u) * px);
    const run = freshFund(config);
    run.ledger.open('discretionary', 0);
    run.ledger.applyFill({ agentId: 'discretionary', symbol: s, side: 'BUY', qty: Math.floor(((limit - 60_000) / px) * 1e4) / 1e4, price: px, commission: 0 });
    const pm = run.ledger.qty('discretionary', s) * px;
    const t = book([{ symbol: s, weight: 0.08 }]);
    const at = { config, view, tradingState: 'ACTIVE' as const, timestamp: `${view.asOf}T15:00:00.000Z` };
    const r = reviewApprovedTrade(run, at, t, null);
    // the agent may add only the room the PM leaves in the name: (limit − PM dollars) / its capital
    expect(r.capital).toBe(capital);
    expect(r.targets.get(s)).toBeCloseTo((limit - pm) / capital, 9);
    expect(r.decision.reasons.map((x) => x.code)).toContain(limit === config.risk.maxSingleNamePct * NAV ? 'SINGLE_NAME_CAP' : 'ADV_CAP');
    // without the PM's book the same book is left whole ($80,000 is inside every limit)
    expect(reviewApprovedTrade(freshFund(config), at, t, null).targets.get(s)).toBeCloseTo(0.08, 12);
  });

  it('a ticket that lowers the fund\'s risk passes in a HALTED fund and in the crisis regime (issue 15)', () => {
    const config = halfRegime();
    const s = symbols[5] ?? '';
    const px = view.close(view.column(s));
    const run = freshFund(config);
    run.ledger.open('discretionary', 0);
    run.ledger.applyFill({ agentId: 'discretionary', symbol: s, side: 'BUY', qty: 1000, price: px, commission: 0 });
    const ticket: TradeToReview = { proposalId: 'p4', fundId: 'main', agentId: 'discretionary', traceId: 'p4', targets: null, ticket: { symbol: s, side: 'SELL', qty: 400, notional: null } };
    const at = { config, view, tradingState: 'HALTED' as const, timestamp: `${view.asOf}T15:00:00.000Z` };
    const r = reviewApprovedTrade(run, at, ticket, null);
    expect(r.isBlocked).toBe(false);
    expect(r.ticketQty).toBe(400);
    expect(r.decision.reasons.map((x) => x.code)).toContain('REGIME_RISK_REDUCING');
    // a ticket that adds risk is still blocked
    const buy = reviewApprovedTrade(run, at, { ...ticket, ticket: { symbol: s, side: 'BUY', qty: 400, notional: null } }, null);
    expect(buy.isBlocked).toBe(true);
  });

  it('a HALTED fund blocks the book: nothing of it may be sent', () => {
    const r = review(halfRegime(), book([{ symbol: symbols[0] ?? '', weight: 0.02 }]), null, 'HALTED');
    expect(r.isBlocked).toBe(true);
    expect(r.decision.action).toBe('BLOCK');
    expect(r.decision.reasons.map((x) => x.code)).toContain('FUND_HALTED');
  });
});
