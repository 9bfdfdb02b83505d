import { z } from 'zod';
import { positiveDollars, positiveShares, symbol } from '../../contracts/index.ts';
import { ensureDefined, KeelError } from '../../core/index.ts';
import { reviewRisk } from '../../overlay/index.ts';
import { DISCRETIONARY, insertProposal, parseTicket, proposalFromTicket, ticketToAgentProposal, type TradeProposal } from '../../pms/index.ts';
import { validationError } from '../http-error.ts';
import { lastClose, marketAt } from '../market-context.ts';
import { route, type AnyRoute } from '../route.ts';
import { FundParams } from './schemas.ts';
import { personText } from '../storable-text.ts';
import * as R from '../responses/index.ts';

const Ticket = z
  .object({
    symbol,
    side: z.enum(['BUY', 'SELL']),
    qty: positiveShares.optional(),
    notional: positiveDollars.optional(),
    limitPrice: positiveDollars.nullable().optional(),
    rationale: personText(4000, 'a rationale is required'),
  })
  .refine((t) => (t.qty === undefined) !== (t.notional === undefined), { message: 'give exactly one of qty (shares) or notional (dollars)', path: ['qty'] })
  .meta({ oneOf: [{ required: ['qty'] }, { required: ['notional'] }], description: 'Exactly one of qty (shares) or notional (dollars).' });

/** Discretionary trades: a PM's ticket passes the same overlay review as agents' books and waits for approval. */
export const tradeRoutes: readonly AnyRoute[] = [
  route({
    method: 'POST', url: '/v1/funds/:fundId/trades', tag: 'proposals', access: ['pm'], params: FundParams, body: Ticket, status: 201, idempotent: true,
    summary: 'Enter a discretionary trade (overlay-reviewed, stored as a proposal awaiting approval)',
    response: R.TradeEntered,
    handler: async ({ rt, principal, fund, body }) => {
      const p = ensureDefined(principal, 'principal');
      const f = ensureDefined(fund, 'fund');
      const parsed = parseTicket({ ...body, fundId: f.id, limitPrice: body.limitPrice ?? null });
      if (!parsed.success) throw validationError('body', parsed.error);
      const ticket = parsed.data;
      const { panel, view, t } = await marketAt(rt);
      const price = lastClose(panel, ticket.symbol, t);
      if (price === undefined) throw new KeelError('KEEL_E_VALIDATION', `body.symbol: ${ticket.symbol} has no price in the stored market`, { field: 'body.symbol' });
      const config = await rt.configFor(f);
      const nav = (await rt.store.nav.latest(f.id))?.nav ?? f.initialCapital;
      // The discretionary book is sized against the fund NAV; its current names keep their weights.
      const book = await rt.store.positions.list(f.id, { agentId: DISCRETIONARY, openOnly: true });
      const held = book.map((b) => ({ symbol: b.symbol, qty: b.qty, price: lastClose(panel, b.symbol, t) ?? b.lastPrice ?? b.avgCost }));
      const currentWeights = Object.fromEntries(held.map((h) => [h.symbol, (h.qty * h.price) / nav]));
      const now = rt.nowIso();
      const proposalId = rt.ids.next('prop-disc');
      const agentProposal = ticketToAgentProposal(ticket, { cycleId: `disc-${proposalId}`, traceId: proposalId, asOf: view.asOf, price, bookCapital: nav, currentWeights });
      const review = reviewRisk(
        {
          asOf: view.asOf,
          cycleId: agentProposal.cycleId,
          fund: { capital: nav, tradingState: f.tradingState },
          agents: [{ id: DISCRETIONARY, allocatedCapital: nav, positions: held.filter((h) => h.price > 0) }],
          proposals: [{ agentId: DISCRETIONARY, strategy: 'committee', traceId: proposalId, targets: agentProposal.targets }],
        },
        view,
        config,
      );
      const decision = review.decisions.find((d) => d.agentId === DISCRETIONARY);
      const isAccepted = decision !== undefined && decision.action !== 'BLOCK';
      let proposal: TradeProposal = proposalFromTicket(ticket, { id: proposalId, createdBy: p.name, now, ttlMs: config.pms.ticketTtlHours * 3_600_000 });
      if (!isAccepted) {
        proposal = {
          ...proposal,
          status: 'REJECTED',
          history: [{ from: 'PENDING_APPROVAL', to: 'REJECTED', who: 'system:overlay', role: 'system', why: decision?.summary ?? 'blocked by the overlay', at: now, journalEntryId: null, changes: null }],
        };
      }
      await rt.store.transaction(async (tx) => {
        await insertProposal(tx, proposal, agentProposal);
        await tx.audit.append({ at: now, actor: p.name, action: 'DiscretionaryTradeEntered', entity: 'proposal', entityId: proposal.id, payload: { fundId: f.id, ticket: proposal.ticket, overlay: decision?.action ?? 'NONE' } });
      });
      rt.cache.invalidate(f.id);
      return {
        proposal,
        review: decision ? { action: decision.action, scale: decision.scale, summary: decision.summary, reasons: decision.reasons, targets: decision.targets } : null,
        tradingState: review.tradingState,
        isAccepted,
      };
    },
  }),
];
