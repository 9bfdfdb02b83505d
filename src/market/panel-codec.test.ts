/** Invariant: decoding an encoded panel gives the same panel, every float to the bit (NaN and −0 included). */
import { describe, expect, it } from 'vitest';
import { createPanel, decodePanel, encodePanel, syntheticPanel, type Panel } from './index.ts';

const bits = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex');

function expectSame(a: Panel, b: Panel): void {
  for (const f of ['open', 'high', 'low', 'close', 'volume', 'ret', 'adv20', 'vol20', 'marketCap'] as const) expect(bits(b[f]), f).toBe(bits(a[f]));
  expect(b.sentiment ? bits(b.sentiment) : null).toBe(a.sentiment ? bits(a.sentiment) : null);
  expect([...b.reference.keys()]).toEqual([...a.reference.keys()]);
  for (const [k, v] of a.reference) expect(bits(b.reference.get(k) ?? new Float64Array()), k).toBe(bits(v));
  expect({ dates: b.dates, symbols: b.symbols, sectors: b.sectors, T: b.T, U: b.U, tradable: b.tradable }).toEqual({ dates: a.dates, symbols: a.symbols, sectors: a.sectors, T: a.T, U: a.U, tradable: a.tradable });
  expect(b.fundamentals).toEqual(a.fundamentals);
  expect(b.macro).toEqual(a.macro);
  expect(b.columnOf).toEqual(a.columnOf);
  expect(b.rowOf).toEqual(a.rowOf);
}

describe('panel codec', () => {
  it('round-trips a synthetic panel (fundamentals, reference series) bit for bit', () => {
    const p = syntheticPanel({ symbols: 12, years: 0.5, seed: 3 });
    expect(p.fundamentals.size).toBeGreaterThan(0);
    expectSame(p, decodePanel(encodePanel(p)));
  });
  it('keeps NaN, −0, sentiment and the tradable mask, and refuses a truncated encoding', () => {
    const close = Float64Array.from([10, Number.NaN, -0, 11, 12, 13]);
    const p = createPanel({ dates: ['2024-01-02', '2024-01-03', '2024-01-04'], symbols: ['A', 'B'], open: close, high: close, low: close, close, volume: close, sentiment: Float64Array.from([0.1, -0, Number.NaN, 1, 0, 0]), tradable: Uint8Array.from([1, 0]) });
    const q = decodePanel(encodePanel(p));
    expectSame(p, q);
    expect(Object.is(q.close[2], -0)).toBe(true);
    const bytes = encodePanel(p);
    expect(() => decodePanel(bytes.subarray(0, bytes.length - 8))).toThrow(/truncated/);
  });
});
