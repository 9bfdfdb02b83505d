import { describe, expect, it } from 'vitest';
import {
  advisoryGate,
  PROPOSAL_STATUSES,
  approve,
  cancel,
  canTransition,
  effectiveTargets,
  effectiveTicket,
  expireProposals,
  isTerminalStatus,
  markExecuted,
  markNotExecuted,
  markOverlayRejected,
  modify,
  needsReview,
  reviewLine,
  withReview,
  type ProposalReview,
  parseTicket,
  proposalFromTicket,
  proposalsFromCycle,
  reject,
  ticketToAgentProposal,
  type TradeProposal,
} from '../index.ts';
import { agentProposal, overlayDecision, pendingProposal } from '../test-fixtures.ts';

const NOW = '2024-01-02T14:00:00.000Z';
const pm = { who: 'alice', role: 'pm' as const, why: 'momentum confirmed by earnings' };

function value<T, E>(r: { ok: true; value: T } | { ok: false; error: E }): T {
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.error)}`);
  return r.value;
}
function error<T, E>(r: { ok: true; value: T } | { ok: false; error: E }): E {
  if (r.ok) throw new Error('expected an error');
  return r.error;
}

describe('proposal transition table', () => {
  it('has exactly five terminal states', () => {
    expect(PROPOSAL_STATUSES.filter(isTerminalStatus)).toEqual(['REJECTED', 'EXPIRED', 'EXECUTED', 'NOT_EXECUTED', 'CANCELLED']);
    expect((['PENDING_APPROVAL', 'MODIFIED', 'APPROVED'] as const).some(isTerminalStatus)).toBe(false);
  });
  it('executes only approved proposals', () => {
    expect(canTransition('APPROVED', 'EXECUTED')).toBe(true);
    expect(canTransition('PENDING_APPROVAL', 'EXECUTED')).toBe(false);
    expect(canTransition('MODIFIED', 'EXECUTED')).toBe(false);
    expect(canTransition('APPROVED', 'NOT_EXECUTED')).toBe(true);
    expect(canTransition('PENDING_APPROVAL', 'NOT_EXECUTED')).toBe(false);
  });
  it('NOT_EXECUTED only from APPROVED, by the OMS, with its reasons; from anything else a typed error', () => {
    const approved = { ...pendingProposal(), status: 'APPROVED' as const };
    const reasons = [{ symbol: 'AAPL', code: 'MIN_NOTIONAL', message: 'order $50.00 below the minimum', limit: 100, actual: 50 }];
    const p = value(markNotExecuted(approved, { orderIds: [], why: 'nothing traded: AAPL not traded', reasons }, NOW));
    expect(p.status).toBe('NOT_EXECUTED');
    expect(p.history.at(-1)).toEqual({ from: 'APPROVED', to: 'NOT_EXECUTED', who: 'system:oms', role: 'system', why: 'nothing traded: AAPL not traded', at: NOW, journalEntryId: null, changes: null, reasons });
    expect(error(markNotExecuted(pendingProposal(), { orderIds: [], why: 'x', reasons }, NOW))).toMatchObject({ keelCode: 'KEEL_E_ILLEGAL_TRANSITION' });
    expect(error(markNotExecuted(p, { orderIds: [], why: 'x', reasons }, NOW))).toMatchObject({ keelCode: 'KEEL_E_ILLEGAL_TRANSITION' });
  });
});

describe('approve / reject / modify / cancel', () => {
  it('a pm approves: status, history and a linked APPROVAL journal entry', () => {
    const { proposal, entry } = value(approve(pendingProposal(), pm, NOW));
    expect(proposal.status).toBe('APPROVED');
    expect(proposal.history).toEqual([{ from: 'PENDING_APPROVAL', to: 'APPROVED', who: 'alice', role: 'pm', why: pm.why, at: NOW, journalEntryId: 'p-1/j1', changes: null }]);
    expect(entry).toMatchObject({ id: 'p-1/j1', kind: 'APPROVAL', who: 'alice', role: 'pm', rationale: pm.why, timestamp: NOW, agentId: 'momentum', symbols: ['AAPL'] });
    expect(entry.links).toEqual({ decisionIds: ['d-1'], orderIds: [], fillIds: [], proposalIds: ['p-1'] });
  });

  it('approving needs the pm role', () => {
    for (const role of ['viewer', 'risk', 'admin'] as const) {
      const e = error(approve(pendingProposal(), { ...pm, role }, NOW));
      expect(e).toMatchObject({ code: 'FORBIDDEN_ROLE', keelCode: 'KEEL_E_FORBIDDEN', role, required: ['pm'], action: 'approve' });
    }
  });

  it('risk may reject but a viewer may not', () => {
    expect(value(reject(pendingProposal(), { who: 'rob', role: 'risk', why: 'too concentrated' }, NOW)).proposal.status).toBe('REJECTED');
    expect(error(reject(pendingProposal(), { who: 'vic', role: 'viewer', why: 'no' }, NOW)).code).toBe('FORBIDDEN_ROLE');
  });

  it('a terminal proposal cannot be approved (illegal transition)', () => {
    const rejected = value(reject(pendingProposal(), pm, NOW)).proposal;
    expect(error(approve(rejected, pm, NOW))).toMatchObject({ code: 'ILLEGAL_TRANSITION', from: 'REJECTED', to: 'APPROVED', keelCode: 'KEEL_E_ILLEGAL_TRANSITION' });
  });

  it('an approved proposal cannot be approved twice', () => {
    const approved = value(approve(pendingProposal(), pm, NOW)).proposal;
    expect(error(approve(approved, pm, NOW)).code).toBe('ILLEGAL_TRANSITION');
  });

  it('past expiresAt nothing can be decided', () => {
    const late = '2024-01-02T15:00:00.000Z';
    expect(error(approve(pendingProposal(), pm, late))).toMatchObject({ code: 'PROPOSAL_EXPIRED', expiresAt: '2024-01-02T15:00:00.000Z', now: late });
    expect(error(modify(pendingProposal(), { ...pm, size: 0.5 }, late)).code).toBe('PROPOSAL_EXPIRED');
  });

  it('a rationale is required', () => {
    expect(error(approve(pendingProposal(), { ...pm, why: '  ' }, NOW))).toMatchObject({ code: 'INVALID_INPUT', field: 'why' });
  });

  it('modify halves the size and sets a limit, then needs an approval', () => {
    const { proposal, entry } = value(modify(pendingProposal(), { ...pm, why: 'halve into earnings', size: 0.5, limitPrice: 185.5 }, NOW));
    expect(proposal.status).toBe('MODIFIED');
    expect(proposal.size).toBe(0.5);
    expect(proposal.limitPrice).toBe(185.5);
    expect(proposal.history[0]?.changes).toEqual({ sizeBefore: 1, sizeAfter: 0.5, limitPriceBefore: null, limitPriceAfter: 185.5 });
    expect(entry.kind).toBe('MODIFICATION');
    expect(effectiveTargets(proposal)).toEqual([{ symbol: 'AAPL', weight: 0.02 }]);
    const approved = value(approve(proposal, pm, '2024-01-02T14:10:00.000Z')).proposal;
    expect(approved.status).toBe('APPROVED');
    expect(approved.size).toBe(0.5);
    expect(approved.history.map((h) => h.journalEntryId)).toEqual(['p-1/j1', 'p-1/j2']);
  });

  it('modify rejects bad sizes and a limit on a multi-symbol proposal', () => {
    expect(error(modify(pendingProposal(), { ...pm, size: 0 }, NOW))).toMatchObject({ code: 'INVALID_INPUT', field: 'size' });
    expect(error(modify(pendingProposal(), { ...pm, size: Number.NaN }, NOW))).toMatchObject({ field: 'size' });
    expect(error(modify(pendingProposal(), pm, NOW))).toMatchObject({ field: 'size' });
    const two = pendingProposal({ symbols: ['AAPL', 'MSFT'] });
    expect(error(modify(two, { ...pm, limitPrice: 100 }, NOW))).toMatchObject({ field: 'limitPrice' });
    expect(error(modify(pendingProposal(), { ...pm, limitPrice: -1 }, NOW))).toMatchObject({ field: 'limitPrice' });
  });

  it('modify needs the pm role', () => {
    expect(error(modify(pendingProposal(), { ...pm, role: 'risk', size: 0.5 }, NOW)).code).toBe('FORBIDDEN_ROLE');
  });

  it('cancel writes a NOTE; an approved proposal can still be cancelled', () => {
    const approved = value(approve(pendingProposal(), pm, NOW)).proposal;
    const { proposal, entry } = value(cancel(approved, { who: 'rob', role: 'risk', why: 'news' }, NOW));
    expect(proposal.status).toBe('CANCELLED');
    expect(entry).toMatchObject({ kind: 'NOTE', rationale: 'Cancelled: news' });
  });

  it('markExecuted links orders and fills and only from APPROVED', () => {
    expect(error(markExecuted(pendingProposal(), { orderIds: ['o1'], fillIds: [] }, NOW)).code).toBe('ILLEGAL_TRANSITION');
    const approved = value(approve(pendingProposal(), pm, NOW)).proposal;
    const done = value(markExecuted(approved, { orderIds: ['o1'], fillIds: ['f1', 'f2'] }, NOW));
    expect(done).toMatchObject({ status: 'EXECUTED', orderIds: ['o1'], fillIds: ['f1', 'f2'] });
  });
});

describe('the overlay review of an approved proposal', () => {
  const review: ProposalReview = {
    asOf: '2024-01-02', decisionId: 'f-exec-p-1:momentum', action: 'BLOCK', scale: 0, summary: 'BLOCK momentum',
    reasons: [{ code: 'FUND_HALTED', rule: 'trading_state', message: 'halted', limit: null, actual: null, symbol: null, sector: null, bucket: null }],
  };

  it('is needed for a ticket or a modified size, not for an agent book as its cycle left it', () => {
    expect(needsReview(pendingProposal())).toBe(false);
    expect(needsReview(pendingProposal({ size: 0.5 }))).toBe(true);
    expect(needsReview(pendingProposal({ ticket: { symbol: 'AAPL', side: 'BUY', qty: 1, notional: null } }))).toBe(true);
  });

  it('markOverlayRejected: REJECTED by system:overlay with the review, only from APPROVED', () => {
    expect(error(markOverlayRejected(pendingProposal(), { review, why: 'blocked' }, NOW)).code).toBe('ILLEGAL_TRANSITION');
    const approved = value(approve(pendingProposal(), pm, NOW)).proposal;
    const r = value(markOverlayRejected(approved, { review, why: reviewLine(review) }, NOW));
    expect(r.status).toBe('REJECTED');
    expect(r.history.at(-1)).toEqual({ from: 'APPROVED', to: 'REJECTED', who: 'system:overlay', role: 'system', why: 'overlay BLOCK × 0.000 (FUND_HALTED)', at: NOW, journalEntryId: null, changes: null, review });
    expect(isTerminalStatus(r.status)).toBe(true);
  });

  it('withReview puts the review on the last step only; markExecuted keeps one it is given', () => {
    const modified = value(modify(pendingProposal(), { ...pm, size: 2 }, NOW)).proposal;
    const previewed = withReview(modified, { ...review, decisionId: null });
    expect(previewed.history.at(-1)?.review?.decisionId).toBeNull();
    expect(previewed.history.slice(0, -1)).toEqual(modified.history.slice(0, -1));
    const approved = value(approve(previewed, pm, NOW)).proposal;
    expect(approved.history.at(-1)?.review).toBeUndefined();
    const done = value(markExecuted(approved, { orderIds: [], fillIds: [], review: { ...review, action: 'SCALE', scale: 0.5 } }, NOW));
    expect(done.history.at(-1)?.review).toMatchObject({ action: 'SCALE', scale: 0.5 });
  });
});

describe('expireProposals', () => {
  it('expires open proposals at or past expiresAt and leaves the rest', () => {
    const list: TradeProposal[] = [
      pendingProposal({ id: 'a', expiresAt: '2024-01-02T14:00:00.000Z' }),
      pendingProposal({ id: 'b', expiresAt: '2024-01-02T14:00:00.001Z' }),
      pendingProposal({ id: 'c', status: 'APPROVED', expiresAt: '2024-01-02T13:00:00.000Z' }),
      pendingProposal({ id: 'd', status: 'REJECTED', expiresAt: '2024-01-02T13:00:00.000Z' }),
    ];
    const { proposals, expired } = expireProposals(list, NOW);
    expect(proposals.map((p) => p.status)).toEqual(['EXPIRED', 'PENDING_APPROVAL', 'EXPIRED', 'REJECTED']);
    expect(expired.map((p) => p.id)).toEqual(['a', 'c']);
    expect(expired[0]?.history.at(-1)).toMatchObject({ from: 'PENDING_APPROVAL', to: 'EXPIRED', role: 'system' });
  });
});

describe('proposalsFromCycle', () => {
  const decisions = [
    overlayDecision('momentum', 'SCALE', [['AAPL', 0.04], ['MSFT', 0.03]], { scale: 0.5 }),
    overlayDecision('value', 'BLOCK', [['XOM', 0.05]]),
    overlayDecision('trend', 'APPROVE', []),
    overlayDecision('reversal', 'APPROVE', [['TSLA', -0.02]]),
  ];
  it('makes one pending proposal per non-blocked decision, with final weights and rationale', () => {
    const { proposals, skipped } = proposalsFromCycle(decisions, [agentProposal('momentum', '12-1 momentum in tech')], { fundId: 'fund-1', now: NOW, ttlMs: 3_600_000 });
    expect(proposals.map((p) => p.agentId)).toEqual(['momentum', 'reversal']);
    const p = proposals[0];
    expect(p).toMatchObject({
      id: 'prop-d-c-2024-01-02-momentum',
      status: 'PENDING_APPROVAL',
      decisionId: 'd-c-2024-01-02-momentum',
      symbols: ['AAPL', 'MSFT'],
      targets: [{ symbol: 'AAPL', weight: 0.04 }, { symbol: 'MSFT', weight: 0.03 }],
      size: 1,
      expiresAt: '2024-01-02T15:00:00.000Z',
      createdBy: 'system:cycle',
    });
    expect(p?.rationale).toBe('12-1 momentum in tech\nOverlay SCALE (scale 0.50): momentum SCALE');
    expect(skipped).toEqual([
      { decisionId: 'd-c-2024-01-02-value', agentId: 'value', reason: 'BLOCKED' },
      { decisionId: 'd-c-2024-01-02-trend', agentId: 'trend', reason: 'EMPTY' },
    ]);
  });
  it('is idempotent: decisions that already have a proposal are skipped', () => {
    const first = proposalsFromCycle(decisions, [], { fundId: 'fund-1', now: NOW, ttlMs: 1000 });
    const again = proposalsFromCycle(decisions, [], { fundId: 'fund-1', now: NOW, ttlMs: 1000, existing: first.proposals });
    expect(again.proposals).toEqual([]);
    expect(again.skipped.filter((s) => s.reason === 'DUPLICATE').map((s) => s.agentId)).toEqual(['momentum', 'reversal']);
  });
});

describe('discretionary tickets', () => {
  const ticket = { fundId: 'fund-1', symbol: 'NVDA', side: 'BUY', notional: 50_000, limitPrice: 480, rationale: 'AI capex cycle' };
  it('validates: exactly one of qty or notional, positive, a rationale', () => {
    expect(parseTicket(ticket).success).toBe(true);
    const both = parseTicket({ ...ticket, qty: 10 });
    expect(both.success).toBe(false);
    if (!both.success) expect(both.error.issues[0]?.path).toEqual(['qty']);
    const neg = parseTicket({ ...ticket, notional: -5 });
    expect(neg.success).toBe(false);
    if (!neg.success) expect(neg.error.issues[0]?.path).toEqual(['notional']);
    expect(parseTicket({ ...ticket, rationale: ' ' }).success).toBe(false);
    expect(parseTicket({ ...ticket, side: 'HOLD' }).success).toBe(false);
  });
  it('becomes a discretionary proposal and an AgentProposal of the discretionary book', () => {
    const parsed = parseTicket(ticket);
    if (!parsed.success) throw new Error('bad fixture');
    const prop = proposalFromTicket(parsed.data, { id: 't-1', createdBy: 'alice', now: NOW, ttlMs: 600_000 });
    expect(prop).toMatchObject({ agentId: 'discretionary', symbols: ['NVDA'], limitPrice: 480, status: 'PENDING_APPROVAL', expiresAt: '2024-01-02T14:10:00.000Z' });
    expect(effectiveTicket({ ...prop, size: 0.5 })).toEqual({ symbol: 'NVDA', side: 'BUY', qty: null, notional: 25_000 });
    // Book capital $1m, holding NVDA 2% and AAPL 3%: +$50k = +5% NVDA → 7%.
    const ap = ticketToAgentProposal(parsed.data, { cycleId: 'c-1', traceId: 'tr-x', asOf: '2024-01-02', price: 480, bookCapital: 1_000_000, currentWeights: { NVDA: 0.02, AAPL: 0.03 } });
    expect(ap.agentId).toBe('discretionary');
    expect(ap.targets.map((t) => [t.symbol, Number(t.weight.toFixed(12))])).toEqual([['AAPL', 0.03], ['NVDA', 0.07]]);
  });
  it('a modification may not size a ticket past the maxima of an order (1e12 shares, $1e15)', () => {
    for (const [t, size, isOk] of [[{ ...ticket, notional: 1e14 }, 10, true], [{ ...ticket, notional: 1e14 }, 11, false], [{ ...ticket, notional: undefined, qty: 1e9 }, 2_000, false]] as const) {
      const parsed = parseTicket(t);
      if (!parsed.success) throw new Error('bad fixture');
      const r = modify(proposalFromTicket(parsed.data, { id: 't-2', createdBy: 'alice', now: NOW, ttlMs: 600_000 }), { ...pm, size }, NOW);
      expect(r.ok, `${JSON.stringify(t)} × ${size}`).toBe(isOk);
      if (!r.ok) expect(r.error).toMatchObject({ code: 'INVALID_INPUT', field: 'size' });
    }
  });
  it('a SELL of the whole holding by qty closes the name (absent from targets)', () => {
    const parsed = parseTicket({ fundId: 'fund-1', symbol: 'AAPL', side: 'SELL', qty: 100, rationale: 'take profit' });
    if (!parsed.success) throw new Error('bad fixture');
    // 100 shares × $200 = $20k = 2% of $1m.
    const ap = ticketToAgentProposal(parsed.data, { cycleId: 'c-1', traceId: 'tr-x', asOf: '2024-01-02', price: 200, bookCapital: 1_000_000, currentWeights: { AAPL: 0.02 } });
    expect(ap.targets).toEqual([]);
  });
});

describe('advisoryGate', () => {
  const list: TradeProposal[] = [
    pendingProposal({ id: 'w', cycleId: 'c-1', expiresAt: '2024-01-02T15:00:00.000Z' }),
    pendingProposal({ id: 'a', cycleId: 'c-1', status: 'APPROVED', size: 0.5, targets: [{ symbol: 'AAPL', weight: 0.04 }] }),
    pendingProposal({ id: 'r', cycleId: 'c-1', status: 'REJECTED' }),
    pendingProposal({ id: 'n', cycleId: 'c-1', status: 'NOT_EXECUTED' }),
    pendingProposal({ id: 'late', cycleId: 'c-1', expiresAt: '2024-01-02T13:30:00.000Z' }),
    pendingProposal({ id: 'x', cycleId: 'c-2' }),
  ];
  it('waits while a live proposal is undecided, and lists what may execute', () => {
    const g = advisoryGate(list, 'c-1', NOW);
    expect(g).toEqual({
      isReady: false,
      waiting: ['w'],
      approved: [{ proposalId: 'a', agentId: 'momentum', decisionId: 'd-1', targets: [{ symbol: 'AAPL', weight: 0.02 }], ticket: null, limitPrice: null }],
      notApproved: ['r', 'n', 'late'],
    });
  });
  it('is ready once every proposal is decided', () => {
    const decided = list.map((p) => (p.id === 'w' ? { ...p, status: 'REJECTED' as const } : p));
    expect(advisoryGate(decided, 'c-1', NOW).isReady).toBe(true);
    expect(advisoryGate(list, 'c-none', NOW)).toEqual({ isReady: true, waiting: [], approved: [], notApproved: [] });
  });
});
