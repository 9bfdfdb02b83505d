import { agentBucket, agentRiskDrivers, configHash, resolveAgentRisk, type FundConfig } from '../../contracts/index.ts';
import type { Repos, Store } from '../../store/index.ts';

/** What applying a config did: its hash, whether the version is new, and the version it replaced. */
export interface AppliedConfig {
  readonly hash: string;
  readonly isNew: boolean;
  /** The fund's config hash before (null for a new fund); equal to `hash` when nothing changed. */
  readonly previous: string | null;
}

/**
 * Makes `cfg` the fund's config inside `tx`: the version is stored under its hash (audited when
 * new), the fund row points at it (trading and drawdown states kept), and the agents table is
 * its projection (each agent's drawdown state, high-water mark and scores kept). A change of the
 * fund's config is audited (`ConfigApplied`, from → to, why).
 */
export async function applyConfigIn(tx: Repos, cfg: FundConfig, actor: string, now: string, o: { readonly note?: string } = {}): Promise<AppliedConfig> {
  const hash = configHash(cfg);
  const existing = await tx.funds.get(cfg.fund.id);
  await tx.funds.upsert({
    id: cfg.fund.id,
    name: cfg.fund.name,
    baseCurrency: cfg.fund.currency,
    initialCapital: cfg.fund.totalCapital,
    tradingState: existing?.tradingState ?? 'ACTIVE',
    drawdownState: existing?.drawdownState ?? 'normal',
    highWaterMark: existing?.highWaterMark ?? null,
    hwmDate: existing?.hwmDate ?? null,
    configHash: hash,
  });
  const known = new Map((await tx.funds.agents(cfg.fund.id)).map((a) => [a.id, a]));
  await tx.funds.upsertAgents(
    cfg.agents.map((a) => ({
      fundId: cfg.fund.id,
      id: a.id,
      strategy: a.strategy,
      bucket: agentBucket(a),
      riskDrivers: [...agentRiskDrivers(a)],
      allocatedCapital: a.allocatedCapital,
      riskParams: resolveAgentRisk(cfg, a),
      drawdownState: known.get(a.id)?.drawdownState ?? 'normal',
      highWaterMark: known.get(a.id)?.highWaterMark ?? null,
      hwmDate: known.get(a.id)?.hwmDate ?? null,
      isEnabled: a.enabled,
      metrics: known.get(a.id)?.metrics ?? {},
    })),
  );
  const isNew = await tx.configVersions.save({ hash, fundId: cfg.fund.id, config: cfg, createdAt: now, createdBy: actor, ...(o.note ? { note: o.note } : {}) });
  if (isNew) {
    await tx.audit.append({ at: now, actor, action: 'ConfigSaved', entity: 'config', entityId: hash, payload: { fundId: cfg.fund.id } });
  }
  const previous = existing?.configHash ?? null;
  if (existing && previous !== hash) {
    await tx.audit.append({ at: now, actor, action: 'ConfigApplied', entity: 'fund', entityId: cfg.fund.id, payload: { from: previous, to: hash, note: o.note ?? '' } });
  }
  return { hash, isNew, previous };
}

/**
 * Registers the fund and its agents from a validated config, in one transaction (idempotent):
 * creates a fund, or makes `cfg` an existing fund's config (see `applyConfigIn`). Only seeding
 * and deliberate changes (`keel config apply`, controls) call it: a run never overwrites a
 * fund's config with its config file.
 */
export async function registerFund(store: Store, cfg: FundConfig, actor: string, now: string, o: { readonly note?: string } = {}): Promise<AppliedConfig> {
  return store.transaction((tx) => applyConfigIn(tx, cfg, actor, now, o));
}
