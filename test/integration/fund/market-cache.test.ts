/**
 * Cached market loads (src/fund/market-cache.ts) on each store driver: a load of an unchanged
 * stored market comes from the cache bit for bit, and any write to what a load reads (instruments,
 * bars, fundamentals, macro series, data quality; a truncate too) sends the next load to the store.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MacroObservation } from '../../../src/contracts/index.ts';
import { loadMarket, type LoadedMarket } from '../../../src/fund/index.ts';
import { encodePanel, generateSyntheticMarket, syntheticBars } from '../../../src/market/index.ts';
import type { Store } from '../../../src/store/index.ts';
import { DRIVERS } from '../store/drivers.ts';

const same = (a: LoadedMarket, b: LoadedMarket): void => {
  expect(Buffer.from(encodePanel(a.panel)).equals(Buffer.from(encodePanel(b.panel)))).toBe(true);
  expect([...a.quality]).toEqual([...b.quality]);
};

describe.each(DRIVERS)('cached market loads on $name', (driver) => {
  let store: Store;
  let dir: string;
  const m = generateSyntheticMarket({ symbols: 6, years: 0.5, seed: 5 });
  const last = m.dates[m.dates.length - 1] ?? '';

  beforeAll(async () => {
    store = await driver.open();
    dir = mkdtempSync(path.join(tmpdir(), 'keel-market-cache-'));
    await store.instruments.upsert(m.instruments);
    await store.bars.load(syntheticBars(m));
    const macro: MacroObservation[] = m.dates.map((date, t) => ({ version: 1, series: 'market', date, releaseTime: `${date}T21:00:00.000Z`, value: m.index[t] ?? Number.NaN }));
    await store.macro.insertMany(macro);
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads an unchanged market from the cache, the same panel bit for bit as from the store', async () => {
    const first = await loadMarket(store, { cacheDir: dir });
    expect(first.source).toBe('store');
    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    const second = await loadMarket(store, { cacheDir: dir });
    expect(second.source).toBe('cache');
    same(second, first);
    same(second, await loadMarket(store));
    // a load up to another date is another file
    const earlier = await loadMarket(store, { cacheDir: dir, to: m.dates[50] ?? '' });
    expect(earlier.source).toBe('store');
    expect(earlier.panel.dates.at(-1)).toBe(m.dates[50]);
    expect((await loadMarket(store, { cacheDir: dir, to: m.dates[50] ?? '' })).source).toBe('cache');
    expect(readdirSync(dir)).toHaveLength(2);
  });

  it('goes to the store after any write to what a load reads', async () => {
    const sym = m.instruments.find((i) => i.assetClass === 'equity')?.symbol ?? '';
    const writes: [string, () => Promise<unknown>][] = [
      ['a bar', () => store.bars.load([{ symbol: sym, date: '2031-01-02', open: 1, high: 1, low: 1, close: 1, volume: 1 }])],
      ['a bar changed', () => store.db.query('UPDATE bars SET close = close + 1 WHERE symbol = $1 AND date = $2', [sym, last])],
      ['an instrument', () => store.instruments.upsert([{ ...(m.instruments[0] as (typeof m.instruments)[number]), name: 'Renamed Inc.' }])],
      ['fundamentals', () => store.fundamentals.insertMany([...m.fundamentals.values()].flat().slice(0, 1).map((f) => ({ ...f, releaseTime: '2031-01-01T21:00:00.000Z' })))],
      ['a macro value', () => store.macro.insertMany([{ version: 1, series: 'vix', date: last, releaseTime: `${last}T21:00:00.000Z`, value: 20 }])],
      ['data quality', () => store.dataQuality.upsert([{ version: 1, symbol: sym, asOf: last, rows: 100, missingDatesPct: 0, duplicatePct: 0, hasZeroOrNegative: false, hasExtremeSpike: false, score: 0.5, state: 'ACTIVE' }])],
      ['a truncate', () => store.db.exec('TRUNCATE data_quality')],
    ];
    for (const [what, write] of writes) {
      await loadMarket(store, { cacheDir: dir });
      expect((await loadMarket(store, { cacheDir: dir })).source, what).toBe('cache');
      const before = await store.marketRevision.current();
      await write();
      expect((await store.marketRevision.current()).revision, what).toBeGreaterThan(before.revision);
      const after = await loadMarket(store, { cacheDir: dir });
      expect(after.source, what).toBe('store');
      same(after, await loadMarket(store));
    }
    // the bar written above is in the next load from the cache too
    const cached = await loadMarket(store, { cacheDir: dir });
    expect(cached.source).toBe('cache');
    expect(cached.panel.dates.at(-1)).toBe('2031-01-02');
    // at most three loads are kept
    expect(readdirSync(dir).length).toBeLessThanOrEqual(3);
  });

  it('a damaged file is a miss: deleted, loaded from the store, written again', async () => {
    await loadMarket(store, { cacheDir: dir });
    const newest = readdirSync(dir)
      .map((n) => ({ n, t: statSync(path.join(dir, n)).mtimeMs }))
      .sort((a, b) => b.t - a.t)[0]?.n ?? '';
    writeFileSync(path.join(dir, newest), Buffer.from('not a panel'));
    const again = await loadMarket(store, { cacheDir: dir });
    expect(again.source).toBe('store');
    expect(existsSync(path.join(dir, newest))).toBe(true);
    expect((await loadMarket(store, { cacheDir: dir })).source).toBe('cache');
  });

  it('another database (a new epoch) never reads this one’s loads', async () => {
    const other = await driver.open();
    try {
      const a = await store.marketRevision.current();
      const b = await other.marketRevision.current();
      expect(a.epoch).not.toBe('');
      expect(b.epoch).not.toBe(a.epoch);
    } finally {
      await other.close();
    }
  });
});
