/**
 * Property: whatever the sources hold, return or fail with, fetchBars keeps only bars inside
 * [from, to], reports every asked symbol either delivered (a bar of the expected date reached the
 * sink) or missing, never both, hands each source's bars to the sink under that source's name,
 * and asks a source that failed no more in the same fetch.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Bar } from '../../contracts/index.ts';
import { DataRouter, ProviderError, fetchBars, type MarketSource, type ProviderFailure } from '../index.ts';

const DATES = ['2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05', '2024-01-08'];
const SYMBOLS = ['A', 'B', 'C', 'D', 'E', 'F', 'G'];
const FAILURES: ProviderFailure[] = ['entitlement', 'transient', 'rate_limited', 'bad_response', 'not_found'];

interface SourceSpec {
  /** Symbol → dates the source has (may reach past `to`). */
  readonly has: Record<string, string[]>;
  /** Fail on the k-th call (0-based), or never. */
  readonly failOn: number | null;
  readonly failure: ProviderFailure;
}

const sourceSpec = fc.record({
  has: fc.dictionary(fc.constantFrom(...SYMBOLS), fc.subarray(DATES)),
  failOn: fc.option(fc.integer({ min: 0, max: 3 })),
  failure: fc.constantFrom(...FAILURES),
});

function stub(name: string, spec: SourceSpec, calls: string[][]): MarketSource {
  let n = 0;
  return {
    name,
    instruments: async () => [],
    bars: async (symbols) => {
      calls.push([...symbols]);
      if (spec.failOn !== null && n++ === spec.failOn) throw new ProviderError(name, spec.failure, `${spec.failure} on call ${n}`);
      const out: Bar[] = [];
      for (const s of symbols) for (const date of spec.has[s] ?? []) out.push({ version: 1, symbol: s, date, open: 1, high: 1, low: 1, close: 1, volume: 1 });
      return out;
    },
  };
}

describe('fetchBars property', () => {
  it('keeps the range, settles every symbol exactly once, attributes bars to their source, and drops a failed source', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(sourceSpec, { minLength: 1, maxLength: 3 }),
        fc.subarray(SYMBOLS, { minLength: 1 }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 1, max: 4 }),
        async (specs, symbols, toIdx, chunkSize) => {
          const from = DATES[0] ?? '';
          const to = DATES[toIdx] ?? '';
          const calls = specs.map(() => [] as string[][]);
          const router = new DataRouter(specs.map((s, i) => stub(`s${i}`, s, calls[i] ?? [])), { sleep: async () => undefined, maxRetries: 1 });
          const sunk: Array<{ source: string; bars: readonly Bar[] }> = [];
          const r = await fetchBars(router, symbols, from, to, { chunkSize, onBatch: async (b) => void sunk.push(b) });
          const all = sunk.flatMap((b) => b.bars);
          expect(all.every((b) => b.date >= from && b.date <= to)).toBe(true);
          const delivered = new Set(all.filter((b) => b.date === to).map((b) => b.symbol));
          for (const s of symbols) expect(delivered.has(s) !== r.missing.includes(s)).toBe(true);
          expect(new Set(r.missing).size).toBe(r.missing.length);
          for (const b of sunk) {
            const spec = specs[Number(b.source.slice(1))];
            for (const bar of b.bars) expect(spec?.has[bar.symbol]).toContain(bar.date);
          }
          for (const f of r.failures) {
            // after its failing call (and the router's retries), a failed source is never asked again
            const i = Number(f.source.slice(1));
            const spec = specs[i];
            const asked = calls[i]?.length ?? 0;
            expect(spec?.failOn).not.toBeNull();
            expect(asked).toBe((spec?.failOn ?? 0) + 1); // a failure is reported only when it was the last word
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
