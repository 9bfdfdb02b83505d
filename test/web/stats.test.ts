/**
 * The dashboard's book returns are net of the capital the allocation moves into a book: the demo's
 * momentum book went from $11M to $29M of capital in a year, and the Agents page drew that as an
 * equity curve up 160%, the correlation heatmap read the transfers as daily returns of ±20%, and
 * Attribution counted them as the agent's contribution to the fund's return.
 */
import { describe, expect, it } from 'vitest';
import { flowAdjustedReturns } from '../../src/fund/index.ts';
import { bookPnl, bookReturns, growth } from '../../web/src/stats.ts';

// a book of $10M that gains 1%, is given $5M, loses 2%, gives $3M back
const flows = [0, 0, 5_000_000, 0, -3_000_000];
const equity = [10_000_000, 10_100_000, 15_100_000, 14_798_000, 11_798_000];

describe('book returns on the dashboard', () => {
  it('are net of the capital moved in, as the backtest computes them', () => {
    const r = bookReturns(equity, flows);
    expect(r[0]).toBeCloseTo(0.01, 12);
    expect(r[1]).toBeCloseTo(0, 12);
    expect(r[2]).toBeCloseTo(-0.02, 12);
    expect(r[3]).toBeCloseTo(0, 12);
    const server = flowAdjustedReturns(equity, flows, 1000);
    r.forEach((x, i) => expect(x).toBeCloseTo(server[i] ?? Number.NaN, 12));
    // the plain returns counted the transfers: +49.5% and −20.3%
    expect(bookReturns(equity)[1]).toBeGreaterThan(0.49);
  });

  it('grow 1 by the book returns, and the P&L leaves out the transfers', () => {
    expect(growth(bookReturns(equity, flows)).at(-1)).toBeCloseTo(1.01 * 0.98, 12);
    expect(bookPnl(equity, flows)).toBeCloseTo(100_000 - 302_000, 6);
    expect(bookPnl(equity)).toBeCloseTo(1_798_000, 6);
  });
});
