import { Option, type Command } from 'commander';
import path from 'node:path';
import { ValidationError } from '../../core/index.ts';
import type { Bar, Instrument } from '../../contracts/index.ts';
import {
  INDEX_SYMBOL,
  VIX_SYMBOL,
  importLongBars,
  importSectorMap,
  fredCsvOptions,
  importSeries,
  importSymbolBars,
  instrumentsFor,
  normaliseHeader,
  readFirstLine,
  splitCsvLine,
  summariseReport,
  type BarsImport,
  type ImportReport,
  type ReadProgress,
} from '../../market/index.ts';
import type { CliContext } from '../context.ts';
import { emit } from '../output.ts';
import { stepProgress } from './progress.ts';
import { parseInteger } from '../commands/args.ts';

type Kind = 'bars' | 'index' | 'vix' | 'factors' | 'macro';

interface ImportOptions {
  kind: Kind;
  sectors?: string;
  symbol?: string;
  adjusted?: boolean;
  percent: boolean;
  releaseLagDays?: number;
  json?: boolean;
}

/** Long format when the header has a Name/symbol/ticker column, else one symbol per file. */
async function readBars(file: string, o: ImportOptions, onProgress: (p: ReadProgress) => void): Promise<BarsImport> {
  const header = splitCsvLine(await readFirstLine(file)).map(normaliseHeader);
  const isLong = ['name', 'symbol', 'ticker'].some((h) => header.includes(h));
  if (o.kind === 'bars' && isLong) return importLongBars(file, { onProgress });
  const symbol = o.symbol ?? (o.kind === 'index' ? INDEX_SYMBOL : o.kind === 'vix' ? VIX_SYMBOL : undefined);
  return importSymbolBars(file, { onProgress, ...(symbol ? { symbol } : {}), ...(o.adjusted ? { adjusted: true } : {}) });
}

function reportJson(r: ImportReport) {
  return { rows: r.rows, kept: r.kept, repaired: r.repaired, skipped: r.skipped, counts: r.counts, blankFields: r.blankFields, issues: r.issues };
}

/** `keel market import <file>`: bars, an index, a volatility index, factor or FRED macro series into the store. */
export function registerImport(market: Command, ctx: CliContext): void {
  market
    .command('import')
    .description('import a CSV (plain or .gz): long-format or per-symbol bars, an index, a volatility index, factor series, or FRED macro series; re-importing adds nothing')
    .argument('<file>', 'CSV file, e.g. ../shared/data/sp500_5yr_daily.csv.gz')
    .addOption(new Option('--kind <kind>', 'what the file holds (macro: a FRED CSV download, DATE,<SERIES_ID>…)').choices(['bars', 'index', 'vix', 'factors', 'macro']).default('bars'))
    .option('--sectors <file>', 'sector map CSV (sp500_5yr_sectors.csv or sp500_constituents.csv)')
    .option('--symbol <symbol>', 'symbol for a per-symbol file (default: from the file name; SPX for --kind index, VIX for --kind vix)')
    .option('--adjusted', 'scale Yahoo OHLC by Adj Close / Close')
    .option('--no-percent', 'factor values are fractions already (default: percent, divided by 100)')
    .option('--release-lag-days <days>', '--kind macro: days from an observation date to its publication (default: data.macroReleaseLagDays, the built-in table, else 1)', parseInteger('--release-lag-days', 0))
    .option('--json', 'print the result, with every reported defect, as JSON')
    .action(async (file: string, o: ImportOptions) => {
      const abs = path.resolve(ctx.io.cwd, file);
      const readBar = stepProgress(ctx.io, 'reading');
      const onProgress = (p: ReadProgress) => readBar(p.bytesRead, p.totalBytes);
      if (o.releaseLagDays !== undefined && o.kind !== 'macro') throw new ValidationError('--release-lag-days', 'applies to --kind macro only');
      if (o.kind === 'factors' || o.kind === 'macro') {
        if (o.sectors) throw new ValidationError('--sectors', `applies to bars, not to --kind ${o.kind}`);
        const options = o.kind === 'macro' ? fredCsvOptions(o.releaseLagDays ?? (await ctx.loadConfig()).data.macroReleaseLagDays) : { percent: o.percent };
        const r = await importSeries(abs, { onProgress, ...options });
        const store = await ctx.store();
        let inserted = 0;
        let total = 0;
        for (const list of r.series.values()) {
          total += list.length;
          inserted += await store.macro.insertMany(list);
        }
        const result = { file, kind: o.kind, series: [...r.series.keys()], observations: total, inserted, skipped: total - inserted, report: reportJson(r.report) };
        emit(ctx.io, o.json === true, result, () =>
          [`${file}: ${summariseReport(r.report)}`, `series ${result.series.join(', ')}: ${inserted} new observations, ${total - inserted} already stored`].join('\n'),
        );
        return;
      }
      const sectors = o.sectors ? (await importSectorMap(path.resolve(ctx.io.cwd, o.sectors))).sectors : undefined;
      const r = await readBars(abs, o, onProgress);
      const assetClass: Instrument['assetClass'] = o.kind === 'index' ? 'index' : o.kind === 'vix' ? 'volatility_index' : 'equity';
      const instruments = instrumentsFor(r.symbols, sectors, assetClass);
      const store = await ctx.store();
      const known = new Map((await store.instruments.list()).map((i) => [i.symbol, i]));
      // keep what an earlier import knew (a sector) unless this import brings something new
      const merged = instruments.map((i) => {
        const k = known.get(i.symbol);
        return k ? { ...i, sector: i.sector ?? k.sector, name: i.name || k.name } : i;
      });
      await store.instruments.upsert(merged);
      const bars: readonly Bar[] = r.bars;
      const load = await store.bars.load(bars, { onProgress: stepProgress(ctx.io, 'loading') });
      const unmapped = sectors ? r.symbols.filter((s) => !sectors.has(s)) : [];
      const result = {
        file,
        kind: o.kind,
        symbols: r.symbols.length,
        bars: { total: load.total, inserted: load.inserted, skipped: load.skipped },
        sectorsMapped: sectors ? r.symbols.length - unmapped.length : 0,
        unmappedSymbols: unmapped,
        report: reportJson(r.report),
      };
      emit(ctx.io, o.json === true, result, () =>
        [
          `${file}: ${summariseReport(r.report)}`,
          ...r.report.issues.slice(0, 30).map((i) => `  line ${i.line} ${i.symbol} ${i.date}: ${i.problem} (${i.action}; ${i.detail})`),
          ...(r.report.issues.length > 30 ? [`  … ${r.report.issues.length - 30} more (see --json)`] : []),
          `${r.symbols.length} symbols; bars: ${load.inserted} new, ${load.skipped} already stored`,
          ...(sectors ? [`sectors: ${result.sectorsMapped} mapped${unmapped.length ? `, none for ${unmapped.slice(0, 10).join(' ')}` : ''}`] : []),
        ].join('\n'),
      );
    });
}
