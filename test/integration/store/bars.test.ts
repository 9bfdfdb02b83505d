import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/core/index.ts';
import { bulkLoadBars, type BarRow, type Db, type Store } from '../../../src/store/index.ts';
import { DRIVERS } from './drivers.ts';

/** n symbols × d weekdays from 2024-01-01, prices with 4 decimals. */
function makeBars(symbols: readonly string[], days: number, startDay = 0): BarRow[] {
  const out: BarRow[] = [];
  for (let d = startDay; d < startDay + days; d++) {
    const date = new Date(Date.UTC(2024, 0, 1 + d)).toISOString().slice(0, 10);
    symbols.forEach((symbol, s) => {
      const close = 100 + s + d * 0.0125;
      out.push({ symbol, date, open: close - 0.5, high: close + 1.2345, low: close - 1.0001, close, volume: 1000 + d });
    });
  }
  return out;
}

describe.each(DRIVERS)('bulk bar loading on $name', (driver) => {
  let store: Store;
  beforeAll(async () => {
    store = await driver.open();
  });
  afterAll(async () => {
    await store.close();
  });

  it('loads, then re-importing adds nothing and reports the rows as skipped', async () => {
    const bars = makeBars(['AAA', 'BBB', 'CCC'], 200);
    const progress: [number, number][] = [];
    const first = await store.bars.load(bars, { batchSize: 128, onProgress: (d, t) => progress.push([d, t]) });
    expect(first).toEqual({ total: 600, inserted: 600, skipped: 0 });
    expect(progress.at(-1)).toEqual([600, 600]);
    expect(progress).toHaveLength(Math.ceil(600 / 128));
    const again = await store.bars.load(bars, { batchSize: 128 });
    expect(again).toEqual({ total: 600, inserted: 0, skipped: 600 });
    expect(await store.bars.count()).toBe(600);
  });

  it('inserts only the new part of an overlapping import, by both methods', async () => {
    const overlap = makeBars(['AAA', 'BBB', 'CCC'], 50, 180); // days 180–229: 20 old, 30 new per symbol
    const r = await store.bars.load(overlap, { method: 'unnest', batchSize: 40 });
    expect(r).toEqual({ total: 150, inserted: 90, skipped: 60 });
    const dupInInput = makeBars(['DDD'], 10);
    const r2 = await store.bars.load([...dupInInput, ...dupInInput], { batchSize: 7 });
    expect(r2).toEqual({ total: 20, inserted: 10, skipped: 10 });
    expect(await store.bars.count()).toBe(600 + 90 + 10);
  });

  it('counts an overlapping import right with the default method too', async () => {
    await store.bars.load(makeBars(['GGG', 'HHH'], 50), { batchSize: 33 });
    const r = await store.bars.load(makeBars(['GGG', 'HHH'], 50, 30), { batchSize: 33 }); // 20 old, 30 new each
    expect(r).toEqual({ total: 100, inserted: 60, skipped: 40 });
    expect(await store.bars.count({ symbols: ['GGG', 'HHH'] })).toBe(160);
    await store.db.exec(`DELETE FROM bars WHERE symbol IN ('GGG', 'HHH')`);
  });

  it('falls back to staging when keys appear between the conflict check and the COPY', async () => {
    if (store.db.copyFrom === undefined) return; // no COPY path on this driver
    // A stub that always answers "no overlap" makes the direct COPY meet existing keys, as a
    // concurrent writer would: the savepoint catches the unique violation and the batch is staged.
    const blind = (db: Db): Db => ({
      kind: db.kind,
      query: (sql, params) =>
        sql.includes('SELECT EXISTS') ? Promise.resolve({ rows: [{ hit: false }] as never[], rowCount: 1 }) : db.query(sql, params),
      exec: (sql) => db.exec(sql),
      transaction: (fn) => db.transaction((tx) => fn(blind(tx))),
      ...(db.copyFrom ? { copyFrom: db.copyFrom } : {}),
      close: () => db.close(),
    });
    const r = await bulkLoadBars(blind(store.db), makeBars(['AAA', 'ZZZ'], 5), { batchSize: 4 });
    expect(r).toEqual({ total: 10, inserted: 5, skipped: 5 });
    expect(await store.bars.count({ symbols: ['ZZZ'] })).toBe(5);
    await store.db.exec(`DELETE FROM bars WHERE symbol = 'ZZZ'`);
  });

  it('range-queries by symbols and inclusive dates, values intact', async () => {
    const rows = await store.bars.range({ symbols: ['BBB'], from: '2024-01-03', to: '2024-01-05' });
    expect(rows.map((r) => r.date)).toEqual(['2024-01-03', '2024-01-04', '2024-01-05']);
    // The stored floats come back bit-identical to what was loaded (NUMERIC keeps the shortest decimal form).
    const given = makeBars(['AAA', 'BBB', 'CCC'], 200).find((b) => b.symbol === 'BBB' && b.date === '2024-01-04');
    expect(rows[1]).toEqual(given);
    expect(rows[1]?.close).toBe(101.0375);
    expect(await store.bars.count({ symbols: ['AAA', 'CCC'], from: '2024-01-01', to: '2024-01-10' })).toBe(20);
    expect(await store.bars.symbols()).toEqual(['AAA', 'BBB', 'CCC', 'DDD']);
  });

  it('quotes symbols safely, and treats an empty symbol list as none', async () => {
    const odd = { symbol: "O'X", date: '2024-04-01', open: 1.5, high: 2, low: 1, close: 1.75, volume: 3 };
    await store.bars.load([odd]);
    expect(await store.bars.range({ symbols: ["O'X"] })).toEqual([odd]);
    expect(await store.bars.range({ symbols: [] })).toEqual([]);
    await expect(store.bars.range({ from: "2024-01-01' OR TRUE --" })).rejects.toBeInstanceOf(ValidationError);
    await store.db.exec(`DELETE FROM bars WHERE symbol = 'O''X'`);
  });

  it('computes per-symbol statistics for data quality', async () => {
    await store.bars.load([
      { symbol: 'QQ', date: '2024-03-01', open: 10, high: 11, low: 9, close: 10, volume: 1 },
      { symbol: 'QQ', date: '2024-03-04', open: 10, high: 16, low: 9, close: 15, volume: 1 }, // +50%
      { symbol: 'QQ', date: '2024-03-05', open: 15, high: 14, low: 13, close: 15, volume: 1 }, // high < open
      { symbol: 'QQ', date: '2024-03-06', open: 15, high: 15, low: 0, close: 12, volume: 1 }, // low 0
    ]);
    const [qq] = await store.bars.stats({ symbols: ['QQ'] });
    expect(qq).toEqual({ symbol: 'QQ', rows: 4, firstDate: '2024-03-01', lastDate: '2024-03-06', nonPositiveRows: 1,
      inconsistentRows: 1, maxAbsReturn: 0.5 });
  });

  it('rejects a non-finite value before writing anything', async () => {
    const before = await store.bars.count();
    const bad = [...makeBars(['EEE'], 3), { symbol: 'EEE', date: '2024-02-01', open: 1, high: 1, low: 1, close: Number.NaN, volume: 1 }];
    await expect(store.bars.load(bad)).rejects.toBeInstanceOf(ValidationError);
    await expect(store.bars.load(bad)).rejects.toThrow('bars[3].close');
    expect(await store.bars.count()).toBe(before);
  });

  it('rolls the whole load back when a later batch fails', async () => {
    const before = await store.bars.count();
    const good = makeBars(['FFF'], 30);
    // 2024-02-30 passes the shape check but the database rejects it, in the last batch.
    const bad = [...good, { symbol: 'FFF', date: '2024-02-30', open: 1, high: 1, low: 1, close: 1, volume: 1 }];
    await expect(store.bars.load(bad, { batchSize: 10 })).rejects.toThrow();
    expect(await store.bars.count()).toBe(before);
  });
});
