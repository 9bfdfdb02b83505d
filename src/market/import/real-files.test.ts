import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importIndexSeries, importLongBars, importSectorMap, importSeries, instrumentsFor, panelFromBars, type BarsImport } from '../index.ts';

const dir = path.resolve(process.cwd(), '../shared/data');
const file = (f: string) => path.join(dir, f);

/** Counts from ../shared/data/SOURCES.md. */
describe.skipIf(!existsSync(file('sp500_5yr_daily.csv.gz')))('real data files (skipped when ../shared/data is absent)', () => {
  let sp: BarsImport;

  it('imports all 619,040 rows of 505 symbols and reports the published defects', async () => {
    sp = await importLongBars(file('sp500_5yr_daily.csv.gz'));
    const r = sp.report;
    expect(r.rows).toBe(619_040);
    expect(sp.bars).toHaveLength(619_040);
    expect(sp.symbols).toHaveLength(505);
    expect(r.skipped).toBe(0);
    expect(r.counts.BLANK_FIELD).toBe(11);
    expect(r.blankFields).toEqual({ open: 11, high: 8, low: 8 });
    expect(r.counts.ZERO_VOLUME).toBe(4);
    expect(r.counts.OHLC_INCONSISTENT).toBe(12);
    expect(r.counts.NON_POSITIVE_PRICE).toBe(0);
    expect(r.repaired).toBe(23);
    const blank = r.issues.filter((i) => i.problem === 'BLANK_FIELD').map((i) => `${i.symbol} ${i.date}`);
    expect(blank).toEqual([
      'BHF 2017-07-26', 'DHR 2015-07-17', 'DHR 2016-01-12', 'ES 2015-07-17', 'FTV 2016-07-01', 'O 2015-07-17',
      'O 2016-01-12', 'REGN 2015-06-09', 'UA 2016-04-07', 'VRTX 2015-05-12', 'WRK 2015-06-26',
    ]);
    const zero = r.issues.filter((i) => i.problem === 'ZERO_VOLUME').map((i) => `${i.symbol} ${i.date}`);
    expect(zero).toEqual(['DHR 2016-01-12', 'FTV 2016-07-01', 'O 2016-01-12', 'UA 2016-04-07']);
    const ohlc = r.issues.filter((i) => i.problem === 'OHLC_INCONSISTENT').map((i) => `${i.symbol} ${i.date}`);
    expect(ohlc).toEqual([
      'AOS 2014-05-19', 'BBY 2016-03-14', 'CHD 2014-05-19', 'CHK 2014-06-30', 'DHR 2014-11-06', 'IP 2014-07-01',
      'LNT 2016-05-19', 'O 2014-08-27', 'O 2014-11-06', 'SPG 2014-05-28', 'UA 2016-06-10', 'WRK 2016-05-13',
    ]);
    for (const b of sp.bars) {
      if (!(b.high >= Math.max(b.open, b.close) && b.low <= Math.min(b.open, b.close))) throw new Error(`${b.symbol} ${b.date} not bracketing`);
    }
  });

  it('builds a 1,259 × 505 panel with late starters and gaps as NaN', async () => {
    const sectors = (await importSectorMap(file('sp500_5yr_sectors.csv'))).sectors;
    expect(sectors.size).toBe(505);
    const p = panelFromBars(instrumentsFor(sp.symbols, sectors), sp.bars);
    expect(p.T).toBe(1259);
    expect(p.U).toBe(505);
    expect(p.dates[0]).toBe('2013-02-08');
    expect(p.dates[p.T - 1]).toBe('2018-02-07');
    const count = (s: string) => {
      const u = p.columnOf.get(s) ?? -1;
      let n = 0;
      for (let t = 0; t < p.T; t++) if (Number.isFinite(p.close[t * p.U + u])) n++;
      return n;
    };
    let full = 0;
    for (const s of p.symbols) if (count(s) === 1259) full++;
    expect(full).toBe(470);
    expect(p.close[(p.rowOf.get('2017-12-04') ?? 0) * p.U + (p.columnOf.get('APTV') ?? 0)]).toBeNaN();
    expect(p.sectors[p.columnOf.get('AAL') ?? 0]).toBe('Industrials');
  });

  it('reads the sector, index, volatility and factor files with their published counts', async () => {
    expect((await importSectorMap(file('sp500_constituents.csv'))).sectors.size).toBe(503);
    expect((await importSectorMap(file('sp500_constituents_2018-04.csv'))).sectors.size).toBe(505);
    const spx = await importIndexSeries(file('spx_daily.csv'));
    expect(spx.bars).toHaveLength(8_564);
    const vix = await importIndexSeries(file('vix_daily.csv'), { symbol: 'VIX' });
    expect(vix.bars).toHaveLength(9_235);
    expect(vix.report.counts.OHLC_INCONSISTENT).toBe(47);
    const ff3 = await importSeries(file('ff3_daily.csv'));
    expect([...ff3.series.keys()]).toEqual(['mkt_rf', 'smb', 'hml', 'rf']);
    expect(ff3.series.get('mkt_rf')).toHaveLength(25_543);
    expect(ff3.series.get('mkt_rf')?.[0]?.value).toBeCloseTo(0.001, 12); // 0.10 % on 1926-07-01
    const mom = await importSeries(file('ff_mom_daily.csv'));
    expect(mom.series.get('mom')).toHaveLength(25_442);
    expect(mom.series.get('mom')?.[0]).toMatchObject({ date: '1926-11-03' });
    expect(mom.series.get('mom')?.[0]?.value).toBeCloseTo(0.0056, 12);
  });
});
