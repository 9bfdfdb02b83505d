import { describe, expect, it } from 'vitest';
import { viewAt, type MarketView, type Panel } from '../market/index.ts';
import { marketReturns, marketTail } from './market-tape.ts';
import { syntheticPanel } from './testing/fixture.ts';

/** The window read directly from the view: what the tape must give, value for value. */
function direct(view: MarketView, T: number): number[] {
  if (view.referenceNames().includes('market')) {
    const s = view.reference('market', T + 1);
    const finite = Array.from(s).filter(Number.isFinite);
    const isLevel = finite.length > 0 && finite.every((v) => v > 1);
    return Array.from({ length: T }, (_, k) => (isLevel ? (s[k + 1] ?? Number.NaN) / (s[k] ?? Number.NaN) - 1 : (s[k + 1] ?? Number.NaN)));
  }
  const panel = view.returnsPanel(T);
  return Array.from({ length: T }, (_, k) => {
    const row = Array.from(panel.subarray(k * view.U, (k + 1) * view.U)).filter((r) => !Number.isNaN(r));
    return row.length > 0 ? row.reduce((a, b) => a + b, 0) / row.length : Number.NaN;
  });
}

function withMarket(p: Panel, market: Float64Array | null): Panel {
  const reference = new Map([...p.reference].filter(([k]) => k !== 'market'));
  if (market) reference.set('market', market);
  return { ...p, reference };
}

describe('market tape (the market series read once per row)', () => {
  const base = syntheticPanel({ T: 90, U: 8, seed: 4 });
  const level = base.reference.get('market') ?? new Float64Array(0);
  const returns = Float64Array.from(level, (v, i) => (i > 0 ? v / (level[i - 1] ?? Number.NaN) - 1 : Number.NaN));
  // levels with holes and one value ≤ 1: windows that include it are read as returns
  const mixed = Float64Array.from(level, (v, i) => (i === 50 ? 0.5 : i % 17 === 0 ? Number.NaN : v));
  const cases: [string, () => Panel][] = [
    ['index levels', () => withMarket(base, level)],
    ['returns', () => withMarket(base, returns)],
    ['levels with holes and a value below 1', () => withMarket(base, mixed)],
    ['no market reference (equal-weighted mean of the names)', () => withMarket(base, null)],
  ];
  for (const [name, panel] of cases) {
    it(`${name}: every window equals the one read directly, whichever rows were read first`, () => {
      const p = panel();
      // rows visited out of order: the tape is filled by the latest view first, then read back by earlier ones
      const rows = [40, 89, 0, 1, 12, 50, 51, 70, 30, 88];
      for (const t of rows) {
        for (const T of [2, 20, 60]) {
          const v = viewAt(p, t);
          expect(Array.from(marketReturns(v, T))).toEqual(direct(v, T));
        }
      }
    });
  }

  it('the tail is the last values of the window, the rows before the history left out', () => {
    for (const [, panel] of cases) {
      const p = panel();
      for (const t of [0, 5, 30, 89]) {
        for (const [T, n] of [[60, 20], [20, 60], [60, 60]] as const) {
          const v = viewAt(p, t);
          const tail = direct(v, T).slice(T - Math.min(n, T)).slice(Math.max(0, Math.min(n, T) - (t + 1)));
          expect(Array.from(marketTail(v, T, n))).toEqual(tail);
        }
      }
    }
  });

  it('hands out a fresh array each time', () => {
    const v = viewAt(withMarket(base, level), 60);
    const a = marketReturns(v, 20);
    a.fill(0);
    expect(Array.from(marketReturns(v, 20))).toEqual(direct(v, 20));
  });
});
