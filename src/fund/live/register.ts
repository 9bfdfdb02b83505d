import { agentBucket, agentRiskDrivers, configHash, resolveAgentRisk, type FundConfig } from '../../contracts/index.ts';
import type { Store } from '../../store/index.ts';

/** Registers the fund and its agents from a validated config (idempotent). */
export async function registerFund(store: Store, cfg: FundConfig, actor: string, now: string): Promise<{ hash: string; isNew: boolean }> {
  const hash = configHash(cfg);
  return store.transaction(async (tx) => {
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
    const isNew = await tx.configVersions.save({ hash, fundId: cfg.fund.id, config: cfg, createdAt: now, createdBy: actor });
    if (isNew) {
      await tx.audit.append({ at: now, actor, action: 'ConfigSaved', entity: 'config', entityId: hash, payload: { fundId: cfg.fund.id } });
    }
    return { hash, isNew };
  });
}

