import { describe, expect, it } from 'vitest';
import { viewAt } from '../../market/index.ts';
import { emptyBook } from '../index.ts';
import { fundamentalsOf, makeAgent, names, noiseTable, panelFromReturns, weekdays } from '../test-panels.ts';

const U = 20;
const T = 300;
const dates = weekdays(T);
const symbols = names('Q', U);
const sectors = symbols.map((_, u) => ['Tech', 'Energy', 'Health', 'Utilities'][u % 4] ?? 'Tech');
const noise = noiseTable(41, T, U, 0.006);
const jitter = (u: number) => u * 0.01;
const held = (p: { targets: readonly { symbol: string; weight: number }[] }) => p.targets.map((t) => t.symbol).sort();
const first5 = symbols.slice(0, 5);

describe('quality-value holds cheap, high-quality names', () => {
  // quality high for names 0-9, value high for 0-4 and 10-14: only 0-4 are both. A record released
  // after the as-of date (2030) flips everything and must not be seen.
  const fundamentals = fundamentalsOf([
    ...symbols.map((symbol, u) => ({
      symbol,
      periodEnd: '2019-12-31',
      released: dates[10] ?? '',
      fields: { quality: (u < 10 ? 1.5 : -1.5) - jitter(u), value: (u < 5 || (u >= 10 && u < 15) ? 1.5 : -1.5) - jitter(u) },
    })),
    ...symbols.map((symbol, u) => ({ symbol, periodEnd: '2029-12-31', released: '2030-02-01', fields: { quality: u < 10 ? -3 : 3, value: u < 10 ? -3 : 3 } })),
  ]);
  const panel = panelFromReturns({ T, symbols, sectors, ret: (t, u) => noise(t, u), fundamentals });
  it('holds names 0-4 and ignores the unreleased record', () => {
    const p = makeAgent('quality_value', { topFraction: 0.25 }).propose(viewAt(panel, T - 1), emptyBook('quality-value', 1e7));
    expect(held(p)).toEqual(first5);
    expect(p.reasoning).toMatch(/fundamentals/);
  });
});

describe('quality-momentum holds sound winners', () => {
  // names 0-9 won over the 12-1 window, 10-19 lost; quality high for 0-4 and 10-14.
  const fundamentals = fundamentalsOf(
    symbols.map((symbol, u) => ({ symbol, periodEnd: '2019-12-31', released: dates[10] ?? '', fields: { quality: (u < 5 || (u >= 10 && u < 15) ? 1.5 : -1.5) - jitter(u) } })),
  );
  const panel = panelFromReturns({ T, symbols, sectors, ret: (t, u) => noise(t, u) + (t > T - 21 ? 0 : u < 10 ? 0.002 : -0.002), fundamentals });
  it('holds names 0-4', () => {
    const p = makeAgent('quality_momentum', { topFraction: 0.25 }).propose(viewAt(panel, T - 1), emptyBook('quality-momentum', 1e7));
    expect(held(p)).toEqual(first5);
  });
});

describe('dividend growth holds high-yield payers with growing earnings', () => {
  // yield 4% for names 0-9 and 1% for the rest; EPS and cash flow: +30% for 0-4, −20% for 5-9, +10% else.
  const growthOf = (u: number) => (u < 5 ? 1.3 : u < 10 ? 0.8 : 1.1) - jitter(u) / 10;
  const fundamentals = fundamentalsOf(
    symbols.flatMap((symbol, u) => [
      { symbol, periodEnd: '2019-09-30', released: dates[5] ?? '', fields: { eps: 1, cashFlow: 1, dividendYield: u < 10 ? 0.04 : 0.01 } },
      { symbol, periodEnd: '2020-09-30', released: dates[270] ?? '', fields: { eps: growthOf(u), cashFlow: growthOf(u), dividendYield: u < 10 ? 0.04 : 0.01 } },
    ]),
  );
  const panel = panelFromReturns({ T, symbols, sectors, ret: (t, u) => noise(t, u), fundamentals });
  it('holds names 0-4 (yield and YoY growth against the release visible 252 rows earlier)', () => {
    const p = makeAgent('dividend_growth', { topFraction: 0.25 }).propose(viewAt(panel, T - 1), emptyBook('dividend-growth', 1e7));
    expect(held(p)).toEqual(first5);
  });
});
