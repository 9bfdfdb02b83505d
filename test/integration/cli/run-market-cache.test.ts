/**
 * `keel run` reads the market from Keel's cached load (issue 17: a cycle, and the server's next
 * load after it, no longer rebuild the panel from every stored bar), and the cache never hides new
 * data: a bar imported after a run is traded by the next run.
 */
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultFundConfigInput } from '../../../src/contracts/index.ts';
import { nextTradingDay } from '../../../src/market/index.ts';
import { openStore } from '../../../src/store/index.ts';
import { cliHome, ok } from './harness.ts';

let k: ReturnType<typeof cliHome>;
const cacheFiles = (): string[] => {
  const dir = path.join(k.home, 'cache');
  return readdirSync(dir).map((n) => `${n} ${statSync(path.join(dir, n)).mtimeMs}`).sort();
};

beforeAll(async () => {
  k = cliHome();
  const config = { ...defaultFundConfigInput(10_000_000), data: { minHistoryRows: 100, degradedMinRows: 50, minQuality: 0.5 } };
  writeFileSync(path.join(k.home, 'fund.json'), JSON.stringify(config));
  ok(await k.run('market', 'generate', '--symbols', '20', '--years', '1.2', '--seed', '4'));
  ok(await k.run('init'));
}, 180_000);

describe('keel run and the cached market', () => {
  it('a second run reads the load the first wrote; a bar imported after it moves the next run to its day', async () => {
    const first = JSON.parse(ok(await k.run('run', '--once', '--no-fetch', '--json')).out) as { asOf: string };
    const written = cacheFiles();
    expect(written).toHaveLength(1);
    // the same day again: refused (its cycle is done) after loading the market, from the cache: nothing rewritten
    const again = await k.run('run', '--once', '--no-fetch');
    expect(again.code).toBe(1);
    expect(again.err).toContain(`already ran for ${first.asOf}; import newer bars`);
    expect(cacheFiles()).toEqual(written);
    // one more session for every symbol, a little above its last close
    const next = nextTradingDay(first.asOf);
    const rows = await (async () => {
      const store = await openStore({ home: k.home });
      try {
        const symbols = (await store.instruments.list()).filter((i) => i.assetClass === 'equity').map((i) => i.symbol);
        const last = await store.bars.range({ symbols, from: first.asOf, to: first.asOf });
        return last.map((b) => [next, b.close, b.close * 1.01, b.close * 0.99, b.close * 1.005, b.volume, b.symbol].join(','));
      } finally {
        await store.close();
      }
    })();
    expect(rows.length).toBe(20);
    const csv = path.join(k.home, 'next-day.csv');
    writeFileSync(csv, ['date,open,high,low,close,volume,Name', ...rows].join('\n'));
    ok(await k.run('market', 'import', csv));
    const second = JSON.parse(ok(await k.run('run', '--once', '--no-fetch', '--json')).out) as { asOf: string };
    expect(second.asOf).toBe(next);
    // a new load, written beside the first
    expect(cacheFiles().length).toBe(2);
    // a fund's cycles move forward: an earlier day is refused, in any mode (its books are marked at later prices)
    const weekBack = new Date(Date.parse(`${second.asOf}T00:00:00Z`) - 7 * 86_400_000).toISOString().slice(0, 10); // the same weekday
    const earlier = await k.run('run', '--once', '--no-fetch', '--as-of', weekBack);
    expect(earlier.code).toBe(1);
    expect(earlier.err).toContain(`the fund's last cycle ran for ${second.asOf}, after ${weekBack}: its books are marked at later prices; pick a later --as-of`);
  }, 300_000);
});
