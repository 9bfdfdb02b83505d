import type { IsoDate } from '../../core/index.ts';
import type { Bar, Instrument, MacroObservation } from '../../contracts/index.ts';
import { importLongBars, type BarsImport } from '../import/long-bars.ts';
import { importSectorMap } from '../import/sectors.ts';
import { importSeries } from '../import/factors.ts';
import { instrumentsFor } from '../import/reference.ts';
import type { MarketSource } from './market-source.ts';
import { ProviderError } from './provider-error.ts';

export interface FileSourceOptions {
  /** Long-format bars file (plain or .gz). */
  readonly bars: string;
  /** Sector map (sp500_5yr_sectors.csv or constituents). */
  readonly sectors?: string;
  /** Date-keyed series files (e.g. ff3_daily.csv, in percent unless `percent: false`). */
  readonly series?: ReadonlyArray<{ readonly path: string; readonly percent?: boolean }>;
}

/** Market data from local files, read once on first use and then served from memory. */
export class FileMarketSource implements MarketSource {
  readonly name = 'file';
  private loaded: Promise<{ bars: BarsImport; instruments: Instrument[] }> | undefined;
  private series: Promise<MacroObservation[]> | undefined;

  constructor(private readonly o: FileSourceOptions) {}

  private load() {
    this.loaded ??= (async () => {
      const bars = await importLongBars(this.o.bars);
      const sectors = this.o.sectors ? (await importSectorMap(this.o.sectors)).sectors : undefined;
      return { bars, instruments: instrumentsFor(bars.symbols, sectors) };
    })();
    return this.loaded;
  }

  async instruments(): Promise<Instrument[]> {
    return (await this.load()).instruments;
  }

  async bars(symbols: readonly string[], from: IsoDate, to: IsoDate): Promise<Bar[]> {
    const wanted = new Set(symbols);
    return (await this.load()).bars.bars.filter((b) => wanted.has(b.symbol) && b.date >= from && b.date <= to);
  }

  async macro(series: readonly string[], from: IsoDate, to: IsoDate): Promise<MacroObservation[]> {
    if (!this.o.series?.length) throw new ProviderError(this.name, 'unsupported', 'no series files configured');
    this.series ??= (async () => {
      const all: MacroObservation[] = [];
      for (const f of this.o.series ?? []) {
        const r = await importSeries(f.path, f.percent === undefined ? {} : { percent: f.percent });
        for (const list of r.series.values()) all.push(...list);
      }
      return all;
    })();
    const wanted = new Set(series);
    return (await this.series).filter((o) => wanted.has(o.series) && o.date >= from && o.date <= to);
  }
}
