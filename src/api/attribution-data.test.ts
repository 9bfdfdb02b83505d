/**
 * The attribution book built one agent at a time (a turn of the event loop allowed between agents)
 * is the book built at once: "bookPnlByAgent gives bookPnl's answer, to the cent and in order".
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LoopSlicer } from '../core/index.ts';
import { syntheticPanel, type Panel } from '../market/index.ts';
import { bookPnl, type BookPnl } from '../pms/index.ts';
import { bookPnlByAgent, portfolioSectorDays, sectorOf } from './attribution-data.ts';

const DATES = ['d0', 'd1', 'd2', 'd3', 'd4', 'd5'];
const CLOSES: Record<string, (number | undefined)[]> = { A: [10, 11, 12, 11, 13, 12.5], B: [50, 49, undefined, 52, 50, 51], C: [undefined, undefined, 7, 7.5, 7.25, 8] };
const close = (s: string, row: number): number | undefined => {
  for (let r = Math.min(row, DATES.length - 1); r >= 0; r--) {
    const c = CLOSES[s]?.[r];
    if (c !== undefined) return c;
  }
  return undefined;
};

/** A slicer that counts the pauses asked of it (and yields a turn at each). */
class CountingSlicer extends LoopSlicer {
  pauses = 0;
  constructor() {
    super(0);
  }
  override async pause(): Promise<void> {
    this.pauses++;
    await super.pause();
  }
}

describe('bookPnlByAgent', () => {
  const trade = fc.record({
    agentId: fc.constantFrom('b', 'a', 'c', 'a2'),
    symbol: fc.constantFrom('A', 'B', 'C', 'ZZZ'),
    row: fc.integer({ min: 0, max: 7 }),
    qty: fc.integer({ min: -500, max: 500 }).filter((q) => q !== 0),
    price: fc.double({ min: 5, max: 80, noNaN: true }),
    fee: fc.double({ min: 0, max: 3, noNaN: true }),
  });
  const holding = fc.record({ agentId: fc.constantFrom('b', 'a', 'c', 'a2'), symbol: fc.constantFrom('A', 'B', 'C', 'ZZZ'), qty: fc.integer({ min: -1000, max: 1000 }) });

  it('gives the one-call book: the same lines in the same order, fund cents and unpriced names', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(trade, { maxLength: 30 }), fc.array(holding, { maxLength: 10 }), fc.integer({ min: 1, max: 3 }), async (trades, holdings, from) => {
        const input = { dates: DATES, from, to: 5, holdings, trades, close };
        expect(JSON.stringify(await bookPnlByAgent(input, new LoopSlicer(0)))).toBe(JSON.stringify(bookPnl(input)));
      }),
      { numRuns: 200 },
    );
  });

  it('asks the slicer for a turn before each agent', async () => {
    const slicer = new CountingSlicer();
    const holdings = [{ agentId: 'b', symbol: 'A', qty: 10 }, { agentId: 'a', symbol: 'B', qty: -5 }];
    const trades = [{ agentId: 'c', symbol: 'A', row: 3, qty: 4, price: 11, fee: 0 }];
    const book = await bookPnlByAgent({ dates: DATES, from: 1, to: 5, holdings, trades, close }, slicer);
    expect(book.lines.map((l) => l.agentId)).toEqual(['a', 'b', 'c']);
    expect(slicer.pauses).toBe(3);
  });
});

/** The holdings by sector as they were built before: a map per day, an object per line. */
function sectorDaysByMap(panel: Panel, book: BookPnl): Map<string, { netValue: number; grossValue: number; holdingPnl: number }>[] {
  return book.dates.map((_, i) => {
    const m = new Map<string, { netValue: number; grossValue: number; holdingPnl: number }>();
    for (const l of book.lines) {
      const v = l.startValue[i] ?? 0;
      const h = l.holdingPnl[i] ?? 0;
      if (v === 0 && h === 0) continue;
      const s = sectorOf(panel, l.symbol);
      const a = m.get(s) ?? { netValue: 0, grossValue: 0, holdingPnl: 0 };
      m.set(s, { netValue: a.netValue + v, grossValue: a.grossValue + Math.abs(v), holdingPnl: a.holdingPnl + h });
    }
    return m;
  });
}

describe('portfolioSectorDays', () => {
  const panel = syntheticPanel({ symbols: 12, years: 0.1, seed: 3 });
  const value = fc.oneof(fc.constant(0), fc.constant(-0), fc.double({ min: -1e7, max: 1e7, noNaN: true }));
  const line = (days: number) =>
    fc.record({
      agentId: fc.constantFrom('a', 'b'),
      symbol: fc.constantFrom(...panel.symbols.slice(0, 8), 'NOT-IN-PANEL'),
      startValue: fc.array(value, { minLength: days, maxLength: days }),
      holdingPnl: fc.array(value, { minLength: days, maxLength: days }),
    });

  it('gives the per-day maps of a map per line: the same sectors in the same order, the same sums to the bit (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }).chain((days) => fc.tuple(fc.constant(days), fc.array(line(days), { maxLength: 25 }))), ([days, lines]) => {
        const book: BookPnl = { dates: Array.from({ length: days }, (_, i) => `d${i}`), lines: lines.map((l) => ({ ...l, pnlCents: l.startValue.map(() => 0), endQty: 0 })), fundCents: [], unpriced: [] };
        const got = portfolioSectorDays(panel, book).map((m) => [...m.entries()]);
        const want = sectorDaysByMap(panel, book).map((m) => [...m.entries()]);
        expect(got).toEqual(want);
        // toEqual treats -0 as 0: compare the bits too
        expect(got.flat().map(([, v]) => [v.netValue, v.grossValue, v.holdingPnl].map((x) => Object.is(x, -0)))).toEqual(want.flat().map(([, v]) => [v.netValue, v.grossValue, v.holdingPnl].map((x) => Object.is(x, -0))));
      }),
      { numRuns: 300 },
    );
  });
});
