/**
 * A paper fund caught up day by day (`keel run --as-of D`, found auditing the live path): the paper
 * broker fills at D's close, but its fills were stamped with the wall clock, so every catch-up fill
 * fell on the day the command ran, and the P&L history (GET /v1/funds/:fundId/pnl-history, built
 * from today's positions less the fills since) was $0 on every day it traded. Through the real CLI
 * and store: each fill is stamped on its cycle's session, and the P&L history's daily fund P&L is
 * the one computed here straight from the stored fills and closes.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultFundConfigInput, parseFundConfig } from '../../../src/contracts/index.ts';
import { newYorkTime } from '../../../src/market/index.ts';
import type { Store } from '../../../src/store/index.ts';
import { barDates, cliHome, ok, serveHome } from './harness.ts';

const input = { ...defaultFundConfigInput(10_000_000), data: { minHistoryRows: 100, degradedMinRows: 50, minQuality: 0.5 } };
const KEY = 'test-key-catch-up-viewer-0123456789abcdef';
let k: ReturnType<typeof cliHome>;
let days: string[] = [];
let store: Store;
let app: FastifyInstance;

beforeAll(async () => {
  k = cliHome();
  writeFileSync(path.join(k.home, 'fund.json'), JSON.stringify(input));
  ok(await k.run('market', 'generate', '--symbols', '20', '--years', '1.2', '--seed', '6'));
  ok(await k.run('init'));
  days = (await barDates(k.home)).slice(-12, -8); // four sessions long closed: a catch-up
  for (const d of days) ok(await k.run('run', '--once', '--no-fetch', '--as-of', d));
  ({ store, app } = await serveHome(k.home, parseFundConfig(input), 'main', KEY));
}, 300_000);
afterAll(async () => {
  await app?.close();
  await store?.close();
});

interface FillRow {
  symbol: string;
  side: 'BUY' | 'SELL';
  qty: number;
  price: number;
  commission: number;
  at: string;
  asOf: string;
}

const fills = async (): Promise<FillRow[]> =>
  (
    await store.db.query<FillRow>(
      `SELECT f.symbol, f.side, f.qty, f.price, f.commission, f.timestamp AS at, to_char(c.as_of, 'YYYY-MM-DD') AS "asOf"
       FROM fills f JOIN cycles c ON c.id = f.cycle_id WHERE f.fund_id = 'main'`,
    )
  ).rows;

describe('a paper fund caught up with --as-of', () => {
  it("stamps each fill on its cycle's session, at or after the close", async () => {
    const rows = await fills();
    expect(new Set(rows.map((r) => r.asOf))).toEqual(new Set(days));
    for (const r of rows) {
      const ny = newYorkTime(Date.parse(r.at));
      expect(ny.date, `${r.symbol} ${r.at}`).toBe(r.asOf);
      expect(ny.minutes).toBeGreaterThanOrEqual(16 * 60);
    }
  });

  it('reports the daily fund P&L the stored fills and closes give', async () => {
    const rows = await fills();
    const bars = await store.db.query<{ symbol: string; date: string; close: number }>(
      `SELECT symbol, to_char(date, 'YYYY-MM-DD') AS date, close FROM bars WHERE date >= $1::date AND date <= $2::date`,
      [days[0], days[days.length - 1]],
    );
    const close = new Map(bars.rows.map((b) => [`${b.symbol} ${b.date}`, b.close]));
    const px = (s: string, d: string): number => close.get(`${s} ${d}`) ?? Number.NaN;
    const held = new Map<string, number>();
    const expected: number[] = [];
    days.forEach((d, i) => {
      let pnl = 0;
      const prev = days[i - 1];
      if (prev) for (const [s, q] of held) pnl += q * (px(s, d) - px(s, prev));
      for (const f of rows.filter((r) => r.asOf === d)) {
        const q = f.side === 'BUY' ? f.qty : -f.qty;
        pnl += q * (px(f.symbol, d) - f.price) - f.commission;
        held.set(f.symbol, (held.get(f.symbol) ?? 0) + q);
      }
      expected.push(pnl);
    });
    expect(Math.abs(expected[1] ?? 0)).toBeGreaterThan(100); // the books moved: a real P&L to compare

    const res = await app.inject({ method: 'GET', url: `/v1/funds/main/pnl-history?by=fund&from=${days[0]}&to=${days[days.length - 1]}`, headers: { authorization: `Bearer ${KEY}` } });
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json() as { dates: string[]; fund: { pnl: number[] } };
    expect(report.dates).toEqual(days);
    report.fund.pnl.forEach((p, i) => expect(p, report.dates[i]).toBeCloseTo(expected[i] ?? Number.NaN, -1));
  });
});
