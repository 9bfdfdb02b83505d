import type { Command } from 'commander';
import type { DataQuality, GovernanceThresholds } from '../../contracts/index.ts';
import { assessStoredQuality } from '../../fund/index.ts';
import type { CliContext } from '../context.ts';
import { emit, table } from '../output.ts';
import { parseInteger, parsePositive } from '../commands/args.ts';

interface QualityOptions {
  json?: boolean;
  config?: string;
  minHistory?: number;
  degradedMin?: number;
  minQuality?: number;
}

/** `keel market quality`: the seed's quality score and governance state of every stored symbol. */
export function registerQuality(market: Command, ctx: CliContext): void {
  market
    .command('quality')
    .description('score every stored symbol (missing dates, duplicates, zero/negative values, spikes) and classify it ACTIVE / DEGRADED / QUARANTINED')
    .option('--config <file>', 'fund config whose data section gives the thresholds (default: KEEL_HOME/fund.json or the defaults)')
    .option('--min-history <rows>', 'rows of history for ACTIVE (overrides data.minHistoryRows)', parseInteger('--min-history', 1))
    .option('--degraded-min <rows>', 'rows for DEGRADED rather than QUARANTINED (overrides data.degradedMinRows)', parseInteger('--degraded-min', 0))
    .option('--min-quality <score>', 'minimum score for ACTIVE, 0..1 (overrides data.minQuality)', parsePositive('--min-quality'))
    .option('--json', 'print one object per symbol as JSON')
    .action(async (o: QualityOptions) => {
      const base = (await ctx.loadConfig(o.config)).data;
      const cfg: GovernanceThresholds = {
        minHistoryRows: o.minHistory ?? base.minHistoryRows,
        degradedMinRows: o.degradedMin ?? base.degradedMinRows,
        minQuality: o.minQuality ?? base.minQuality,
      };
      const q = await assessStoredQuality(await ctx.store(), cfg);
      const count = (s: DataQuality['state']) => q.filter((x) => x.state === s).length;
      emit(ctx.io, o.json === true, q, () =>
        q.length === 0
          ? 'no bars stored: run keel market generate or keel market import first'
          : [
              table(
                ['symbol', 'rows', 'missing%', 'dup%', 'zero/neg', 'spike', 'score', 'state'],
                q.map((x) => [x.symbol, x.rows, (100 * x.missingDatesPct).toFixed(2), (100 * x.duplicatePct).toFixed(2), x.hasZeroOrNegative ? 'yes' : '', x.hasExtremeSpike ? 'yes' : '', x.score.toFixed(3), x.state]),
              ),
              `${q.length} symbols: ${count('ACTIVE')} ACTIVE, ${count('DEGRADED')} DEGRADED, ${count('QUARANTINED')} QUARANTINED (minHistoryRows ${cfg.minHistoryRows}, degradedMinRows ${cfg.degradedMinRows}, minQuality ${cfg.minQuality})`,
            ].join('\n'),
      );
    });
}
