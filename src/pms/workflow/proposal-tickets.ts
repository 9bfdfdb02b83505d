/**
 * The tickets a proposal would send if approved now, before the overlay's review at execution: a
 * discretionary ticket as entered (× size; dollars turned into shares at the price), an agent's
 * book through the order planner (target − held, lots, minimum notional, turnover cap), the same
 * planning its execution runs. Pure.
 */
import type { DenialReason } from '../../contracts/index.ts';
import { planOrders } from '../../execution/index.ts';
import { effectiveTargets, effectiveTicket, type TradeProposal } from './proposal.ts';

/** A planned trade in shares: unsigned `qty` on its side, at `price` dollars. */
export interface PlannedTicket {
  readonly symbol: string;
  readonly side: 'BUY' | 'SELL';
  readonly qty: number;
  readonly price: number;
}

export interface ProposalTicketsInput {
  /** The agent's allocated capital (its targets are fractions of it); null for a book outside the config. */
  readonly agentCapital: number | null;
  /** The proposal's book: signed shares per name. */
  readonly held: ReadonlyMap<string, number>;
  /** Decision prices (the market's last closes), dollars. */
  readonly prices: ReadonlyMap<string, number>;
  readonly minNotional: number;
  readonly maxTurnoverPct: number;
}

export interface ProposalTickets {
  readonly tickets: PlannedTicket[];
  /** Names nothing would be sent for, and why. */
  readonly skipped: { readonly symbol: string; readonly reason: DenialReason }[];
}

const noPrice = (symbol: string): ProposalTickets['skipped'][number] => ({ symbol, reason: { code: 'NO_PRICE', message: `no decision price for ${symbol}`, limit: null, actual: null } });

/** The tickets of `p` at its current size. */
export function proposalTickets(p: TradeProposal, o: ProposalTicketsInput): ProposalTickets {
  const ticket = effectiveTicket(p);
  if (ticket !== null) {
    const price = o.prices.get(ticket.symbol);
    if (price === undefined || !(price > 0)) return { tickets: [], skipped: [noPrice(ticket.symbol)] };
    const qty = ticket.qty ?? (ticket.notional ?? 0) / price;
    return { tickets: [{ symbol: ticket.symbol, side: ticket.side, qty, price }], skipped: [] };
  }
  if (o.agentCapital === null) return { tickets: [], skipped: p.symbols.map((symbol) => ({ symbol, reason: { code: 'NOT_IN_CONFIG', message: `agent ${p.agentId} is not in the fund config: its book has no capital to size targets on`, limit: null, actual: null } })) };
  const targets = new Map(effectiveTargets(p).map((t) => [t.symbol, t.weight]));
  const prices = new Map<string, number>();
  const skipped: ProposalTickets['skipped'][number][] = [];
  for (const s of new Set([...o.held.keys(), ...targets.keys()])) {
    const px = o.prices.get(s);
    if (px !== undefined && px > 0) prices.set(s, px);
    else skipped.push(noPrice(s));
  }
  const plan = planOrders({
    agents: [{ agentId: p.agentId, capital: o.agentCapital, targets }],
    positions: new Map([[p.agentId, o.held]]),
    prices,
    config: { lotSize: 1e-4, minNotional: o.minNotional, maxTurnoverPct: o.maxTurnoverPct },
  });
  return {
    tickets: plan.orders.map((x) => ({ symbol: x.symbol, side: x.side, qty: x.qty, price: x.decisionPrice })),
    skipped: [...skipped, ...plan.skipped.filter((s) => !skipped.some((k) => k.symbol === s.symbol))],
  };
}
