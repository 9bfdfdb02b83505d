import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseInt8, parseNumeric, parseTimestamp } from './type-parsers.ts';

/** The general path, as it was before the UTC fast path: a Date of the text, read as UTC without an offset. */
function throughDate(text: string): string {
  const m = /^(\d{4,}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d+)?(?:([+-]\d{2})(?::?(\d{2}))?(?::?\d{2})?)?$/.exec(text);
  if (!m) return text;
  const d = new Date(`${m[1] ?? ''}T${m[2] ?? ''}${(m[3] ?? '').slice(0, 4)}${m[4] === undefined ? 'Z' : `${m[4]}:${m[5] ?? '00'}`}`);
  return Number.isNaN(d.getTime()) ? text : d.toISOString();
}

describe('column text parsers', () => {
  it('reads PostgreSQL timestamptz text in any offset as ISO UTC with milliseconds', () => {
    expect(parseTimestamp('2024-01-02 14:30:00+00')).toBe('2024-01-02T14:30:00.000Z');
    expect(parseTimestamp('2024-01-02 09:30:00.123456-05')).toBe('2024-01-02T14:30:00.123Z');
    expect(parseTimestamp('2024-01-02 20:00:00.5+05:30')).toBe('2024-01-02T14:30:00.500Z');
    // TIMESTAMP without zone is read as UTC.
    expect(parseTimestamp('2024-01-02 14:30:00')).toBe('2024-01-02T14:30:00.000Z');
    // Text it cannot read (infinity) is passed through, not invented.
    expect(parseTimestamp('infinity')).toBe('infinity');
  });

  it('a UTC timestamp gives the ISO string of the instant it names, to the millisecond (property)', () => {
    const two = (n: number) => String(n).padStart(2, '0');
    fc.assert(
      fc.property(
        fc.integer({ min: 1000, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }),
        fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 61 }), fc.integer({ min: 0, max: 61 }),
        fc.option(fc.stringMatching(/^[0-9]{1,6}$/), { nil: undefined }),
        (y, mo, d, h, mi, s, frac) => {
          const text = `${y}-${two(mo)}-${two(d)} ${two(h)}:${two(mi)}:${two(s)}${frac === undefined ? '' : `.${frac}`}+00`;
          const ms = frac === undefined ? 0 : Number(`${frac}00`.slice(0, 3));
          const at = Date.UTC(y, mo - 1, d, h, mi, s, ms);
          const real = mo >= 1 && mo <= 12 && d >= 1 && h <= 23 && mi <= 59 && s <= 59 && new Date(at).getUTCDate() === d;
          // a real instant reads as itself; any other text as it always did, through a Date
          if (real) expect(parseTimestamp(text)).toBe(new Date(at).toISOString());
          else expect(parseTimestamp(text)).toBe(throughDate(text));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('reads NUMERIC as the nearest float64 and INT8 as a number only when safe', () => {
    expect(parseNumeric('123.4567')).toBe(123.4567);
    expect(parseNumeric('-0.0001')).toBe(-0.0001);
    expect(parseInt8('42')).toBe(42);
    expect(parseInt8('9007199254740993')).toBe('9007199254740993');
  });
});
