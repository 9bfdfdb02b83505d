/**
 * Discretionary trade tickets entered by a PM. A ticket is validated with zod, becomes a
 * proposal (agent `discretionary`), and is converted into an AgentProposal of the discretionary
 * book so the SAME overlay review and OMS checks apply as for agents' trades.
 */
import { z } from 'zod';
import { AgentProposal, id, MAX_REASONING, isoDate, positiveDollars, positiveShares, symbol, traceId, type StrategyType } from '../../contracts/index.ts';
import { DISCRETIONARY, type TradeProposal } from './proposal.ts';
import { addMs } from '../time.ts';
import { clipText } from '../../core/index.ts';

/** A PM's trade: exactly one of `qty` (shares) or `notional` (dollars), both unsigned; `limitPrice` in dollars. */
export const DiscretionaryTicket = z
  .object({
    fundId: id,
    symbol,
    side: z.enum(['BUY', 'SELL']),
    qty: positiveShares.optional(),
    notional: positiveDollars.optional(),
    limitPrice: positiveDollars.nullable().default(null),
    rationale: z.string().trim().min(1, 'a rationale is required').max(4000),
  })
  .superRefine((t, ctx) => {
    if ((t.qty === undefined) === (t.notional === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['qty'], message: 'give exactly one of qty (shares) or notional (dollars)' });
    }
  });
export type DiscretionaryTicket = z.infer<typeof DiscretionaryTicket>;

/** Validates a ticket; the error names the field (zod issues with paths). */
export function parseTicket(input: unknown): ReturnType<typeof DiscretionaryTicket.safeParse> {
  return DiscretionaryTicket.safeParse(input);
}

/** Makes the PENDING_APPROVAL proposal for a validated ticket (the PM, or another, then approves it). */
export function proposalFromTicket(t: DiscretionaryTicket, o: { readonly id: string; readonly createdBy: string; readonly now: string; readonly ttlMs: number }): TradeProposal {
  return {
    id: o.id,
    fundId: t.fundId,
    agentId: DISCRETIONARY,
    cycleId: null,
    decisionId: null,
    traceId: null,
    symbols: [t.symbol],
    targets: [],
    ticket: { symbol: t.symbol, side: t.side, qty: t.qty ?? null, notional: t.notional ?? null },
    size: 1,
    limitPrice: t.limitPrice,
    status: 'PENDING_APPROVAL',
    createdBy: o.createdBy,
    createdAt: o.now,
    expiresAt: addMs(o.now, o.ttlMs),
    rationale: t.rationale,
    history: [],
    orderIds: [],
    fillIds: [],
  };
}

/** What the conversion needs to know about the discretionary book. */
export interface DiscretionaryBookContext {
  readonly cycleId: string;
  readonly traceId: string;
  readonly asOf: string;
  /** Price used to turn shares into dollars (dollars per share, > 0). */
  readonly price: number;
  /** Capital allocated to the discretionary book, dollars (> 0); weights are fractions of it. */
  readonly bookCapital: number;
  /** Current weights of the discretionary book (fractions of bookCapital), by symbol. */
  readonly currentWeights: Readonly<Record<string, number>>;
  /** Size multiplier from the proposal (default 1). */
  readonly size?: number;
  /** Strategy label the overlay sees for this book (default `committee`). */
  readonly strategy?: StrategyType;
}

/**
 * The discretionary book after the trade, as an AgentProposal (agent `discretionary`): every
 * current weight is kept and the ticket's symbol moves by ±(qty·price or notional)·size / bookCapital
 * (BUY adds, SELL subtracts). Names that end at zero are left out (AgentProposal semantics: absent = close).
 * Validated against the AgentProposal contract.
 */
export function ticketToAgentProposal(t: DiscretionaryTicket, ctx: DiscretionaryBookContext): AgentProposal {
  const size = ctx.size ?? 1;
  const dollars = (t.qty !== undefined ? t.qty * ctx.price : (t.notional ?? 0)) * size;
  const delta = (t.side === 'BUY' ? 1 : -1) * (dollars / ctx.bookCapital);
  const weights = new Map(Object.entries(ctx.currentWeights));
  weights.set(t.symbol, (weights.get(t.symbol) ?? 0) + delta);
  const targets = [...weights.entries()]
    .filter(([, w]) => Math.abs(w) > 1e-12)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([s, w]) => ({ symbol: s, weight: w }));
  return AgentProposal.parse({
    version: 1,
    traceId: traceId.parse(ctx.traceId),
    cycleId: ctx.cycleId,
    agentId: DISCRETIONARY,
    strategy: ctx.strategy ?? 'committee',
    asOf: isoDate.parse(ctx.asOf),
    signals: [],
    targets,
    // the rationale may fill the ticket's 4000 characters; the full text stays on the proposal
    reasoning: clipText(`Discretionary ${t.side} ${t.symbol}: ${t.rationale}`, MAX_REASONING),
  });
}
