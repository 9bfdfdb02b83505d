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
  it('needs a NATS connection to load the roster, and says how to give one', async () => {
    const c = parseFundConfig(withAgent({ strategy: 'momentum', worker: { nats: 'keel.agents' } }));
    await expect(loadRoster(c)).rejects.toThrow(/agents\.a\.worker.*NATS_URL.*keel agents serve/);
    // replay never asks: the roster loads without NATS
    expect((await loadRoster(c, { replaying: true })).map((a) => a.id)).toEqual(['a']);
  });
});
