import type { IsoDate } from '../../core/index.ts';
import type { Bar, Fundamentals, Instrument, MacroObservation } from '../../contracts/index.ts';

/**
 * One provider of market data. Dates are inclusive calendar dates; bars are daily, in the
 * provider's adjustment (documented per source); macro values in the series' own units.
 * Failures are ProviderError, classified so the DataRouter knows what to retry.
 */
export interface MarketSource {
  /** Short stable name used in logs and route records (`file`, `alpaca`, `polygon`, `fred`). */
  readonly name: string;
  instruments(): Promise<Instrument[]>;
  bars(symbols: readonly string[], from: IsoDate, to: IsoDate): Promise<Bar[]>;
  fundamentals?(): Promise<Fundamentals[]>;
  macro?(series: readonly string[], from: IsoDate, to: IsoDate): Promise<MacroObservation[]>;
}
