import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import {
  agentBucket,
  agentRiskDrivers,
  configHash,
  defaultFundConfigInput,
  parseFundConfig,
  resolveAgentRisk,
  type FundConfig,
} from '../../contracts/index.ts';
import type { Store } from '../../store/index.ts';
import type { CliContext } from '../context.ts';
import { emit } from '../output.ts';
import { parsePositive } from './args.ts';

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

export function registerInitCommand(program: Command, ctx: CliContext): void {
  program
    .command('init')
    .description('create .keel/ (or KEEL_HOME) with the database and the default fund config')
    .option('--capital <dollars>', 'total capital of the default fund', parsePositive('--capital'))
    .option('--force', 'overwrite an existing fund.json with the default config')
    .option('--json', 'print the result as JSON')
    .action(async (o: { capital?: number; force?: boolean; json?: boolean }) => {
      mkdirSync(ctx.home, { recursive: true });
      const wrote = o.force === true || !existsSync(ctx.configPath);
      if (wrote) {
        const input = defaultFundConfigInput(o.capital ?? 100_000_000);
        parseFundConfig(input);
        writeFileSync(ctx.configPath, `${JSON.stringify(input, null, 2)}\n`);
      }
      const cfg = ctx.loadConfig();
      const store = await ctx.store();
      const { hash } = await registerFund(store, cfg, 'cli', new Date().toISOString());
      const result = { home: ctx.home, config: ctx.configPath, wroteConfig: wrote, fund: cfg.fund.id, agents: cfg.agents.length, configHash: hash, database: store.db.kind };
      emit(ctx.io, o.json === true, result, () =>
        [
          `Keel home: ${ctx.home} (${store.db.kind})`,
          `${wrote ? 'wrote' : 'kept'} ${ctx.configPath}`,
          `fund '${cfg.fund.id}' with ${cfg.agents.length} agents, config ${hash.slice(0, 12)}…`,
          `next: keel market generate, then keel backtest --from … --to …`,
        ].join('\n'),
      );
    });
}
