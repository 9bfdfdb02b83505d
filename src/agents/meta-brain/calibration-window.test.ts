import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitIsotonicCalibrator } from '../../quant/index.ts';
import { CalibrationWindow } from './calibration-window.ts';

describe('calibration window', () => {
  // Invariant: after any sequence of batches, fit() equals fitIsotonicCalibrator on the last `max`
  // samples bit for bit (ties in x are frequent, and with fractional outcomes the order among them
  // changes the rounding of the pooled means).
  it('fits exactly what fitIsotonicCalibrator fits on the window', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.array(fc.array(fc.tuple(fc.integer({ min: 0, max: 12 }), fc.oneof(fc.boolean(), fc.double({ min: 0, max: 1, noNaN: true }))), { maxLength: 25 }), { minLength: 1, maxLength: 12 }),
        (max, batches) => {
          const w = new CalibrationWindow(max);
          const xs: number[] = [];
          const ys: number[] = [];
          for (const b of batches) {
            const bx = b.map(([x]) => x / 12);
            const by = b.map(([, y]) => (typeof y === 'boolean' ? (y ? 1 : 0) : y));
            w.add(bx, by);
            xs.push(...bx);
            ys.push(...by);
            const from = Math.max(0, xs.length - max);
            expect(w.length).toBe(xs.length - from);
            if (w.length === 0) continue;
            const want = fitIsotonicCalibrator(xs.slice(from), ys.slice(from));
            const got = w.fit();
            expect(Array.from(got.x)).toEqual(Array.from(want.x));
            expect(Array.from(got.y)).toEqual(Array.from(want.y));
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
