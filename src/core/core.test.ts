import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  SequentialIds,
  addDays,
  canonicalJson,
  clipText,
  createRng,
  dayNumber,
  fromDayNumber,
  hashOf,
  isIsoDate,
  parseIsoDate,
  redact,
  roundQty,
  toCents,
  weekdayCount,
  weekdaysBetween,
} from './index.ts';

describe('seeded rng', () => {
  it('same seed, same sequence; different seed, different sequence', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const xa = Array.from({ length: 10 }, () => a.next());
    expect(Array.from({ length: 10 }, () => b.next())).toEqual(xa);
    expect(Array.from({ length: 10 }, () => c.next())).not.toEqual(xa);
  });

  it('uniform draws have mean 1/2 and variance 1/12 (n = 200k, 5 s.e.)', () => {
    const r = createRng(7);
    const n = 200_000;
    let s = 0;
    let s2 = 0;
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const x = r.next();
      if (!(x >= 0 && x < 1)) outside++;
      s += x;
      s2 += x * x;
    }
    const mean = s / n;
    expect(outside).toBe(0);
    expect(Math.abs(mean - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(s2 / n - mean * mean - 1 / 12)).toBeLessThan(0.002);
  });

  it('normals have mean 0, variance 1 and kurtosis 3', () => {
    const r = createRng(11);
    const n = 200_000;
    let m1 = 0;
    let m2 = 0;
    let m4 = 0;
    for (let i = 0; i < n; i++) {
      const x = r.normal();
      m1 += x;
      m2 += x * x;
      m4 += x ** 4;
    }
    expect(Math.abs(m1 / n)).toBeLessThan(0.015);
    expect(Math.abs(m2 / n - 1)).toBeLessThan(0.02);
    expect(Math.abs(m4 / n - 3)).toBeLessThan(0.1);
  });

  it('Student-t(5) has variance df/(df-2) = 5/3', () => {
    const r = createRng(3);
    const n = 300_000;
    let s2 = 0;
    for (let i = 0; i < n; i++) s2 += r.studentT(5) ** 2;
    expect(Math.abs(s2 / n - 5 / 3)).toBeLessThan(0.06);
  });

  it('gamma(k) has mean k for shapes below and above 1', () => {
    for (const k of [0.5, 2.5]) {
      const r = createRng(5);
      let s = 0;
      const n = 100_000;
      for (let i = 0; i < n; i++) s += r.gamma(k);
      expect(Math.abs(s / n - k)).toBeLessThan(0.03 * k + 0.01);
    }
  });
});

describe('dates', () => {
  it('rejects impossible dates and accepts real ones', () => {
    expect(() => parseIsoDate('2021-02-30')).toThrow(/not a real calendar date/);
    expect(() => parseIsoDate('2021/02/03', 'from')).toThrow(/^from:/);
    expect(parseIsoDate('2024-02-29')).toBe('2024-02-29');
    expect(isIsoDate('2023-02-29')).toBe(false);
  });
  it('day numbers round-trip', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40_000 }), (n) => dayNumber(fromDayNumber(n)) === n),
    );
    expect(dayNumber('1970-01-02')).toBe(1);
    expect(addDays('2024-02-28', 2)).toBe('2024-03-01');
  });
  it('weekdays skip weekends', () => {
    expect(weekdaysBetween('2024-01-05', '2024-01-09')).toEqual(['2024-01-05', '2024-01-08', '2024-01-09']);
  });
});

describe('canonical JSON and hashing', () => {
  it('key order does not change the hash; a value change does', () => {
    expect(canonicalJson({ b: 1, a: [1, { d: 2, c: 3 }] })).toBe('{"a":[1,{"c":3,"d":2}],"b":1}');
    expect(hashOf({ a: 1, b: 2 })).toBe(hashOf({ b: 2, a: 1 }));
    expect(hashOf({ a: 1, b: 2 })).not.toBe(hashOf({ a: 1, b: 3 }));
    // sha256 of the two characters {} (published test vector style check)
    expect(hashOf({})).toBe('44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a');
  });
  it('drops undefined fields and maps non-finite numbers to null', () => {
    expect(canonicalJson({ a: undefined, b: Number.NaN })).toBe('{"b":null}');
  });
});

describe('units', () => {
  it('cents round half away from zero and stay exact', () => {
    expect(toCents(1.005)).toBe(101);
    expect(toCents(-1.005)).toBe(-101);
    expect(toCents(0.1 + 0.2)).toBe(30);
  });
  it('quantities round to 1e-4', () => {
    expect(roundQty(1.23456)).toBe(1.2346);
    expect(roundQty(-0.00004)).toBe(-0);
  });
});

describe('ids and logging helpers', () => {
  it('sequential ids are deterministic', () => {
    const a = new SequentialIds('bt1');
    expect([a.next('o'), a.next('o')]).toEqual(['o-bt1-000001', 'o-bt1-000002']);
  });
  it('redacts secret-looking keys', () => {
    expect(redact({ apiKey: 'x', ALPACA_API_SECRET_KEY: 'y', symbol: 'AAPL' })).toEqual({
      apiKey: '[redacted]',
      ALPACA_API_SECRET_KEY: '[redacted]',
      symbol: 'AAPL',
    });
  });
});

describe('weekday count', () => {
  it('matches counting day by day', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 30_000 }), fc.integer({ min: 0, max: 400 }), (a, len) => {
        const b = a + len;
        const slow = weekdaysBetween(fromDayNumber(a + 1), fromDayNumber(b)).length;
        return weekdayCount(a, b) === (len === 0 ? 0 : slow);
      }),
    );
    expect(weekdayCount(dayNumber('2024-01-05'), dayNumber('2024-01-08'))).toBe(1); // Fri → Mon
  });
});

describe('clipText', () => {
  // Property: the clip fits max code units, is a prefix of the text (plus …) and never ends in half a surrogate pair.
  it('fits, keeps a prefix and never splits a surrogate pair', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', '😀', 'é', ' '), maxLength: 60 }), fc.integer({ min: 1, max: 50 }), (s, max) => {
        const c = clipText(s, max);
        expect(c.length).toBeLessThanOrEqual(max);
        if (s.length <= max) expect(c).toBe(s);
        else expect(s.startsWith(c.slice(0, -1)) && c.endsWith('…')).toBe(true);
        expect(/[\ud800-\udbff]$/.test(c.replace(/…$/, ''))).toBe(false);
      }),
    );
  });
});
