/**
 * The attribution book built one agent at a time (a turn of the event loop allowed between agents)
 * is the book built at once: "bookPnlByAgent gives bookPnl's answer, to the cent and in order".
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LoopSlicer } from '../core/index.ts';
import { bookPnl } from '../pms/index.ts';
import { bookPnlByAgent } from './attribution-data.ts';

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
