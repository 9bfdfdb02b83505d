/** A cycle's requests for one destination go in as few messages as the cap allows, each request settled by its own answer. */
import { describe, expect, it } from 'vitest';
import type { WorkerRequest } from '../../contracts/index.ts';
import { encodeBatch } from './answer-codec.ts';
import { Batcher, settle, type Pending } from './batcher.ts';

const request = (agentId: string) => ({ agentId }) as unknown as WorkerRequest;

describe('Batcher', () => {
  it('sends the requests queued in one turn together, at most maxItems a message, each answered by its own', async () => {
    const sent: string[][] = [];
    const batcher = new Batcher(async (_to, items: Pending[]) => {
      sent.push(items.map((i) => i.request.agentId));
      settle(items, encodeBatch(items.map((i) => (i.request.agentId === 'a3' ? { error: 'propose threw' } : { answer: JSON.stringify({ proposal: { agentId: i.request.agentId } }) }))), 'w');
    }, 4);
    const signal = new AbortController().signal;
    const asks = Array.from({ length: 10 }, (_, k) => batcher.add('w', request(`a${k}`), [], 1000, signal).then((a) => a.proposal, (e: unknown) => String(e)));
    const answers = await Promise.all(asks);
    expect(sent.map((s) => s.length)).toEqual([4, 4, 2]);
    expect(answers[0]).toEqual({ agentId: 'a0' });
    expect(answers[3]).toMatch(/w \(agent a3\) answered an error: propose threw/);
    expect(answers[9]).toEqual({ agentId: 'a9' });
  });
});
