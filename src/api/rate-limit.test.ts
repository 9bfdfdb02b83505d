// No number of distinct keys makes a limited key be served again, and the table stays bounded.
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_BUCKETS, RateLimiter } from './rate-limit.ts';

describe('RateLimiter', () => {
  it('limits a key past its burst and refills it at the rate', () => {
    let t = 0;
    const l = new RateLimiter({ perMinute: 60, burst: 3 }, () => t);
    expect([l.take('a'), l.take('a'), l.take('a')]).toEqual([0, 0, 0]);
    expect(l.take('a')).toBe(1);
    expect(l.isLimited('a')).toBe(true);
    t += 1_000;
    expect(l.isLimited('a')).toBe(false);
    expect(l.take('a')).toBe(0);
  });

  it(`a limited key stays limited after more distinct keys than the table holds (${DEFAULT_MAX_BUCKETS + 10_000}), and the table stays bounded`, () => {
    const t = 0;
    const l = new RateLimiter({ perMinute: 60, burst: 2 }, () => t);
    l.take('victim-limited');
    l.take('victim-limited');
    expect(l.take('victim-limited')).toBeGreaterThan(0);
    for (let i = 0; i < DEFAULT_MAX_BUCKETS + 10_000; i++) l.take(`flood-${i}`);
    expect(l.size).toBeLessThanOrEqual(DEFAULT_MAX_BUCKETS);
    expect(l.take('victim-limited')).toBeGreaterThan(0);
  });

  it('a full table replaces idle buckets first, so new keys get their own bucket again once old ones refill', () => {
    let t = 0;
    const l = new RateLimiter({ perMinute: 60, burst: 2 }, () => t, 4);
    for (const k of ['a', 'b', 'c']) l.take(k);
    // full and nothing idle: new keys share the overflow bucket (2 tokens)
    expect([l.take('e'), l.take('f'), l.take('g')]).toEqual([0, 0, 1]);
    expect(l.size).toBeLessThanOrEqual(4);
    t += 10_000;
    // everything refilled: a new key replaces an idle bucket and has its own burst
    expect([l.take('h'), l.take('h'), l.take('h')]).toEqual([0, 0, 1]);
    expect(l.size).toBeLessThanOrEqual(4);
  });
});
