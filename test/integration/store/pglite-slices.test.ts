/**
 * The embedded store gives the event loop turns during a long chain of statements: PGlite runs each
 * statement on this thread and settles it as a microtask, so without a turn between statements a
 * report's reads (or a transaction's writes) held every other request until the chain ended.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../../src/store/index.ts';

describe('PGlite statements in a chain', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openStore({ memory: true });
  });
  afterAll(async () => {
    await store?.close();
  });

  /** Runs statements through `db` one after another until a setImmediate queued first has run; returns how many ran (or the cap). */
  async function statementsUntilTurn(run: () => Promise<unknown>, cap = 5_000): Promise<number> {
    let turned = false;
    setImmediate(() => (turned = true));
    let n = 0;
    while (!turned && n < cap) {
      await run();
      n++;
    }
    return n;
  }

  it('outside a transaction, a turn comes within the chain', async () => {
    expect(await statementsUntilTurn(() => store.db.query('SELECT 1'))).toBeLessThan(5_000);
  });

  it('inside a transaction too (readers other than the store go on while it writes)', async () => {
    const n = await store.transaction((tx) => statementsUntilTurn(() => tx.funds.list()));
    expect(n).toBeLessThan(5_000);
  });
});
