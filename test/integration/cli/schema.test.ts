/** `keel schema`: the JSON Schemas a remote agent is written against (issue 16). */
import { describe, expect, it } from 'vitest';
import { cliHome } from './harness.ts';

describe('keel schema', () => {
  it('prints the request and proposal schemas of the agent contract, and refuses another name', async () => {
    const k = cliHome();
    const req = await k.run('schema', 'agent-request');
    expect(req.code, req.err).toBe(0);
    const r = JSON.parse(req.out) as { $id: string; required: string[]; properties: Record<string, unknown> };
    expect(r.$id).toBe('https://keel.dev/schemas/agent-contract-1.1.0/agent-request.json');
    expect(r.required).toEqual(expect.arrayContaining(['contract', 'agentId', 'cycleId', 'traceId', 'asOf', 'book', 'universe', 'dates', 'prices']));
    const prop = JSON.parse((await k.run('schema', 'agent-proposal')).out) as { required: string[] };
    expect(prop.required).toEqual(['version', 'traceId', 'cycleId', 'agentId', 'strategy', 'asOf', 'signals', 'targets']);
    const bad = await k.run('schema', 'agent-answer');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('one of agent-request, agent-proposal');
  });
});
