import { z } from 'zod';
import { TradingState } from '../../contracts/index.ts';
import { ensureDefined } from '../../core/index.ts';
import { rearmKillSwitch, tripKillSwitch, type KillSwitchChange } from '../../pms/index.ts';
import type { Principal } from '../auth.ts';
import { route, type AnyRoute } from '../route.ts';
import type { ApiRuntime } from '../runtime.ts';
import { fundJournal } from './journal.ts';
import { FundParams, reason } from './schemas.ts';
import * as R from '../responses/index.ts';

const Trip = z.object({ reason });
const Rearm = z.object({ reason, to: TradingState.exclude(['HALTED']).optional() });

/** The caller as a control's actor: an admin acts as risk (the kill switch is risk's). */
const riskActor = (p: Principal | null) => {
  const x = ensureDefined(p, 'principal');
  return { who: x.name, role: x.role === 'admin' ? ('risk' as const) : x.role };
};

function answer(rt: ApiRuntime, c: KillSwitchChange) {
  rt.cache.invalidate(c.fundId);
  // Paths on the server stay there: whether the fund's file was written and the shared one is present.
  return { tradingState: c.tradingState, from: c.from, journalEntry: c.journalEntry, auditHash: c.auditHash, killSwitchFile: c.file !== null, sharedKillSwitch: c.sharedFile !== null };
}

/** The kill switch: state, trip (risk) and re-arm (risk). */
export const killSwitchRoutes: readonly AnyRoute[] = [
  route({
    method: 'GET', url: '/v1/funds/:fundId/kill-switch', tag: 'kill-switch', access: 'any', params: FundParams,
    summary: "The fund's trading state and the last trip or re-arm", response: R.KillSwitchState,
    handler: async ({ rt, fund }) => {
      const f = ensureDefined(fund, 'fund');
      const last = (await fundJournal(rt, f.id)).find((e) => e.kind === 'KILL_SWITCH_TRIP' || e.kind === 'REARM') ?? null;
      return { tradingState: f.tradingState, lastEvent: last };
    },
  }),
  route({
    method: 'POST', url: '/v1/funds/:fundId/kill-switch/trip', tag: 'kill-switch', access: ['risk'], params: FundParams, body: Trip,
    summary: "Trip the kill switch: the fund goes HALTED (reason required); its kill-switch file is written after the transaction", response: R.KillSwitchChanged,
    handler: async ({ rt, principal, fund, body }) => answer(rt, await tripKillSwitch(rt.controlDeps(), riskActor(principal), ensureDefined(fund, 'fund').id, body.reason)),
  }),
  route({
    method: 'POST', url: '/v1/funds/:fundId/kill-switch/rearm', tag: 'kill-switch', access: ['risk'], params: FundParams, body: Rearm,
    summary: 'Re-arm: HALTED → REDUCING, REDUCING → ACTIVE (who and why recorded)', response: R.KillSwitchChanged,
    handler: async ({ rt, principal, fund, body }) => answer(rt, await rearmKillSwitch(rt.controlDeps(), riskActor(principal), ensureDefined(fund, 'fund').id, body.reason, body.to)),
  }),
];
