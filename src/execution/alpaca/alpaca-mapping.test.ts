import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from './alpaca-http.ts';
import { formatPrice, formatQty, fromAlpacaStatus, toAlpacaTif, toAlpacaType } from './alpaca-schemas.ts';

describe('Alpaca mapping', () => {
  it('formats fractional quantities to at most 4 decimals, as strings', () => {
    expect([formatQty(10), formatQty(0.0001), formatQty(12.34567), formatQty(3.5)]).toEqual(['10', '0.0001', '12.3457', '3.5']);
    expect([formatPrice(101.256), formatPrice(0.51234), formatPrice(101.25, 'down'), formatPrice(101.25, 'up')]).toEqual(['101.26', '0.5123', '101.25', '101.25']);
    expect([formatPrice(10.259, 'down'), formatPrice(10.251, 'up'), formatPrice(0.12345, 'down')]).toEqual(['10.25', '10.26', '0.1234']);
  });

  it('maps order statuses (working ones by whether anything filled)', () => {
    const cases: [string, number, string][] = [
      ['new', 0, 'ACKNOWLEDGED'], ['accepted', 0, 'ACKNOWLEDGED'], ['pending_new', 0, 'ACKNOWLEDGED'],
      ['partially_filled', 5, 'PARTIALLY_FILLED'], ['pending_cancel', 5, 'PARTIALLY_FILLED'], ['filled', 10, 'FILLED'],
      ['canceled', 0, 'CANCELLED'], ['replaced', 0, 'CANCELLED'], ['expired', 3, 'EXPIRED'], ['done_for_day', 0, 'EXPIRED'],
      ['rejected', 0, 'REJECTED'],
    ];
    for (const [s, f, want] of cases) expect([s, fromAlpacaStatus(s, f)]).toEqual([s, want]);
    expect([toAlpacaType('STOP_LIMIT'), toAlpacaTif('FOK')]).toEqual(['stop_limit', 'fok']);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2024-01-02T15:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('Tue, 02 Jan 2024 15:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter(null, now)).toBeNull();
    expect(parseRetryAfter('soon', now)).toBeNull();
  });
});
