import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { KeelError, ValidationError } from '../../core/index.ts';
import {
  importLongBars,
  importSymbolBars,
  parseLongBars,
  parseSectorMap,
  parseSeries,
  parseSymbolBars,
  splitCsvLine,
  symbolFromFileName,
  type ReadProgress,
} from '../index.ts';

const HEADER = 'date,open,high,low,close,volume,Name';

describe('CSV splitting', () => {
  it('handles quoted fields with commas and escaped quotes', () => {
    expect(splitCsvLine('MMM,3M,"Saint Paul, Minnesota",1902')).toEqual(['MMM', '3M', 'Saint Paul, Minnesota', '1902']);
    expect(splitCsvLine('a,"say ""hi""",')).toEqual(['a', 'say "hi"', '']);
  });
});

describe('long-format bars: defects policy', () => {
  const text = [
    HEADER,
    '2015-07-16,10,11,9,10.5,1000,AAA',
    '2015-07-17,,11,9,10.5,1000,AAA', // blank open → open = close, repaired
    '2015-07-20,,,,10.7,0,AAA', // blank o/h/l and zero volume
    '2015-07-21,10,10.2,9.9,10.6,500,AAA', // high below close → repaired
    '2015-07-21,10,10.9,9.9,10.6,500,AAA', // duplicate → skipped
    '2015-07-22,10,11,9,,500,AAA', // blank close → skipped
    '2015-07-23,0,11,9,10,500,AAA', // zero price → skipped
    '',
    '2015-07-16,20,21,19,20.5,2000,BBB',
  ].join('\n');
  const r = parseLongBars(text, 'mem.csv');

  it('keeps, repairs or skips each defective row and counts it', () => {
    expect(r.report.rows).toBe(8);
    expect(r.report.kept).toBe(5);
    expect(r.report.skipped).toBe(3);
    expect(r.report.repaired).toBe(3);
    expect(r.report.counts).toMatchObject({ BLANK_FIELD: 2, ZERO_VOLUME: 1, OHLC_INCONSISTENT: 1, DUPLICATE: 1, MISSING_CLOSE: 1, NON_POSITIVE_PRICE: 1 });
    expect(r.report.blankFields).toEqual({ open: 2, high: 1, low: 1, close: 1 });
    expect(r.symbols).toEqual(['AAA', 'BBB']);
    const byDate = new Map(r.bars.filter((b) => b.symbol === 'AAA').map((b) => [b.date, b]));
    expect(byDate.get('2015-07-17')).toMatchObject({ open: 10.5, high: 11, low: 9, close: 10.5 });
    expect(byDate.get('2015-07-20')).toMatchObject({ open: 10.7, high: 10.7, low: 10.7, close: 10.7, volume: 0 });
    expect(byDate.get('2015-07-21')).toMatchObject({ high: 10.6, low: 9.9 });
    expect(byDate.get('2015-07-21')?.high).toBe(10.6);
  });

  it('reports each issue with line, symbol, date, problem and action', () => {
    const dup = r.report.issues.find((i) => i.problem === 'DUPLICATE');
    expect(dup).toMatchObject({ line: 6, symbol: 'AAA', date: '2015-07-21', action: 'skipped' });
    const incons = r.report.issues.find((i) => i.problem === 'OHLC_INCONSISTENT');
    expect(incons).toMatchObject({ line: 5, action: 'repaired' });
  });

  it('rejects a missing or unknown column naming it and what was expected', () => {
    expect(() => parseLongBars('date,open,high,low,close,Name\n', 'x.csv')).toThrow(/x\.csv:1: missing column 'volume'.*expected header date,open,high,low,close,volume,Name/);
    expect(() => parseLongBars(`${HEADER},extra\n`, 'x.csv')).toThrow(/x\.csv:1:8: unknown column 'extra'/);
    expect(() => parseLongBars('', 'x.csv')).toThrow(ValidationError);
  });

  it('rejects a malformed date or number with line and column', () => {
    expect(() => parseLongBars(`${HEADER}\n2015-07-16,1,1,1,1,1,A\n07/17/2015,1,1,1,1,1,A\n`, 'x.csv')).toThrow(/x\.csv:3:1: date '07\/17\/2015'/);
    expect(() => parseLongBars(`${HEADER}\n2015-02-30,1,1,1,1,1,A\n`, 'x.csv')).toThrow(/x\.csv:2:1/);
    expect(() => parseLongBars(`${HEADER}\n2015-07-16,1,abc,1,1,1,A\n`, 'x.csv')).toThrow(/x\.csv:2:3: high 'abc' is not a number/);
  });
});

describe('per-symbol bars (Yahoo, Stooq, index files)', () => {
  it('reads Yahoo with null rows and optional adjustment', () => {
    const yahoo = 'Date,Open,High,Low,Close,Adj Close,Volume\n2020-01-02,100,102,99,101,50.5,10\n2020-01-03,null,null,null,null,null,null\n';
    const raw = parseSymbolBars(yahoo, { symbol: 'AAPL' });
    expect(raw.bars).toHaveLength(1);
    expect(raw.bars[0]).toMatchObject({ symbol: 'AAPL', close: 101 });
    expect(raw.report.counts.MISSING_CLOSE).toBe(1);
    const adj = parseSymbolBars(yahoo, { symbol: 'AAPL', adjusted: true });
    expect(adj.bars[0]?.close).toBeCloseTo(50.5, 12);
    expect(adj.bars[0]?.open).toBeCloseTo(50, 12);
  });

  it('reads Stooq and lower-case index files without volume', () => {
    const stooq = parseSymbolBars('Date,Open,High,Low,Close,Volume\n2020-01-02,1,2,0.5,1.5,100\n', { symbol: 'X' });
    expect(stooq.bars[0]).toMatchObject({ volume: 100 });
    const vix = parseSymbolBars('date,open,high,low,close\n2020-01-02,13,14,12.5,13.5\n', { symbol: 'VIX' });
    expect(vix.bars[0]).toMatchObject({ symbol: 'VIX', volume: 0 });
    expect(vix.report.counts.ZERO_VOLUME).toBe(0);
    expect(() => parseSymbolBars('Date,Open,High,Close\n', { symbol: 'X' })).toThrow(/missing column 'Low'/);
  });

  it('takes the symbol from the file name', () => {
    expect(symbolFromFileName('/d/AAPL.csv')).toBe('AAPL');
    expect(symbolFromFileName('/d/aapl.us.txt')).toBe('AAPL');
    expect(symbolFromFileName('/d/^GSPC.csv.gz')).toBe('^GSPC');
  });
});

describe('sector maps and factor series', () => {
  it('reads the 5-year sector file and the constituents file', () => {
    const a = parseSectorMap('Name,company_2018,sector_2018,sector_2018_source,gics_sector_current,gics_sub_industry_current\nA,Agilent,Health Care,x,Health Care,y\nAAL,American,Industrials,x,,\n');
    expect(a.sectors.get('AAL')).toEqual({ sector: 'Industrials', name: 'American' });
    const b = parseSectorMap('Symbol,Security,GICS Sector,GICS Sub-Industry,Headquarters Location\nMMM,3M,Industrials,Conglomerates,"Saint Paul, Minnesota"\n');
    expect(b.sectors.get('MMM')).toEqual({ sector: 'Industrials', name: '3M' });
    expect(() => parseSectorMap('Symbol,Security\nMMM,3M\n', 's.csv')).toThrow(/s\.csv:1: missing a sector column/);
  });

  it('converts percent factor returns to fractions and accepts YYYYMMDD', () => {
    const r = parseSeries('date,Mkt-RF,SMB,HML,RF\n19260701,0.10,-0.25,,0.009\n');
    expect(r.series.get('mkt_rf')?.[0]).toMatchObject({ date: '1926-07-01', value: 0.001, releaseTime: '1926-07-01T21:00:00.000Z' });
    expect(r.series.get('smb')?.[0]?.value).toBeCloseTo(-0.0025, 15);
    expect(r.series.get('hml')).toHaveLength(0);
    expect(r.report.counts.BLANK_VALUE).toBe(1);
    expect(parseSeries('date,x\n2020-01-01,5\n', { percent: false }).series.get('x')?.[0]?.value).toBe(5);
    expect(() => parseSeries('day,x\n')).toThrow(/missing column 'date'/);
  });
});

describe('streamed file reading', () => {
  const dir = mkdtempSync(join(tmpdir(), 'keel-market-'));
  const lines = [HEADER];
  for (let i = 0; i < 3000; i++) lines.push(`2020-01-${String((i % 28) + 1).padStart(2, '0')},1,2,0.5,1.5,${i},S${Math.floor(i / 28)}`);
  const text = `${lines.join('\r\n')}\r\n`;

  it('reads plain and gzip files identically and reports progress', async () => {
    writeFileSync(join(dir, 'b.csv'), text);
    writeFileSync(join(dir, 'b.csv.gz'), gzipSync(text));
    const progress: ReadProgress[] = [];
    const plain = await importLongBars(join(dir, 'b.csv'));
    const gz = await importLongBars(join(dir, 'b.csv.gz'), { onProgress: (p) => progress.push(p) });
    expect(plain.bars).toHaveLength(3000);
    expect(gz.bars).toEqual(plain.bars);
    expect(progress.at(-1)).toMatchObject({ lines: 3001 });
    expect(progress.at(-1)?.bytesRead).toBe(progress.at(-1)?.totalBytes);
  });

  it('names a missing file', async () => {
    await expect(importSymbolBars(join(dir, 'nope.csv'), { symbol: 'X' })).rejects.toThrow(/nope\.csv: no such file/);
    await expect(importSymbolBars(join(dir, 'nope.csv'), { symbol: 'X' })).rejects.toBeInstanceOf(KeelError);
  });
});
