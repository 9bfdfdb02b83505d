import type { Command } from 'commander';
import type { MacroObservation } from '../../contracts/index.ts';
import { assessPanelQuality, generateSyntheticMarket, regimePath, syntheticBars, syntheticPanel } from '../../market/index.ts';
import type { CliContext } from '../context.ts';
import { emit } from '../output.ts';
import { parseDate, parseInteger, parsePositive } from '../commands/args.ts';
import { stepProgress } from './progress.ts';

interface GenerateOptions {
  symbols: number;
  years: number;
  seed: number;
  start?: string;
  json?: boolean;
}

/** `keel market generate`: the synthetic market into the store (idempotent for the same seed). */
export function registerGenerate(market: Command, ctx: CliContext): void {
  market
    .command('generate')
    .description('generate the synthetic market (deterministic by seed) and store instruments, bars, fundamentals, reference series and data quality')
    .option('--symbols <n>', 'number of names', parseInteger('--symbols', 1), 500)
    .option('--years <y>', 'years of daily history (252 weekdays each)', parsePositive('--years'), 6)
    .option('--seed <s>', 'random seed', parseInteger('--seed', 0), 42)
    .option('--start <date>', 'first date YYYY-MM-DD (default 2018-01-01)', parseDate('--start'))
    .option('--json', 'print the result as JSON')
    .action(async (o: GenerateOptions) => {
      const m = generateSyntheticMarket({ symbols: o.symbols, years: o.years, seed: o.seed, ...(o.start ? { start: o.start } : {}) });
      const store = await ctx.store();
      const macro: MacroObservation[] = [];
      const series = new Map<string, Float64Array>([['market', m.index], ['vix', m.vix], ...m.factors]);
      for (const [name, values] of series) {
        m.dates.forEach((date, t) => macro.push({ version: 1, series: name, date, releaseTime: `${date}T21:00:00.000Z`, value: values[t] ?? Number.NaN }));
      }
      const quality = assessPanelQuality(syntheticPanel(m), { config: ctx.loadConfig().data });
      await store.instruments.upsert(m.instruments);
      const load = await store.bars.load(syntheticBars(m), { onProgress: stepProgress(ctx.io, 'loading') });
      const fundamentals = await store.fundamentals.insertMany([...m.fundamentals.values()].flat());
      const macroRows = await store.macro.insertMany(macro);
      await store.dataQuality.upsert(quality);
      const regimes: Record<string, number> = {};
      for (const r of regimePath(m)) regimes[r] = (regimes[r] ?? 0) + 1;
      const result = {
        seed: o.seed,
        symbols: m.U,
        days: m.T,
        from: m.dates[0],
        to: m.dates[m.T - 1],
        bars: { total: load.total, inserted: load.inserted, skipped: load.skipped },
        fundamentalsInserted: fundamentals,
        referenceSeries: [...series.keys()],
        referenceObservationsInserted: macroRows,
        regimeDays: regimes,
        active: quality.filter((q) => q.state === 'ACTIVE').length,
      };
      emit(ctx.io, o.json === true, result, () =>
        [
          `synthetic market seed ${o.seed}: ${m.U} names × ${m.T} days (${result.from} … ${result.to})`,
          `bars: ${load.inserted} new, ${load.skipped} already stored`,
          `fundamentals: ${fundamentals} new; reference series ${result.referenceSeries.join(', ')}`,
          `regime days: ${Object.entries(regimes).map(([k, v]) => `${k} ${v}`).join(', ')}`,
          `${result.active} of ${m.U} symbols ACTIVE under the configured data thresholds`,
        ].join('\n'),
      );
    });
}
