import { z } from 'zod';
import { id, isoDate } from '../../contracts/index.ts';
import { ensureDefined, KeelError } from '../../core/index.ts';
import { comparisonChecks } from '../../fund/index.ts';
import type { BacktestRun } from '../../store/index.ts';
import { route, type AnyRoute } from '../route.ts';
import type { ApiRuntime } from '../runtime.ts';
import { FundParams } from './schemas.ts';
import * as R from '../responses/index.ts';

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

const BacktestParams = z.object({ fundId: id, backtestId: id });

/** A row as answered: without the job's runner (which host and process ran it stays on the server). */
function shown(b: BacktestRun): BacktestRun {
  const { runner: _runner, ...params } = b.params;
  return { ...b, params };
}

/** The row of one of the fund's backtests, or KEEL_E_NOT_FOUND (a backtest of another fund does not exist). */
async function backtestOf(rt: ApiRuntime, fundId: string, backtestId: string): Promise<BacktestRun> {
  const b = await rt.store.backtests.get(backtestId);
  if (!b || b.fundId !== fundId) throw new KeelError('KEEL_E_NOT_FOUND', `backtest ${backtestId} does not exist`, { field: 'params.backtestId' });
  return shown(b);
}

/**
 * Backtests over the stored market, run as jobs outside the request path (`BacktestQueue`: a worker
 * thread each, KEEL_JOB_CONCURRENCY at once): start, list, progress and results, cancel.
 */
export const backtestRoutes: readonly AnyRoute[] = [
  route({
    method: 'POST', url: '/v1/funds/:fundId/backtests', tag: 'backtests', access: ['pm', 'risk'], params: FundParams, body: Start, status: 202,
    summary: "Queue a backtest of the fund's config over the stored market; it runs in a worker thread when a job slot is free (compare: 'overlay-off' and without: [rule] run it again with those overlay rules off and store the comparison). Progress: GET …/backtests/:backtestId or `backtest.progressed` on /v1/events", response: R.BacktestQueued,
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
      // stored QUEUED before the answer; it runs in a worker thread when a job slot is free
      await rt.backtests.submit({ id: backtestId, config, from: body.from, to: body.to, ...(body.agents ? { agents: body.agents } : {}), ...(compare ? { compare } : {}) });
      return { id: backtestId, status: 'QUEUED' };
    },
  }),
  route({
    method: 'GET', url: '/v1/funds/:fundId/backtests', tag: 'backtests', access: 'any', params: FundParams,
    summary: "The fund's backtests (newest first, without results)", response: R.BacktestsAnswer,
    handler: async ({ rt, params }) => ({
      backtests: (await rt.store.backtests.list(200, { fundId: params.fundId, withResults: false })).map((b) => {
        const { results: _r, ...rest } = shown(b);
        return rest;
      }),
    }),
  }),
  route({
    method: 'GET', url: '/v1/funds/:fundId/backtests/:backtestId', tag: 'backtests', access: 'any', params: BacktestParams,
    summary: 'One backtest: status (QUEUED, RUNNING, COMPLETED, FAILED, CANCELLED), progress, results (with results.binding, the binding constraints, and results.comparison when a comparison was run)', response: R.BacktestAnswer,
    handler: async ({ rt, params }) => ({ backtest: await backtestOf(rt, params.fundId, params.backtestId) }),
  }),
  route({
    method: 'POST', url: '/v1/funds/:fundId/backtests/:backtestId/cancel', tag: 'backtests', access: ['pm', 'risk'], params: BacktestParams,
    summary: 'Cancel a QUEUED or RUNNING backtest (a running one stops at once); 409 KEEL_E_ILLEGAL_TRANSITION when it has ended', response: R.BacktestCancelled,
    handler: async ({ rt, params }) => {
      await rt.backtests.cancel(params.backtestId, params.fundId);
      const { results: _r, ...row } = await backtestOf(rt, params.fundId, params.backtestId);
      return { backtest: row };
    },
  }),
];
