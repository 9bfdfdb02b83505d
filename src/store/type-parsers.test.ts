import { describe, expect, it } from 'vitest';
import { parseInt8, parseNumeric, parseTimestamp } from './type-parsers.ts';

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

  it('reads NUMERIC as the nearest float64 and INT8 as a number only when safe', () => {
    expect(parseNumeric('123.4567')).toBe(123.4567);
    expect(parseNumeric('-0.0001')).toBe(-0.0001);
    expect(parseInt8('42')).toBe(42);
    expect(parseInt8('9007199254740993')).toBe('9007199254740993');
  });
});
