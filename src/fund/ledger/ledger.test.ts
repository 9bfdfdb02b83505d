import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Ledger } from './ledger.ts';

describe('ledger', () => {
  it('a round trip buy → sell realises the price difference minus nothing else', () => {
    const l = new Ledger();
    l.open('a', 10_000);
    l.applyFill({ agentId: 'a', symbol: 'X', side: 'BUY', qty: 10, price: 100, commission: 1 });
    expect(l.book('a').cashCents).toBe(10_000_00 - 1000_00 - 100);
    const r = l.applyFill({ agentId: 'a', symbol: 'X', side: 'SELL', qty: 10, price: 110.5, commission: 1 });
    expect(r).toBe(105_00);
    expect(l.book('a').holdings.size).toBe(0);
    expect(l.navCents('a')).toBe(10_000_00 + 105_00 - 200);
    expect(l.reconcile()).toBeNull();
  });

  it('shorts realise proceeds minus buy-back, and a flip opens the remainder at the fill price', () => {
    const l = new Ledger();
    l.open('a', 0);
    l.applyFill({ agentId: 'a', symbol: 'X', side: 'SELL', qty: 5, price: 20, commission: 0 });
    expect(l.qty('a', 'X')).toBe(-5);
    const r = l.applyFill({ agentId: 'a', symbol: 'X', side: 'BUY', qty: 8, price: 18, commission: 0 });
    expect(r).toBe(10_00); // (20 − 18) × 5
    expect(l.qty('a', 'X')).toBe(3);
    expect(l.book('a').holdings.get('X')?.costCents).toBe(54_00);
    expect(l.reconcile()).toBeNull();
  });

  it('a 2-for-1 split doubles shares, halves the mark and keeps value and cost', () => {
    const l = new Ledger();
    l.open('a', 1000);
    l.applyFill({ agentId: 'a', symbol: 'X', side: 'BUY', qty: 3, price: 100, commission: 0 });
    const before = l.navCents('a');
    l.applySplit('X', 2);
    expect(l.qty('a', 'X')).toBe(6);
    expect(l.navCents('a')).toBe(before);
    expect(l.reconcile()).toBeNull();
  });

  // Invariant: after any sequence of fills, splits, fees and marks, cash + positions = NAV to the cent
  // and NAV = initial + realised + unrealised − fees + adjustments, exactly.
  it('reconciles exactly after any sequence of fills, splits, fees and marks', () => {
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('fill' as const),
        agent: fc.constantFrom('a', 'b'),
        symbol: fc.constantFrom('X', 'Y', 'Z'),
        side: fc.constantFrom('BUY' as const, 'SELL' as const),
        qty: fc.double({ min: 0.0001, max: 5000, noNaN: true }),
        price: fc.double({ min: 0.01, max: 3000, noNaN: true }),
        commission: fc.double({ min: 0, max: 50, noNaN: true }),
      }),
      fc.record({ kind: fc.constant('split' as const), symbol: fc.constantFrom('X', 'Y', 'Z'), ratio: fc.constantFrom(2, 3, 0.5, 1.5) }),
      fc.record({ kind: fc.constant('fee' as const), agent: fc.constantFrom('a', 'b'), amount: fc.double({ min: -500, max: 500, noNaN: true }) }),
      fc.record({ kind: fc.constant('mark' as const), price: fc.double({ min: 0.01, max: 3000, noNaN: true }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const l = new Ledger();
        l.open('a', 1_000_000);
        l.open('b', 250_000.55);
        for (const o of ops) {
          if (o.kind === 'fill') l.applyFill({ agentId: o.agent, symbol: o.symbol, side: o.side, qty: o.qty, price: o.price, commission: o.commission });
          else if (o.kind === 'split') l.applySplit(o.symbol, o.ratio);
          else if (o.kind === 'fee') l.adjustCash(o.agent, o.amount);
          else l.markAll(() => o.price);
          if (l.reconcile() !== null) return false;
        }
        // Independent recomputation of NAV from the books' parts.
        for (const id of ['a', 'b']) {
          const b = l.book(id);
          let mv = 0;
          for (const h of b.holdings.values()) mv += Math.round((h.qty4 * h.mark) / 100 + (h.qty4 * h.mark >= 0 ? 1e-7 : -1e-7));
          if (Math.abs(l.navCents(id) - (b.cashCents + mv)) > 0) return false;
        }
        return l.fundNavCents() === l.navCents('a') + l.navCents('b');
      }),
      { numRuns: 300 },
    );
  });

  it('an internal cross moves shares between books and conserves fund cash exactly', () => {
    const l = new Ledger();
    l.open('a', 10_000);
    l.open('b', 10_000);
    l.open('c', 10_000);
    l.applyFill({ agentId: 'a', symbol: 'X', side: 'BUY', qty: 10, price: 33.33, commission: 0 });
    const before = l.book('a').cashCents + l.book('b').cashCents + l.book('c').cashCents;
    l.applyCross('X', 33.337, [
      { agentId: 'a', qty: -10 },
      { agentId: 'b', qty: 3.3333 },
      { agentId: 'c', qty: 6.6667 },
    ]);
    const after = l.book('a').cashCents + l.book('b').cashCents + l.book('c').cashCents;
    expect(after).toBe(before);
    expect(l.qty('a', 'X')).toBe(0);
    expect(l.qty('b', 'X') + l.qty('c', 'X')).toBeCloseTo(10, 10);
    expect(l.fundQty('X')).toBe(l.qty('a', 'X') + l.qty('b', 'X') + l.qty('c', 'X'));
    expect(l.fundQty('NOPE')).toBe(0);
    expect(l.reconcile()).toBeNull();
    expect(() => l.applyCross('X', 1, [{ agentId: 'b', qty: 1 }])).toThrow(/net to zero/);
  });

  it('snapshots round-trip', () => {
    const l = new Ledger();
    l.open('a', 500);
    l.applyFill({ agentId: 'a', symbol: 'X', side: 'BUY', qty: 1.2345, price: 99.99, commission: 0.5 });
    const copy = Ledger.fromSnapshot(l.snapshot());
    expect(copy.snapshot()).toEqual(l.snapshot());
    expect(copy.navCents('a')).toBe(l.navCents('a'));
  });
});
