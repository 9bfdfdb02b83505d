import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { TradingState } from '../../contracts/index.ts';
import { ensureDefined, KeelError } from '../../core/index.ts';
import { transitionTradingState } from '../../overlay/index.ts';
import { recordDecision, type JournalKind } from '../../pms/index.ts';
import type { FundRow } from '../../store/index.ts';
import type { Principal } from '../auth.ts';
import { route, type AnyRoute } from '../route.ts';
import type { ApiRuntime } from '../runtime.ts';
import { fundJournal } from './journal.ts';
import { FundParams, reason } from './schemas.ts';

const Trip = z.object({ reason });
const Rearm = z.object({ reason, to: TradingState.exclude(['HALTED']).optional() });

/**
 * Moves the fund's trading state by hand: a journal entry (who, role, why), an audit row and the
 * new state in one transaction, then `trading-state.changed` on the bus. The overlay's transition
 * table decides what is legal (HALTED re-arms to REDUCING first).
 */
async function setState(rt: ApiRuntime, principal: Principal | null, fund: FundRow, to: TradingState, kind: JournalKind, why: string) {
  const p = ensureDefined(principal, 'principal');
  const from = fund.tradingState;
  if (from === to) throw new KeelError('KEEL_E_ILLEGAL_TRANSITION', `fund ${fund.id} is already ${to}`, { from, to });
  transitionTradingState(from, to);
  const now = rt.nowIso();
  const r = recordDecision({ id: rt.ids.next(kind === 'REARM' ? 'rearm' : 'kill'), fundId: fund.id, kind, who: p.name, role: p.role === 'admin' ? 'risk' : p.role, rationale: why, timestamp: now });
  if (!r.ok) throw new KeelError(r.error.keelCode, r.error.message, { field: r.error.code === 'INVALID_INPUT' ? `body.${r.error.field}` : 'role' });
  const audit = await rt.store.transaction(async (tx) => {
    await tx.funds.setTradingState(fund.id, to);
    await rt.addJournal(r.value, tx);
    return tx.audit.append({ at: now, actor: p.name, action: kind === 'REARM' ? 'KillSwitchRearmed' : 'KillSwitchTripped', entity: 'fund', entityId: fund.id, payload: { from, to, why, role: p.role } });
  });
  const file = rt.opts.killSwitchFile;
  if (file && kind === 'KILL_SWITCH_TRIP') {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify({ at: now, by: p.name, reason: why, fundId: fund.id })}\n`);
  }
  if (file && kind === 'REARM') rmSync(file, { force: true });
  rt.cache.invalidate(fund.id);
  await rt.bus.publish('trading-state.changed', { fundId: fund.id, from, to, reason: why, who: p.name });
  return { tradingState: to, from, journalEntry: r.value, auditHash: audit.hash };
}

/** The kill switch: state, trip (risk) and re-arm (risk). */
export const killSwitchRoutes: readonly AnyRoute[] = [
  route({
    method: 'GET', url: '/v1/funds/:fundId/kill-switch', tag: 'kill-switch', access: 'any', params: FundParams,
    summary: "The fund's trading state and the last trip or re-arm", returns: '{ tradingState, lastEvent }',
    handler: async ({ rt, fund }) => {
      const f = ensureDefined(fund, 'fund');
      const last = (await fundJournal(rt, f.id)).find((e) => e.kind === 'KILL_SWITCH_TRIP' || e.kind === 'REARM') ?? null;
      return { tradingState: f.tradingState, lastEvent: last };
    },
  }),
  route({
    method: 'POST', url: '/v1/funds/:fundId/kill-switch/trip', tag: 'kill-switch', access: ['risk'], params: FundParams, body: Trip,
    summary: 'Trip the kill switch: the fund goes HALTED (reason required)', returns: '{ tradingState: "HALTED", from, journalEntry, auditHash }',
    handler: async ({ rt, principal, fund, body }) => setState(rt, principal, ensureDefined(fund, 'fund'), 'HALTED', 'KILL_SWITCH_TRIP', body.reason),
  }),
  route({
    method: 'POST', url: '/v1/funds/:fundId/kill-switch/rearm', tag: 'kill-switch', access: ['risk'], params: FundParams, body: Rearm,
    summary: 'Re-arm: HALTED → REDUCING, REDUCING → ACTIVE (who and why recorded)', returns: '{ tradingState, from, journalEntry, auditHash }',
    handler: async ({ rt, principal, fund, body }) => {
      const f = ensureDefined(fund, 'fund');
      const to: TradingState = body.to ?? (f.tradingState === 'HALTED' ? 'REDUCING' : 'ACTIVE');
      return setState(rt, principal, f, to, 'REARM', body.reason);
    },
  }),
];
