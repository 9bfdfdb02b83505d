import { AgentRiskParams, configHash, parseFundConfig, parseFundConfigInput, type AgentConfig, type AgentRiskOverrides, type FundConfig, type FundConfigInput } from '../../contracts/index.ts';
import { checkAgentParams } from '../../agents/index.ts';
import { KeelError, ValidationError } from '../../core/index.ts';
import { applyConfigIn, configDifferences, describeDifferences, storedFundConfig, type ConfigDifference } from '../../fund/index.ts';
import type { AgentRow, Repos } from '../../store/index.ts';
import { addJournalEntry } from '../desk/journal-store.ts';
import { journalEntry, type JournalKind } from '../journal/journal-entry.ts';
import type { ControlActor, ControlDeps } from './kill-switch.ts';

/** A change of a fund's config: the version it replaced and the one the next cycle runs with. */
export interface ConfigChange {
  readonly fundId: string;
  readonly from: string | null;
  readonly to: string;
  readonly differences: readonly ConfigDifference[];
  /** Whether the new version is approved for live trading (live cycles refuse it until `keel config approve`). */
  readonly approved: boolean;
  readonly journalEntry: ReturnType<typeof journalEntry> | null;
}

/**
 * Makes `next` the fund's config in one transaction (the version stored, the fund pointing at it,
 * the agents table its projection, audited), with a journal entry when `journal` is given, then
 * publishes `config.changed`. The next cycle runs with it; a live cycle needs it approved first.
 */
export async function changeFundConfig(
  d: ControlDeps,
  a: ControlActor,
  next: FundConfig,
  o: { readonly action: string; readonly why: string; readonly before: FundConfig | null; readonly journal?: { readonly kind: JournalKind; readonly agentId?: string }; readonly audit?: Readonly<Record<string, unknown>> },
): Promise<ConfigChange> {
  // a config every cycle would refuse (an agent's bad parameter) is never stored
  checkAgentParams(next);
  const fundId = next.fund.id;
  const differences = o.before ? configDifferences(o.before, next) : [];
  const entry = o.journal
    ? journalEntry({
        id: d.ids.next('note'),
        fundId,
        kind: o.journal.kind,
        who: a.who,
        role: a.role,
        rationale: `${o.action}${o.journal.agentId ? ` ${o.journal.agentId}` : ''}: ${o.why}${differences.length > 0 ? ` (${describeDifferences(differences)})` : ''}`,
        timestamp: d.now,
        ...(o.journal.agentId ? { agentId: o.journal.agentId } : {}),
      })
    : null;
  const applied = await d.store.transaction(async (tx: Repos) => {
    const r = await applyConfigIn(tx, next, a.who, d.now, { note: `${o.action}: ${o.why}` });
    if (entry) await addJournalEntry(tx, entry);
    await tx.audit.append({ at: d.now, actor: a.who, action: o.action, entity: o.journal?.agentId ? 'agent' : 'fund', entityId: o.journal?.agentId ? `${fundId}/${o.journal.agentId}` : fundId, payload: { why: o.why, role: a.role, from: r.previous, to: r.hash, changes: differences.map((x) => x.path), ...(o.audit ?? {}) } });
    return { ...r, approved: await tx.configVersions.isApproved(r.hash) };
  });
  await d.bus.publish('config.changed', { fundId, from: applied.previous, to: applied.hash, action: o.action, who: a.who, reason: o.why });
  return { fundId, from: applied.previous, to: applied.hash, differences, approved: applied.approved, journalEntry: entry };
}

async function fundConfigOf(d: ControlDeps, fundId: string): Promise<FundConfig> {
  const s = await storedFundConfig(d.store, fundId);
  if (!s) throw new KeelError('KEEL_E_NOT_FOUND', `fund ${fundId} does not exist`, { field: 'fundId' });
  return s.config;
}

function agentOf(config: FundConfig, agentId: string): AgentConfig {
  const a = config.agents.find((x) => x.id === agentId);
  if (!a) throw new KeelError('KEEL_E_NOT_FOUND', `agent ${agentId} of fund ${config.fund.id} does not exist; it has ${config.agents.map((x) => x.id).join(', ')}`, { field: 'agentId' });
  return a;
}

const withAgent = (config: FundConfig, agent: AgentConfig): FundConfig => parseFundConfig({ ...config, agents: config.agents.map((x) => (x.id === agent.id ? agent : x)) });

/** What an agent control did: the config change and the agent's row as the next cycle sees it. */
export interface AgentChange extends ConfigChange {
  readonly agent: AgentRow;
}

async function agentChange(d: ControlDeps, a: ControlActor, before: FundConfig, next: AgentConfig, action: string, why: string, kind: JournalKind): Promise<AgentChange> {
  const change = await changeFundConfig(d, a, withAgent(before, next), { action, why, before, journal: { kind, agentId: next.id } });
  const row = (await d.store.funds.agents(before.fund.id)).find((x) => x.id === next.id);
  if (!row) throw new KeelError('KEEL_E_INVARIANT', `agent ${next.id} has no row after its config change`);
  return { ...change, agent: row };
}

/**
 * Pauses an agent: its config says `enabled: false`, a new config version (audited, in the config
 * hash, approved like any change for live trading). From the next cycle it proposes nothing and
 * its book is held as it stands: no orders for it, its positions still count in the fund's risk.
 */
export async function pauseAgent(d: ControlDeps, a: ControlActor, fundId: string, agentId: string, why: string): Promise<AgentChange> {
  const config = await fundConfigOf(d, fundId);
  const agent = agentOf(config, agentId);
  if (!agent.enabled) throw new KeelError('KEEL_E_ILLEGAL_TRANSITION', `agent ${agentId} is already paused`, { field: 'agentId' });
  return agentChange(d, a, config, { ...agent, enabled: false }, 'AgentPaused', why, 'OVERRIDE');
}

/** Resumes a paused agent (`enabled: true`): it proposes again from the next cycle, from the book it holds. */
export async function resumeAgent(d: ControlDeps, a: ControlActor, fundId: string, agentId: string, why: string): Promise<AgentChange> {
  const config = await fundConfigOf(d, fundId);
  const agent = agentOf(config, agentId);
  if (agent.enabled) throw new KeelError('KEEL_E_ILLEGAL_TRANSITION', `agent ${agentId} is not paused`, { field: 'agentId' });
  return agentChange(d, a, config, { ...agent, enabled: true }, 'AgentResumed', why, 'OVERRIDE');
}

/** Risk parameter names an agent may override (AgentRiskParams). */
export const AGENT_RISK_KEYS: readonly string[] = Object.keys(AgentRiskParams.shape);

/**
 * Changes an agent's risk: overrides of its risk parameters (merged over its own) and/or its
 * allocated capital, as a new config version. The whole config is validated: a conflict names
 * both fields (an agent cap above the fund's, allocations above total capital).
 */
export async function changeAgentRisk(
  d: ControlDeps,
  a: ControlActor,
  fundId: string,
  agentId: string,
  change: { readonly risk?: Readonly<AgentRiskOverrides>; readonly allocatedCapital?: number },
  why: string,
): Promise<AgentChange> {
  const config = await fundConfigOf(d, fundId);
  const agent = agentOf(config, agentId);
  for (const k of Object.keys(change.risk ?? {})) {
    if (!AGENT_RISK_KEYS.includes(k)) throw new ValidationError(`riskParams.${k}`, `unknown risk parameter; use one of ${AGENT_RISK_KEYS.join(', ')}`);
  }
  if (change.risk === undefined && change.allocatedCapital === undefined) throw new ValidationError('riskParams', 'give risk parameters or an allocated capital');
  const next: AgentConfig = { ...agent, risk: { ...agent.risk, ...(change.risk ?? {}) }, allocatedCapital: change.allocatedCapital ?? agent.allocatedCapital };
  return agentChange(d, a, config, next, 'AgentRiskUpdated', why, 'NOTE');
}

/** Adds an agent to a fund's config (a new version): it proposes from the next cycle. */
export async function addAgent(d: ControlDeps, a: ControlActor, fundId: string, agent: unknown, why: string): Promise<AgentChange> {
  const config = await fundConfigOf(d, fundId);
  const id = (agent as { id?: unknown } | null)?.id;
  if (typeof id === 'string' && config.agents.some((x) => x.id === id)) throw new KeelError('KEEL_E_ILLEGAL_TRANSITION', `agent ${id} already exists in fund ${fundId}`, { field: 'id' });
  const next = parseFundConfig({ ...config, agents: [...config.agents, agent] });
  const added = next.agents[next.agents.length - 1];
  if (!added) throw new KeelError('KEEL_E_INVARIANT', 'the new agent is missing from the parsed config');
  const changed = await changeFundConfig(d, a, next, { action: 'AgentCreated', why, before: config, journal: { kind: 'NOTE', agentId: added.id } });
  const row = (await d.store.funds.agents(fundId)).find((x) => x.id === added.id);
  if (!row) throw new KeelError('KEEL_E_INVARIANT', `agent ${added.id} has no row after its config change`);
  return { ...changed, agent: row };
}

/**
 * Applies a config file's config to its fund (`keel config apply`): the only way a changed
 * fund.json reaches a fund that exists. A fund that does not exist is created.
 */
export async function applyConfig(d: ControlDeps, a: ControlActor, config: FundConfig, why: string): Promise<ConfigChange> {
  const stored = await storedFundConfig(d.store, config.fund.id);
  if (stored && stored.hash === configHash(config)) {
    return { fundId: config.fund.id, from: stored.hash, to: stored.hash, differences: [], approved: await d.store.configVersions.isApproved(stored.hash), journalEntry: null };
  }
  return changeFundConfig(d, a, config, { action: stored ? 'ConfigApplied' : 'FundCreated', why, before: stored?.config ?? null, journal: { kind: 'NOTE' } });
}

/** A fund as listed: its row and what its config says. */
export interface FundSummary {
  readonly id: string;
  readonly name: string;
  readonly tradingState: string;
  readonly mode: string | null;
  readonly broker: string | null;
  readonly totalCapital: number | null;
  readonly agents: number | null;
  readonly pausedAgents: readonly string[];
  readonly configHash: string | null;
  readonly approved: boolean;
}

/** Every fund with its config's summary (the CLI filters nothing; the API filters by the caller's scope). */
export async function listFunds(d: Pick<ControlDeps, 'store'>): Promise<FundSummary[]> {
  const out: FundSummary[] = [];
  for (const f of await d.store.funds.list()) {
    const s = await storedFundConfig(d.store, f.id).catch(() => null);
    out.push({
      id: f.id,
      name: f.name,
      tradingState: f.tradingState,
      mode: s?.config.fund.mode ?? null,
      broker: s?.config.execution.broker ?? null,
      totalCapital: s?.config.fund.totalCapital ?? null,
      agents: s?.config.agents.length ?? null,
      pausedAgents: s?.config.agents.filter((x) => !x.enabled).map((x) => x.id) ?? [],
      configHash: f.configHash,
      approved: f.configHash ? await d.store.configVersions.isApproved(f.configHash) : false,
    });
  }
  return out;
}

/** Creates a fund from a config (defaults fill what is not given). Refuses an id that exists. */
export async function createFund(d: ControlDeps, a: ControlActor, input: FundConfigInput, why: string): Promise<ConfigChange> {
  const config = parseFundConfigInput(input);
  if (await d.store.funds.get(config.fund.id)) throw new KeelError('KEEL_E_ILLEGAL_TRANSITION', `fund ${config.fund.id} already exists`, { field: 'fund.id' });
  return changeFundConfig(d, a, config, { action: 'FundCreated', why, before: null, journal: { kind: 'NOTE' } });
}
