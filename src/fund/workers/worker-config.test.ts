/** A fund config selects worker execution per agent; a bad selection fails with the field and the fix. */
import { describe, expect, it } from 'vitest';
import { defaultFundConfigInput, parseFundConfig } from '../../contracts/index.ts';
import { loadRoster } from '../index.ts';

const withAgent = (agent: Record<string, unknown>) => ({ ...defaultFundConfigInput(10_000_000), agents: [{ id: 'a', allocatedCapital: 1_000_000, ...agent }] });

describe('agents[].worker', () => {
  it('takes a built-in or a module, with a subject prefix and a deadline (default 30 s)', () => {
    const c = parseFundConfig(withAgent({ strategy: 'momentum', worker: { nats: 'keel.agents' } }));
    expect(c.agents[0]?.worker).toEqual({ nats: 'keel.agents', timeoutMs: 30_000 });
  });
  it('refuses a remote agent, a bad subject and unknown keys, naming the field', () => {
    expect(() => parseFundConfig(withAgent({ remote: { http: 'http://127.0.0.1:9400/propose' }, worker: { nats: 'keel.agents' } }))).toThrow(/agents\[0\]\.worker.*a remote agent already runs elsewhere/);
    expect(() => parseFundConfig(withAgent({ strategy: 'momentum', worker: { nats: 'keel agents' } }))).toThrow(/agents\[0\]\.worker\.nats.*subject prefix/);
    expect(() => parseFundConfig(withAgent({ strategy: 'momentum', worker: { nats: 'keel.agents', queue: 'x' } }))).toThrow(/queue/);
  });
  it('takes an HTTP server instead of a subject prefix, exactly one of the two', () => {
    const c = parseFundConfig(withAgent({ strategy: 'momentum', worker: { http: 'http://127.0.0.1:9500' } }));
    expect(c.agents[0]?.worker).toEqual({ http: 'http://127.0.0.1:9500', timeoutMs: 30_000 });
    expect(() => parseFundConfig(withAgent({ strategy: 'momentum', worker: { http: 'http://127.0.0.1:9500', nats: 'keel.agents' } }))).toThrow(/agents\[0\]\.worker\.nats.*exactly one of nats.*or http/);
    expect(() => parseFundConfig(withAgent({ strategy: 'momentum', worker: {} }))).toThrow(/exactly one of nats/);
    expect(() => parseFundConfig(withAgent({ strategy: 'momentum', worker: { http: '127.0.0.1:9500' } }))).toThrow(/agents\[0\]\.worker\.http.*not an http\(s\) URL/);
  });
  it('loads an HTTP worker agent without NATS', async () => {
    const c = parseFundConfig(withAgent({ strategy: 'momentum', worker: { http: 'http://127.0.0.1:9500' } }));
    expect((await loadRoster(c)).map((a) => [a.id, a.strategy])).toEqual([['a', 'momentum']]);
  });
  it('needs a NATS connection to load the roster, and says how to give one', async () => {
    const c = parseFundConfig(withAgent({ strategy: 'momentum', worker: { nats: 'keel.agents' } }));
    await expect(loadRoster(c)).rejects.toThrow(/agents\.a\.worker.*NATS_URL.*keel agents serve/);
    // replay never asks: the roster loads without NATS
    expect((await loadRoster(c, { replaying: true })).map((a) => a.id)).toEqual(['a']);
  });
});
