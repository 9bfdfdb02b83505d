/**
 * Market data benchmarks: building a 500 × 1260 Panel + MarketView from bars, generating the
 * synthetic market (500 × 1512), and streaming the real 5-year file (when ../shared/data exists).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { BenchCase, BenchSuite } from '../harness.ts';
import {
  assessQuality,
  generateSyntheticMarket,
  importLongBars,
  panelFromBars,
  syntheticBars,
  viewAt,
  type SyntheticMarket,
} from '../../src/market/index.ts';

const realFile = path.resolve(process.cwd(), '../shared/data/sp500_5yr_daily.csv.gz');

const cases: BenchCase[] = [
  {
    name: 'panelFromBars + viewAt, 500 × 1260 (630k bars)',
    setup: () => {
      const m = generateSyntheticMarket({ symbols: 500, years: 5, seed: 1 });
      return { m, bars: syntheticBars(m) };
    },
    run: (s) => {
      const { m, bars } = s as { m: SyntheticMarket; bars: ReturnType<typeof syntheticBars> };
      const panel = panelFromBars(m.instruments, bars);
      return viewAt(panel, panel.T - 1).close(0);
    },
    opsPerRun: 1,
    runs: 10,
  },
  {
    name: 'generateSyntheticMarket 500 × 1512',
    run: () => generateSyntheticMarket({ symbols: 500, years: 6, seed: 7 }).close[0],
    runs: 8,
    warmup: 1,
  },
  {
    name: 'assessQuality 500 symbols × 1260 bars',
    setup: () => syntheticBars(generateSyntheticMarket({ symbols: 500, years: 5, seed: 2 })),
    run: (bars) => assessQuality(bars as ReturnType<typeof syntheticBars>).length,
    runs: 5,
    warmup: 1,
  },
];

if (existsSync(realFile)) {
  cases.push({
    name: 'importLongBars sp500_5yr_daily.csv.gz (619,040 rows)',
    run: async () => (await importLongBars(realFile)).bars.length,
    runs: 3,
    warmup: 1,
  });
}

export const suites: BenchSuite[] = [{ name: 'market', cases }];
