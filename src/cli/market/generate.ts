import type { Command } from 'commander';
import type { MacroObservation } from '../../contracts/index.ts';
import { assessPanelQuality, generateSyntheticMarket, regimePath, syntheticBars, syntheticPanel, withTradableProxies } from '../../market/index.ts';
import type { CliContext } from '../context.ts';
import { emit } from '../output.ts';
import { parseDate, parseInteger, parsePositive } from '../commands/args.ts';
import { stepProgress } from './progress.ts';

interface GenerateOptions {
  proxies: boolean;
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
    .option('--no-proxies', 'do not add the tradable SPY and VXX proxies')
    .option('--json', 'print the result as JSON')
    .action(async (o: GenerateOptions) => {
      const result = await storeSyntheticMarket(ctx, o);
      emit(ctx.io, o.json === true, result, () => formatSyntheticMarket(result));
    });
}

export interface StoredSyntheticMarket {
  seed: number;
  symbols: number;
  days: number;
  from: string | undefined;
  to: string | undefined;
  bars: { total: number; inserted: number; skipped: number };
  fundamentalsInserted: number;
  referenceSeries: string[];
  referenceObservationsInserted: number;
  regimeDays: Record<string, number>;
  active: number;
  /** The history gate the symbols were assessed against (data.minHistoryRows). */
  minHistoryRows: number;
}

export function formatSyntheticMarket(r: StoredSyntheticMarket): string {
  return [
    `synthetic market seed ${r.seed}: ${r.symbols} names × ${r.days} days (${r.from} … ${r.to})`,
    `bars: ${r.bars.inserted} new, ${r.bars.skipped} already stored`,
    `fundamentals: ${r.fundamentalsInserted} new; reference series ${r.referenceSeries.join(', ')}`,
    `regime days: ${Object.entries(r.regimeDays).map(([k, v]) => `${k} ${v}`).join(', ')}`,
    `${r.active} of ${r.symbols} symbols ACTIVE under the configured data thresholds`,
    ...(r.active === 0 && r.days < r.minHistoryRows ? [`no symbol is tradable, so no agent can trade: ${r.days} days of history is fewer than data.minHistoryRows (${r.minHistoryRows}); generate more (--years ${Math.ceil(r.minHistoryRows / 252)} or more) or lower data.minHistoryRows and data.degradedMinRows in the fund config, then keel market quality`] : []),
  ].join('\n');
}

/** Generates the synthetic market and stores it (instruments, bars, fundamentals, reference series, quality). Idempotent per seed. */
export async function storeSyntheticMarket(
  ctx: CliContext,
  o: { symbols: number; years: number; seed: number; start?: string; proxies?: boolean },
): Promise<StoredSyntheticMarket> {
  const generated = generateSyntheticMarket({ symbols: o.symbols, years: o.years, seed: o.seed, ...(o.start ? { start: o.start } : {}) });
  // SPY and VXX proxies make the index and the volatility premium tradable (the vol agent's instruments).
  const m = o.proxies === false ? generated : withTradableProxies(generated);
  const store = await ctx.store();
  const macro: MacroObservation[] = [];
  const series = new Map<string, Float64Array>([['market', m.index], ['vix', m.vix], ...m.factors]);
  for (const [name, values] of series) {
    m.dates.forEach((date, t) => macro.push({ version: 1, series: name, date, releaseTime: `${date}T21:00:00.000Z`, value: values[t] ?? Number.NaN }));
  }
  const dataConfig = (await ctx.loadConfig()).data;
  const quality = assessPanelQuality(syntheticPanel(m), { config: dataConfig });
  await store.instruments.upsert(m.instruments);
  const load = await store.bars.load(syntheticBars(m), { onProgress: stepProgress(ctx.io, 'loading') });
  const fundamentals = await store.fundamentals.insertMany([...m.fundamentals.values()].flat());
  const macroRows = await store.macro.insertMany(macro);
  await store.dataQuality.upsert(quality);
  const regimes: Record<string, number> = {};
  for (const r of regimePath(m)) regimes[r] = (regimes[r] ?? 0) + 1;
  return {
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
    minHistoryRows: dataConfig.minHistoryRows,
  };
}
