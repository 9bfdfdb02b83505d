import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { EventBus } from '../../bus/index.ts';
import { KeelError, type IdSource } from '../../core/index.ts';
import { fundKillSwitchFile, sharedKillSwitchFile } from '../../fund/index.ts';
import { transitionTradingState } from '../../overlay/index.ts';
import type { AgentState, TradingState } from '../../contracts/index.ts';
import type { Store } from '../../store/index.ts';
import { addJournalEntry } from '../desk/journal-store.ts';
import type { JournalEntry, PmsRole } from '../journal/journal-entry.ts';
import { recordDecision } from '../journal/record-decision.ts';

/** What a control needs: the store, the bus, ids, the time, and Keel's home (null: no files, state only). */
export interface ControlDeps {
  readonly store: Store;
  readonly bus: EventBus;
  readonly ids: IdSource;
  /** ISO-8601. */
  readonly now: string;
  readonly home: string | null;
}

/** Who acts, in which role (the CLI's operator acts as the role the command needs; the API's caller as theirs). */
export interface ControlActor {
  readonly who: string;
  readonly role: PmsRole;
}

/** What a trip or a re-arm did. */
export interface KillSwitchChange {
  readonly fundId: string;
  readonly from: TradingState;
  readonly tradingState: TradingState;
  readonly journalEntry: JournalEntry;
  readonly auditHash: string;
  /** The fund's kill-switch file written (trip) or removed (re-arm); null without a home. */
  readonly file: string | null;
  /** The shared kill-switch file of earlier versions, when present: it still halts every fund. */
  readonly sharedFile: string | null;
}

async function change(d: ControlDeps, a: ControlActor, fundId: string, to: TradingState, kind: 'KILL_SWITCH_TRIP' | 'REARM', why: string): Promise<KillSwitchChange> {
  const fund = await d.store.funds.get(fundId);
  if (!fund) throw new KeelError('KEEL_E_NOT_FOUND', `fund ${fundId} does not exist`, { field: 'fundId' });
  const from = fund.tradingState;
  const file = d.home === null ? null : fundKillSwitchFile(d.home, fundId);
  const hasFile = file !== null && existsSync(file);
  // A re-arm that only clears a file left behind (the state already moved on) is not a transition.
  const clearsFile = kind === 'REARM' && from === to && hasFile;
  if (from === to && !clearsFile) throw new KeelError('KEEL_E_ILLEGAL_TRANSITION', kind === 'REARM' ? `the kill switch of fund ${fundId} is not tripped (the fund is ${from})` : `fund ${fundId} is already ${to}`, { from, to });
  if (from !== to) transitionTradingState(from, to);
  const r = recordDecision({ id: d.ids.next(kind === 'REARM' ? 'rearm' : 'kill'), fundId, kind, who: a.who, role: a.role, rationale: why, timestamp: d.now });
  if (!r.ok) throw new KeelError(r.error.keelCode, r.error.message, { field: r.error.code === 'INVALID_INPUT' ? r.error.field : 'role' });
  // The database first: a crash before the file leaves the fund HALTED in the store (a trip), or
  // refused by the file still there (a re-arm) — both fail safe.
  const audit = await d.store.transaction(async (tx) => {
    if (from !== to) await tx.funds.setTradingState(fundId, to);
    await addJournalEntry(tx, r.value);
    return tx.audit.append({ at: d.now, actor: a.who, action: kind === 'REARM' ? 'KillSwitchRearmed' : 'KillSwitchTripped', entity: 'fund', entityId: fundId, payload: { from, to, why, role: a.role } });
  });
  if (file !== null && kind === 'KILL_SWITCH_TRIP') {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify({ at: d.now, by: a.who, reason: why, fundId })}\n`);
  }
  if (file !== null && kind === 'REARM') rmSync(file, { force: true });
  await d.bus.publish('trading-state.changed', { fundId, from, to, reason: why, who: a.who });
  const shared = d.home === null ? null : sharedKillSwitchFile(d.home);
  return { fundId, from, tradingState: to, journalEntry: r.value, auditHash: audit.hash, file, sharedFile: shared !== null && existsSync(shared) ? shared : null };
}

/**
 * Trips a fund's kill switch: HALTED through the trading-state table, a KILL_SWITCH_TRIP journal
 * entry (who, role, why) and an audit row in one transaction, then the fund's kill-switch file
 * (`$KEEL_HOME/funds/<id>/KILL_SWITCH`), then `trading-state.changed`. The CLI and the API call it.
 */
export function tripKillSwitch(d: ControlDeps, a: ControlActor, fundId: string, why: string): Promise<KillSwitchChange> {
  return change(d, a, fundId, 'HALTED', 'KILL_SWITCH_TRIP', why);
}

/**
 * Re-arms a fund: HALTED → REDUCING (or `to`), REDUCING → ACTIVE, through the table; the fund's
 * kill-switch file is removed after the transaction. The shared file of earlier versions is left
 * alone (it halts every fund; `sharedFile` says when it is there).
 */
export async function rearmKillSwitch(d: ControlDeps, a: ControlActor, fundId: string, why: string, to?: TradingState): Promise<KillSwitchChange> {
  const fund = await d.store.funds.get(fundId);
  if (!fund) throw new KeelError('KEEL_E_NOT_FOUND', `fund ${fundId} does not exist`, { field: 'fundId' });
  return change(d, a, fundId, to ?? (fund.tradingState === 'HALTED' ? 'REDUCING' : fund.tradingState === 'REDUCING' && !(d.home !== null && existsSync(fundKillSwitchFile(d.home, fundId))) ? 'ACTIVE' : fund.tradingState), 'REARM', why);
}

/** What an agent's re-arm did. */
export interface AgentRearm {
  readonly fundId: string;
  readonly agentId: string;
  /** The agent's drawdown state when it was re-armed ('paused'). */
  readonly drawdownState: AgentState;
  readonly journalEntry: JournalEntry;
  readonly auditHash: string;
}

/**
 * Re-arms an agent its drawdown ladder paused (the last step, 3σ by default: leaving it needs a
 * recorded re-arm, seed fund-overlay-plan §3B): a REARM journal entry for the agent (who, role, why)
 * and an audit row in one transaction. The next cycle reads it (`withOperatorState`) and, once the
 * ladder's cooldown has passed, starts the agent's recovery ramp. Refused, naming the state, when the
 * agent is not paused by its ladder (a paused *config*, `keel agent pause`, is undone by resume).
 */
export async function rearmAgentDrawdown(d: ControlDeps, a: ControlActor, fundId: string, agentId: string, why: string): Promise<AgentRearm> {
  if (!(await d.store.funds.get(fundId))) throw new KeelError('KEEL_E_NOT_FOUND', `fund ${fundId} does not exist`, { field: 'fundId' });
  const agent = (await d.store.funds.agents(fundId)).find((x) => x.id === agentId);
  if (!agent) throw new KeelError('KEEL_E_NOT_FOUND', `agent ${agentId} of fund ${fundId} does not exist`, { field: 'agentId' });
  if (agent.drawdownState !== 'paused') {
    throw new KeelError('KEEL_E_ILLEGAL_TRANSITION', `agent ${agentId} is not paused by its drawdown ladder (it is ${agent.drawdownState}); only a paused agent is re-armed (a paused config is undone by keel agent resume)`, { field: 'agentId', from: agent.drawdownState });
  }
  const r = recordDecision({ id: d.ids.next('rearm'), fundId, kind: 'REARM', who: a.who, role: a.role, rationale: why, timestamp: d.now, agentId });
  if (!r.ok) throw new KeelError(r.error.keelCode, r.error.message, { field: r.error.code === 'INVALID_INPUT' ? r.error.field : 'role' });
  const audit = await d.store.transaction(async (tx) => {
    await addJournalEntry(tx, r.value);
    return tx.audit.append({ at: d.now, actor: a.who, action: 'AgentRearmed', entity: 'agent', entityId: `${fundId}/${agentId}`, payload: { why, role: a.role, drawdownState: agent.drawdownState } });
  });
  return { fundId, agentId, drawdownState: agent.drawdownState, journalEntry: r.value, auditHash: audit.hash };
}
