import { z } from 'zod';
import { id, symbol } from '../../contracts/index.ts';
import { ensureDefined, KeelError } from '../../core/index.ts';
import { fromStoredJournal, JOURNAL_ACTORS, JOURNAL_KINDS, recordDecision, searchJournal, type JournalEntry, type JournalQuery } from '../../pms/index.ts';
import { route, type AnyRoute } from '../route.ts';
import type { ApiRuntime } from '../runtime.ts';
import { dateRange, FundParams, qDate, qInt, reason } from './schemas.ts';
import * as R from '../responses/index.ts';

const JournalSearch = dateRange(
  z.object({
    text: z.string().max(500).optional(),
    agentId: id.optional(),
    symbol: symbol.optional(),
    kind: z.enum(JOURNAL_KINDS).optional(),
    /** `human`: entries people made; `system`: entries the system made (role `system`: overlay decisions, executions, expiries, stop exits, reconciliations). */
    actor: z.enum(JOURNAL_ACTORS).optional(),
    from: qDate.optional(),
    to: qDate.optional(),
    limit: qInt(1, 500).default(100),
  }),
);

const links = z.array(id).max(200).optional();
const Note = z.object({
  rationale: reason,
  agentId: id.optional(),
  symbols: z.array(symbol).max(100).optional(),
  links: z.object({ decisionIds: links, orderIds: links, fillIds: links, proposalIds: links }).optional(),
});

/** Every journal entry of a fund as PMS entries (the store keeps at most the newest 10 000 here). */
export async function fundJournal(rt: ApiRuntime, fundId: string): Promise<JournalEntry[]> {
  return (await rt.store.journal.list(fundId, { limit: 10_000 })).map(fromStoredJournal);
}

/** The decision journal: search (text, agent, symbol, kind, actor, dates) and notes. */
export const journalRoutes: readonly AnyRoute[] = [
  route({
    method: 'GET', url: '/v1/funds/:fundId/journal', tag: 'journal', access: 'any', params: FundParams, query: JournalSearch,
    summary: 'Search the decision journal', response: R.JournalAnswer,
    handler: async ({ rt, params, query }) => {
      const q: JournalQuery = {
        fundId: params.fundId,
        limit: query.limit,
        ...(query.text !== undefined && query.text.trim() !== '' ? { text: query.text } : {}),
        ...(query.agentId !== undefined ? { agentId: query.agentId } : {}),
        ...(query.symbol !== undefined ? { symbol: query.symbol } : {}),
        ...(query.kind !== undefined ? { kinds: [query.kind] } : {}),
        ...(query.actor !== undefined ? { actor: query.actor } : {}),
        ...(query.from !== undefined ? { from: query.from } : {}),
        ...(query.to !== undefined ? { to: query.to } : {}),
      };
      return { entries: searchJournal(await fundJournal(rt, params.fundId), q).map((h) => ({ ...h.entry, score: h.score })) };
    },
  }),
  route({
    method: 'POST', url: '/v1/funds/:fundId/journal', tag: 'journal', access: ['pm', 'risk'], params: FundParams, body: Note, status: 201,
    summary: 'Add a note to the journal', response: R.JournalNoted,
    handler: async ({ rt, principal, params, body }) => {
      const p = ensureDefined(principal, 'principal');
      const now = rt.nowIso();
      const r = recordDecision({
        id: rt.ids.next('note'), fundId: params.fundId, kind: 'NOTE', who: p.name, role: p.role, rationale: body.rationale, timestamp: now,
        agentId: body.agentId ?? null, symbols: (body.symbols ?? []).map((s) => s.toUpperCase()),
        ...(body.links ? { links: Object.fromEntries(Object.entries(body.links).filter(([, v]) => v !== undefined)) } : {}),
      });
      if (!r.ok) throw new KeelError(r.error.keelCode, r.error.message, { field: r.error.code === 'INVALID_INPUT' ? `body.${r.error.field}` : 'role' });
      await rt.addJournal(r.value);
      return { entry: r.value };
    },
  }),
];
