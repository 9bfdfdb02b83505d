/**
 * Stop exits are journaled: a stored cycle with a stop exit writes one OVERRIDE entry by
 * `system:stops` per position closed, naming the level and linked to the agent's decision and the
 * cycle's orders in the name; a cycle without exits writes none.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Order, OverlayDecision } from '../../../src/contracts/index.ts';
import { stopExitJournal, type CycleResult } from '../../../src/fund/index.ts';
import { openStore, type Store } from '../../../src/store/index.ts';

let store: Store & { close(): Promise<void> };
beforeAll(async () => {
  store = await openStore({ memory: true });
});
afterAll(async () => {
  await store.close();
});

const exit = { agentId: 'momentum', symbol: 'AAA', kind: 'ATR_STOP' as const, level: 95.5, low: 94.1, high: 99, qty: 120, setOn: '2024-03-01' };
const order = (id: string, symbol: string, agentId: string) => ({ id, symbol, allocations: [{ agentId, qty: 120 }] }) as unknown as Order;
const result = (stopExits: CycleResult['stopExits']) => ({
  cycleId: 'f-2024-03-05',
  stopExits,
  decisions: [{ agentId: 'momentum', decisionId: 'dec-1' }, { agentId: 'trend', decisionId: 'dec-2' }] as unknown as OverlayDecision[],
  orders: [order('o-1', 'AAA', 'momentum'), order('o-2', 'AAA', 'trend'), order('o-3', 'BBB', 'momentum')],
});

describe('stop exits are journaled', () => {
  it('one OVERRIDE per exit, by system:stops, linked to the decision and the orders in the name', async () => {
    const rows = stopExitJournal('f', result([exit]), '2024-03-05T21:00:00.000Z');
    expect(rows).toHaveLength(1);
    for (const r of rows) await store.journal.add(r);
    const stored = await store.journal.list('f', { tag: 'ATR_STOP' });
    expect(stored).toHaveLength(1);
    const e = stored[0];
    expect(e?.kind).toBe('OVERRIDE');
    expect(e?.author).toBe('system:stops');
    expect(e?.tags).toEqual(['AAA', 'agent:momentum', 'ATR_STOP']);
    expect(e?.body).toContain('ATR stop of momentum\'s long AAA (120 shares, set 2024-03-01) at 95.50 crossed: day range 94.10–99.00');
    expect(e?.refs).toMatchObject({ entry: { who: 'system:stops', role: 'system', agentId: 'momentum', links: { decisionIds: ['dec-1'], orderIds: ['o-1'] } } });
  });

  it('a cycle without exits journals nothing', () => {
    expect(stopExitJournal('f', result([]), '2024-03-05T21:00:00.000Z')).toEqual([]);
  });
});
