import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { canonicalJson, KeelError, sha256Hex } from '../../../src/core/index.ts';
import { GENESIS_HASH, type AuditEntry, type Store } from '../../../src/store/index.ts';
import { DRIVERS } from './drivers.ts';

const entry = (i: number): AuditEntry => ({
  at: `2024-05-01T10:00:${String(i % 60).padStart(2, '0')}.123Z`,
  actor: 'system',
  action: 'CycleCompleted',
  entity: 'cycle',
  entityId: `c${i}`,
  payload: { n: i, nested: { b: [1, 2.5, 'x'], a: null }, ratio: 0.1 + 0.2 },
});

describe.each(DRIVERS)('audit hash chain on $name', (driver) => {
  let store: Store;
  // One database per driver (PGlite start-up is slow on a busy machine); each test starts from an empty chain.
  beforeAll(async () => {
    store = await driver.open();
  });
  afterAll(async () => {
    await store.close();
  });
  beforeEach(async () => {
    await store.db.exec(`TRUNCATE audit_log; UPDATE audit_head SET last_id = 0, last_hash = '${GENESIS_HASH}'`);
  });

  async function appendN(n: number): Promise<void> {
    for (let i = 1; i <= n; i++) await store.audit.append(entry(i));
  }

  it('links each row to the previous one with sha256(prev_hash || canonical JSON)', async () => {
    const first = await store.audit.append(entry(1));
    const second = await store.audit.append(entry(2));
    expect(first.prevHash).toBe(GENESIS_HASH);
    // Independent recomputation from the documented formula.
    const e1 = entry(1);
    const expected = sha256Hex(
      GENESIS_HASH +
        canonicalJson({ id: 1, at: e1.at, actor: e1.actor, action: e1.action, entity: e1.entity, entityId: e1.entityId,
          payload: e1.payload }),
    );
    expect(first.hash).toBe(expected);
    expect(second.prevHash).toBe(first.hash);
    expect(await store.audit.verify()).toEqual({ ok: true, rows: 2 });
  });

  it('verifies an untouched chain, and an empty one', async () => {
    expect(await store.audit.verify()).toEqual({ ok: true, rows: 0 });
    await appendN(12);
    expect(await store.audit.verify()).toEqual({ ok: true, rows: 12 });
    expect(await store.audit.verifyOrThrow()).toBe(12);
  });

  it('names the first tampered row when a payload is edited with SQL', async () => {
    await appendN(8);
    await store.db.exec(`UPDATE audit_log SET payload = jsonb_set(payload, '{n}', '999') WHERE id = 5`);
    const v = await store.audit.verify();
    expect(v).toMatchObject({ ok: false, firstBadId: 5 });
    await expect(store.audit.verifyOrThrow()).rejects.toMatchObject({ code: 'KEEL_E_AUDIT_TAMPERED' });
    await expect(store.audit.verifyOrThrow()).rejects.toBeInstanceOf(KeelError);
  });

  it('detects an edit that also recomputes the row hash (the next link breaks)', async () => {
    await appendN(6);
    await store.db.exec(`UPDATE audit_log SET actor = 'mallory', hash = repeat('a', 64) WHERE id = 3`);
    expect(await store.audit.verify()).toMatchObject({ ok: false, firstBadId: 3 });
  });

  it('detects a deleted row in the middle and a deleted tail', async () => {
    await appendN(7);
    await store.db.exec('DELETE FROM audit_log WHERE id = 4');
    expect(await store.audit.verify()).toMatchObject({ ok: false, firstBadId: 4 });
    await store.db.exec('DELETE FROM audit_log WHERE id >= 4');
    // Rows 1–3 link correctly, but the head still names row 7.
    expect(await store.audit.verify()).toMatchObject({ ok: false, firstBadId: 4 });
  });

  it('never forks under concurrent appends', async () => {
    const rows = await Promise.all(Array.from({ length: 25 }, (_, i) => store.audit.append(entry(i + 1))));
    expect(new Set(rows.map((r) => r.id)).size).toBe(25);
    expect(new Set(rows.map((r) => r.prevHash)).size).toBe(25);
    expect(await store.audit.verify()).toEqual({ ok: true, rows: 25 });
  });

  it('an append inside a rolled-back transaction leaves the chain as it was', async () => {
    await appendN(2);
    await expect(
      store.transaction(async (tx) => {
        await tx.audit.append(entry(3));
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await store.audit.verify()).toEqual({ ok: true, rows: 2 });
    const next = await store.audit.append(entry(3));
    expect(next.id).toBe(3);
  });
});
