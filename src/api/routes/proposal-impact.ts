import { z } from 'zod';
import { id } from '../../contracts/index.ts';
import { ensureDefined } from '../../core/index.ts';
import { storedAgentCapital } from '../../fund/index.ts';
import { isAwaitingDecision, proposalTickets, ticketImpact } from '../../pms/index.ts';
import { lastClose } from '../market-context.ts';
import { riskInputs } from '../risk-book.ts';
import { route, type AnyRoute } from '../route.ts';
import { loadProposal } from './proposals.ts';

const ProposalParams = z.object({ fundId: id, proposalId: id });

/** GET …/proposals/:proposalId/impact: what the proposal's tickets would do to the fund, before approval. */
export const ProposalImpactResponse = z.object({
  proposalId: z.string(),
  status: z.string(),
  isAwaitingDecision: z.boolean(),
  asOf: z.string(),
  nav: z.number(),
  confidence: z.number(),
  prices: z.record(z.string(), z.number()).meta({ description: 'the decision price of every held and traded name, dollars' }),
  fundQty: z.record(z.string(), z.number()).meta({ description: "the fund's signed shares per name now, over every book" }),
  tickets: z.array(z.object({
    symbol: z.string(), side: z.enum(['BUY', 'SELL']), qty: z.number(), price: z.number(), notional: z.number(),
    currentQty: z.number(), resultingQty: z.number(), currentWeight: z.number(), resultingWeight: z.number(), varChange: z.number(),
  })),
  skipped: z.array(z.object({ symbol: z.string(), reason: z.object({ code: z.string(), message: z.string(), limit: z.number().nullable(), actual: z.number().nullable() }) })),
  varBefore: z.number(),
  varAfter: z.number(),
  varChange: z.number(),
  varLimit: z.number(),
  varLimitPct: z.number(),
  headroomBefore: z.number(),
  headroomAfter: z.number(),
  isOverLimitAfter: z.boolean(),
  missingReturns: z.array(z.string()),
});
export type ProposalImpactResponse = z.infer<typeof ProposalImpactResponse>;

/** Ticket impact before approval. */
export const proposalImpactRoutes: readonly AnyRoute[] = [
  route({
    method: 'GET', url: '/v1/funds/:fundId/proposals/:proposalId/impact', tag: 'proposals', access: 'any', params: ProposalParams,
    summary: "What approving a proposal now would trade and do to the fund, before the overlay's review at execution: its tickets (a discretionary ticket as entered × size; an agent's book through the order planner, on the capital the fund state gives it) with price, notional and the name's resulting weight in the fund ((fund shares + ticket shares) × price / NAV), and the fund's one-day parametric VaR at risk.varConfidence before and after, with the headroom to risk.varLimitPct × NAV",
    response: ProposalImpactResponse,
    handler: async ({ rt, fund, params }) => {
      const f = ensureDefined(fund, 'fund');
      const p = await loadProposal(rt, params.fundId, params.proposalId);
      const named = [...p.symbols, ...p.targets.map((t) => t.symbol), ...(p.ticket ? [p.ticket.symbol] : [])];
      const { book, config, symbols, returns } = await riskInputs(rt, f, undefined, named);
      const prices = new Map<string, number>();
      for (const s of symbols) {
        const px = book.positions.find((x) => x.symbol === s)?.price ?? lastClose(book.panel, s, book.t);
        if (px !== undefined && Number.isFinite(px) && px > 0) prices.set(s, px);
      }
      const fundQty = new Map<string, number>();
      const held = new Map<string, number>();
      for (const x of book.positions) {
        fundQty.set(x.symbol, (fundQty.get(x.symbol) ?? 0) + x.qty);
        if (x.agentId === p.agentId) held.set(x.symbol, (held.get(x.symbol) ?? 0) + x.qty);
      }
      // an agent's weights are fractions of the capital the allocation gave it (the fund state's), as the execution sizes them
      const inConfig = config.agents.find((a) => a.id === p.agentId);
      const planned = proposalTickets(p, {
        agentCapital: inConfig ? ((await storedAgentCapital(rt.store, f.id))?.get(p.agentId) ?? inConfig.allocatedCapital) : null,
        held,
        prices,
        minNotional: config.oms.minNotional,
        maxTurnoverPct: config.oms.maxTurnoverPct,
      });
      const impact = ticketImpact({ nav: book.nav, fundQty, prices, tickets: planned.tickets, returns: { panel: returns, symbols }, confidence: config.risk.varConfidence, varLimitPct: config.risk.varLimitPct });
      return {
        proposalId: p.id,
        status: p.status,
        isAwaitingDecision: isAwaitingDecision(p.status),
        asOf: book.asOf,
        prices: Object.fromEntries(prices),
        fundQty: Object.fromEntries(fundQty),
        skipped: planned.skipped,
        ...impact,
      };
    },
  }),
];
