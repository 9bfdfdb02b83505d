import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { defaultFundConfigInput, parseFundConfig } from '../../contracts/index.ts';
import { describeDifferences } from '../../fund/index.ts';
import type { CliContext } from '../context.ts';
import { emit } from '../output.ts';
import { parsePositive } from './args.ts';

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
      const { config: cfg, hash, seeded, drift } = await ctx.fundConfig();
      const store = await ctx.store();
      const result = { home: ctx.home, config: ctx.configPath, wroteConfig: wrote, fund: cfg.fund.id, createdFund: seeded, agents: cfg.agents.length, configHash: hash, database: store.db.kind, differences: drift };
      emit(ctx.io, o.json === true, result, () =>
        [
          `Keel home: ${ctx.home} (${store.db.kind})`,
          `${wrote ? 'wrote' : 'kept'} ${ctx.configPath}`,
          `${seeded ? 'created' : 'kept'} fund '${cfg.fund.id}' with ${cfg.agents.length} agents, config ${hash.slice(0, 12)}…${drift.length > 0 ? ` (fund.json differs: ${describeDifferences(drift)}; keel config apply to apply it)` : ''}`,
          `next: keel market generate, then keel backtest --from … --to …`,
        ].join('\n'),
      );
    });
}
