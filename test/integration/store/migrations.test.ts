import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeelError } from '../../../src/core/index.ts';
import { loadMigrations, migrate, type Store } from '../../../src/store/index.ts';
import { DRIVERS } from './drivers.ts';

const EXPECTED_TABLES = [
  'agents', 'alerts', 'audit_head', 'audit_log', 'backtests', 'bars', 'briefings', 'broker_reconciliations', 'cash_ledger', 'config_versions',
  'cycles', 'data_quality', 'decisions', 'fills', 'fund_hedges', 'fundamentals', 'funds', 'instruments', 'journal', 'ledger_books', 'ledger_holdings', 'macro_series', 'market_revision',
  'nav_history', 'order_events', 'orders', 'overlay_actions', 'positions', 'proposals', 'risk_actions',
  'risk_snapshots', 'schema_migrations', 'signals', 'stress_results', 'users',
];

describe.each(DRIVERS)('migrations on $name', (driver) => {
  let store: Store;
  beforeAll(async () => {
    store = await driver.open();
  });
  afterAll(async () => {
    await store.close();
  });

  it('creates every table the seeds persist, in the current schema', async () => {
    const r = await store.db.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name`,
    );
    expect(r.rows.map((x) => x.table_name)).toEqual(EXPECTED_TABLES);
  });

  it('is idempotent: a second run applies nothing and keeps one row per migration', async () => {
    const files = loadMigrations();
    const again = await migrate(store.db);
    expect(again).toEqual({ applied: [], current: files.length });
    const rows = await store.db.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    expect(rows.rows.map((r) => r.version)).toEqual(files.map((m) => m.version));
  });

  it('refuses a migration that was edited after it was applied', async () => {
    const files = loadMigrations().map((m, i) => (i === 0 ? { ...m, checksum: 'edited' } : m));
    await expect(migrate(store.db, files)).rejects.toThrow(/changed after it was applied/);
    await expect(migrate(store.db, files)).rejects.toBeInstanceOf(KeelError);
  });

  it('applies a new additive migration once, and rolls back a failing one entirely', async () => {
    const files = loadMigrations();
    const next = files.length + 1;
    const extra = { version: next, name: 'extra', sql: 'CREATE TABLE extra_t (x INT)', checksum: 'x1' };
    expect((await migrate(store.db, [...files, extra])).applied).toEqual([next]);
    expect((await migrate(store.db, [...files, extra])).applied).toEqual([]);
    const bad = { version: next + 1, name: 'bad', sql: 'CREATE TABLE half_t (x INT); SELECT nope FROM nowhere', checksum: 'x2' };
    await expect(migrate(store.db, [...files, extra, bad])).rejects.toThrow();
    const half = await store.db.query(`SELECT 1 FROM information_schema.tables WHERE table_name = 'half_t'
      AND table_schema = current_schema()`);
    expect(half.rows).toHaveLength(0);
  });
});

describe.each(DRIVERS)('0003 proposal workflow columns on $name', (driver) => {
  let store: Store;
  beforeAll(async () => {
    store = await driver.open({ migrate: false });
    await migrate(store.db, loadMigrations().slice(0, 2));
  });
  afterAll(async () => {
    await store.close();
  });

  const payload = (agentId: string, reasoning: string) =>
    JSON.stringify({ version: 1, traceId: `tr-${agentId}`, cycleId: 'cy-1', agentId, strategy: 'momentum', asOf: '2024-06-03', signals: [],
      targets: [{ symbol: 'AAPL', weight: 0.05, stopLoss: null, takeProfit: null }], agentRisk: [], reasoning });
  const history = [{ from: 'PENDING_APPROVAL', to: 'EXECUTED', who: 'system:oms', role: 'system', why: 'executed', at: '2024-06-03T15:00:00.000Z', journalEntryId: null, changes: null }];
  const note = JSON.stringify({ v: 1, size: 0.5, limitPrice: 101.25, ticket: { symbol: 'AAPL', side: 'BUY', qty: 10, notional: null },
    expiresAt: '2024-06-03T22:00:00.000Z', createdBy: 'pam', createdAt: '2024-06-03T14:00:00.000Z', rationale: 'by hand', decisionId: null,
    history, orderIds: ['pr-a:AAPL'], fillIds: ['pr-a:AAPL-f1'] });

  it("moves the PMS's note JSON into the columns, gives cycle rows their defaults, and renames PENDING", async () => {
    const insert = (id: string, agent: string, status: string, n: string | null) =>
      store.db.query(`INSERT INTO proposals (id, fund_id, cycle_id, agent_id, as_of, status, payload, note, decided_at, created_at)
        VALUES ($1, 'F1', 'cy-1', $2, '2024-06-03', $3, $4::jsonb, $5, '2024-06-03T15:00:00Z', '2024-06-03T13:00:00Z')`, [id, agent, status, payload(agent, `${agent} reasons`), n]);
    await insert('pr-a', 'discretionary', 'EXECUTED', note);
    await insert('prop-od-1', 'mom', 'PENDING', null);
    await insert('pr-c', 'mom', 'WHATEVER', 'a plain note');
    await store.db.query(`INSERT INTO overlay_actions (decision_id, fund_id, trace_id, cycle_id, agent_id, as_of, action, scale, reasons, checks, targets, risk_actions, summary)
      VALUES ('od-1', 'F1', 'tr', 'cy-1', 'mom', '2024-06-03', 'APPROVE', 1, '[]', '[]', '[]', '[]', 'ok')`);
    expect((await migrate(store.db)).applied).toContain(3);
    const a = await store.proposals.get('F1', 'pr-a');
    expect(a).toMatchObject({
      status: 'EXECUTED', size: 0.5, limitPrice: 101.25, ticket: { symbol: 'AAPL', side: 'BUY', qty: 10, notional: null }, createdBy: 'pam',
      createdAt: '2024-06-03T14:00:00.000Z', expiresAt: '2024-06-03T22:00:00.000Z', rationale: 'by hand', decisionId: null, history,
      orderIds: ['pr-a:AAPL'], fillIds: ['pr-a:AAPL-f1'], executedAt: '2024-06-03T15:00:00.000Z', note: null,
    });
    expect(await store.proposals.get('F1', 'prop-od-1')).toMatchObject({
      status: 'PENDING_APPROVAL', size: 1, limitPrice: null, ticket: null, decisionId: 'od-1', createdBy: 'system:agent:mom',
      createdAt: '2024-06-03T13:00:00.000Z', expiresAt: '2024-06-04T00:00:00.000Z', rationale: 'mom reasons', history: [], orderIds: [], note: null,
    });
    expect(await store.proposals.get('F1', 'pr-c')).toMatchObject({ status: 'CANCELLED', note: 'a plain note', decisionId: null });
    await expect(store.db.query(`UPDATE proposals SET status = 'PENDING' WHERE id = 'pr-c'`)).rejects.toThrow();
  });
});

describe.each(DRIVERS)('0006 NOT_EXECUTED proposals on $name', (driver) => {
  let store: Store;
  beforeAll(async () => {
    store = await driver.open({ migrate: false });
    await migrate(store.db, loadMigrations().slice(0, 5));
  });
  afterAll(async () => {
    await store.close();
  });

  it("turns proposals CANCELLED by the OMS (nothing traded) into NOT_EXECUTED, their last step too; a person's cancel stays", async () => {
    const step = (from: string, to: string, who: string, why: string) => ({ from, to, who, role: who.startsWith('system') ? 'system' : 'pm', why, at: '2024-06-03T15:00:00.000Z', journalEntryId: null, changes: null });
    const approvedBy = step('PENDING_APPROVAL', 'APPROVED', 'pam', 'ok');
    const insert = (id: string, history: unknown[]) =>
      store.db.query(`INSERT INTO proposals (id, fund_id, cycle_id, agent_id, as_of, status, payload, created_by, rationale, expires_at, history)
        VALUES ($1, 'F1', 'disc-1', 'discretionary', '2024-06-03', 'CANCELLED', '{}'::jsonb, 'pam', 'by hand', '2024-06-04T00:00:00Z', $2::jsonb)`, [id, JSON.stringify(history)]);
    await insert('p-oms', [approvedBy, step('APPROVED', 'CANCELLED', 'system:oms', 'nothing traded: X not traded (MIN_NOTIONAL: order $50.00 below the minimum)')]);
    await insert('p-pm', [approvedBy, step('APPROVED', 'CANCELLED', 'pam', 'changed my mind')]);
    await insert('p-none', []);
    expect((await migrate(store.db)).applied).toContain(6);
    const rows = (await store.db.query<{ id: string; status: string; history: { to: string; why: string }[] }>(`SELECT id, status, history FROM proposals ORDER BY id`)).rows;
    expect(rows.map((r) => [r.id, r.status, r.history.map((h) => h.to)])).toEqual([
      ['p-none', 'CANCELLED', []],
      ['p-oms', 'NOT_EXECUTED', ['APPROVED', 'NOT_EXECUTED']],
      ['p-pm', 'CANCELLED', ['APPROVED', 'CANCELLED']],
    ]);
    expect(rows[1]?.history[1]?.why).toMatch(/^nothing traded: .*MIN_NOTIONAL/);
    await expect(store.db.query(`UPDATE proposals SET status = 'DONE' WHERE id = 'p-pm'`)).rejects.toThrow();
  });
});

describe('migration files', () => {
  it('are numbered 0001, 0002, … without gaps', () => {
    const files = loadMigrations();
    expect(files.map((m) => m.version)).toEqual(files.map((_, i) => i + 1));
    expect(files[0]?.name).toBe('init');
  });
});
