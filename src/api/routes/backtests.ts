import { z } from 'zod';
import { id, isoDate } from '../../contracts/index.ts';
import { ensureDefined, KeelError } from '../../core/index.ts';
import { comparisonChecks, runStoredBacktest } from '../../fund/index.ts';
import { route, type AnyRoute } from '../route.ts';
import { FundParams } from './schemas.ts';

const Start = z
  .object({
    from: isoDate,
    to: isoDate,
    agents: z.array(id).min(1).max(100).optional(),
    /** Run it again with the overlay's policy rules off and store the comparison (docs/fund-cycle.md "Backtests"). */
    compare: z.literal('overlay-off').optional(),
    /** Overlay rules to switch off in the comparison run (implies a comparison). */
    without: z.array(id).min(1).max(50).optional(),
  })
  .refine((b) => b.from < b.to, { message: 'from must be before to', path: ['from'] });

/** Backtests over the stored market: start (runs in the background), list, progress and results. */
export const backtestRoutes: readonly AnyRoute[] = [
  route({
    method: 'POST', url: '/v1/funds/:fundId/backtests', tag: 'backtests', access: ['pm', 'risk'], params: FundParams, body: Start, status: 202,
    summary: "Start a backtest of the fund's config over the stored market (compare: 'overlay-off' and without: [rule] run it again with those overlay rules off and store the comparison)", returns: '{ id, status: "QUEUED" }',
    handler: async ({ rt, fund, body }) => {
      const f = ensureDefined(fund, 'fund');
      const stored = await rt.configFor(f);
      const config = { ...stored, fund: { ...stored.fund, id: f.id } };
      const known = new Set(config.agents.map((a) => a.id));
      const unknown = (body.agents ?? []).filter((a) => !known.has(a));
      if (unknown.length > 0) throw new KeelError('KEEL_E_VALIDATION', `body.agents: unknown agent(s) ${unknown.join(', ')}`, { field: 'body.agents', unknown });
      const compare = body.compare !== undefined || body.without !== undefined ? { policyOff: body.compare === 'overlay-off', without: body.without ?? [] } : null;
      if (compare) {
        try {
          comparisonChecks(compare);
        } catch (e) {
          throw new KeelError('KEEL_E_VALIDATION', `body.without: ${e instanceof Error ? e.message : String(e)}`, { field: 'body.without' });
        }
      }
      const backtestId = rt.ids.next('bt');
      rt.startingBacktests.set(backtestId, f.id);
      void runStoredBacktest(rt.store, {
        id: backtestId,
        config,
        from: body.from,
        to: body.to,
        ...(body.agents ? { agents: body.agents } : {}),
        onProgress: (done, total) => {
          rt.startingBacktests.delete(backtestId);
          // with a comparison, the first run is half the work
          void rt.bus.publish('backtest.progressed', { backtestId, done, total: compare ? 2 * total : total, status: !compare && done >= total ? 'COMPLETED' : 'RUNNING' });
        },
        ...(compare
          ? {
              compare,
              onCompareProgress: (done: number, total: number) =>
                void rt.bus.publish('backtest.progressed', { backtestId, done: total + done, total: 2 * total, status: done >= total ? 'COMPLETED' : 'RUNNING' }),
            }
          : {}),
      })
        .catch(async (e: unknown) => {
          // runStoredBacktest marks the row FAILED itself when it got that far; make sure it exists.
          const row = await rt.store.backtests.get(backtestId).catch(() => undefined);
          if (!row) {
            await rt.store.backtests.create({ id: backtestId, fundId: f.id, params: { from: body.from, to: body.to }, createdAt: rt.nowIso() }).catch(() => undefined);
            await rt.store.backtests.update(backtestId, { status: 'FAILED', error: e instanceof Error ? e.message : String(e), at: rt.nowIso() }).catch(() => undefined);
          }
        })
        .finally(() => rt.startingBacktests.delete(backtestId));
      return { id: backtestId, status: 'QUEUED' };
    },
  }),
  route({
    method: 'GET', url: '/v1/funds/:fundId/backtests', tag: 'backtests', access: 'any', params: FundParams,
    summary: "The fund's backtests (newest first, without results)", returns: '{ backtests: [{ id, status, progress, params, createdAt, startedAt, finishedAt, error }] }',
    handler: async ({ rt, params }) => ({
      backtests: (await rt.store.backtests.list(200)).filter((b) => b.fundId === params.fundId).map(({ results: _r, ...rest }) => rest),
    }),
  }),
  route({
    method: 'GET', url: '/v1/funds/:fundId/backtests/:backtestId', tag: 'backtests', access: 'any', params: z.object({ fundId: id, backtestId: id }),
    summary: 'One backtest: status, progress, results (with results.binding, the binding constraints, and results.comparison when a comparison was run)', returns: '{ backtest: { id, status, progress, params, results, error, … } }',
    handler: async ({ rt, params }) => {
      const b = await rt.store.backtests.get(params.backtestId);
      if (b && b.fundId === params.fundId) return { backtest: b };
      if (!b && rt.startingBacktests.get(params.backtestId) === params.fundId) {
        return { backtest: { id: params.backtestId, fundId: params.fundId, status: 'QUEUED', progress: 0, params: {}, results: null, error: null } };
      }
      throw new KeelError('KEEL_E_NOT_FOUND', `backtest ${params.backtestId} does not exist`, { field: 'params.backtestId' });
    },
  }),
];
