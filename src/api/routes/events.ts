import { z } from 'zod';
import { TOPICS, type Topic, type Unsubscribe } from '../../bus/index.ts';
import { id } from '../../contracts/index.ts';
import { ensureDefined, KeelError } from '../../core/index.ts';
import { ALL_FUNDS, canSeeFund } from '../auth.ts';
import { HIJACKED, rawResponse, route, type AnyRoute } from '../route.ts';

const EventsQuery = z.object({
  fundId: id.optional(),
  topics: z
    .string()
    .max(500)
    .transform((s) => s.split(',').map((x) => x.trim()).filter((x) => x !== ''))
    .refine((xs) => xs.every((x) => (TOPICS as readonly string[]).includes(x)), { message: `topics are ${TOPICS.join(', ')}` })
    .optional(),
});

/** The fund an event belongs to, when its payload names one. */
function fundOf(payload: unknown): string | null {
  const f = typeof payload === 'object' && payload !== null ? (payload as { fundId?: unknown }).fundId : undefined;
  return typeof f === 'string' ? f : null;
}

/**
 * Server-sent events: bus topics as `event: <topic>` / `data: <json>`, only for the caller's funds
 * (events that name no fund go to admins with every fund only). A comment line every 15 s keeps
 * proxies from closing the stream.
 */
export const eventRoutes: readonly AnyRoute[] = [
  route({
    method: 'GET', url: '/v1/events', tag: 'events', access: 'any', query: EventsQuery,
    summary: "Live events (server-sent events) of the caller's funds", response: rawResponse('text/event-stream'),
    handler: async ({ rt, principal, query, req, reply }) => {
      const p = ensureDefined(principal, 'principal');
      if (query.fundId !== undefined && !(canSeeFund(p, query.fundId) && (await rt.store.funds.get(query.fundId)))) {
        throw new KeelError('KEEL_E_NOT_FOUND', `fund ${query.fundId} does not exist`, { field: 'query.fundId' });
      }
      const topics: readonly Topic[] = (query.topics as Topic[] | undefined) ?? TOPICS;
      const isAll = p.role === 'admin' && p.fundIds.includes(ALL_FUNDS);
      reply.hijack();
      const raw = reply.raw;
      const headers: Record<string, string> = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' };
      for (const [k, v] of Object.entries(reply.getHeaders())) if (typeof v === 'string') headers[k] = v;
      raw.writeHead(200, headers);
      raw.write(': connected\n\n');
      const subs: Unsubscribe[] = [];
      for (const topic of topics) {
        subs.push(
          await rt.bus.subscribe(topic, (payload) => {
            const f = fundOf(payload);
            const isVisible = f === null ? isAll && query.fundId === undefined : canSeeFund(p, f) && (query.fundId === undefined || query.fundId === f);
            if (isVisible && !raw.writableEnded) raw.write(`event: ${topic}\ndata: ${JSON.stringify(payload)}\n\n`);
          }),
        );
      }
      const ping = setInterval(() => {
        if (!raw.writableEnded) raw.write(': ping\n\n');
      }, 15_000);
      ping.unref();
      const close = (): void => {
        clearInterval(ping);
        for (const u of subs) u();
        if (!raw.writableEnded) raw.end();
      };
      req.raw.on('close', close);
      return HIJACKED;
    },
  }),
];
