import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Instrument } from '../../../src/contracts/index.ts';
import { openDb, openStore, pgliteDataDir } from '../../../src/store/index.ts';

const home = mkdtempSync(path.join(os.tmpdir(), 'keel-store-open-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('choosing and opening the database', () => {
  it('persists PGlite under KEEL_HOME/db and migrates only once across restarts', async () => {
    const env = { KEEL_HOME: home };
    expect(pgliteDataDir({ env })).toBe(path.join(home, 'db'));
    const first = await openStore({ env });
    expect(first.db.kind).toBe('pglite');
    expect(first.migration.applied.length).toBeGreaterThan(0);
    const ins = Instrument.parse({ version: 1, symbol: 'BRK.B', name: 'Berkshire', sector: 'Financials' });
    await first.instruments.upsert([ins]);
    await first.close();
    expect(existsSync(path.join(home, 'db'))).toBe(true);

    const second = await openStore({ env });
    expect(second.migration.applied).toEqual([]);
    expect(await second.instruments.list()).toEqual([ins]);
    await second.close();
  });

  it('defaults to ./.keel/db when KEEL_HOME is unset', () => {
    expect(pgliteDataDir({ env: {} })).toBe(path.resolve(process.cwd(), '.keel', 'db'));
  });

  it('rejects a DATABASE_URL that is not postgres://, naming the variable', async () => {
    await expect(openDb({ env: { DATABASE_URL: 'mysql://u:pw@h/db' } })).rejects.toThrow(/^DATABASE_URL: 'mysql:\/\/u:\*\*\*@h\/db'/);
  });

  it('reports an unreachable server as KEEL_E_STORE', async () => {
    await expect(openDb({ url: 'postgres://nobody@127.0.0.1:1/none' })).rejects.toMatchObject({ code: 'KEEL_E_STORE' });
  });

  it.skipIf(!process.env['TEST_DATABASE_URL'])('selects PostgreSQL from DATABASE_URL (needs TEST_DATABASE_URL)', async () => {
    const db = await openDb({ env: { DATABASE_URL: process.env['TEST_DATABASE_URL'] } });
    expect(db.kind).toBe('postgres');
    expect((await db.query<{ x: number }>('SELECT 1::numeric AS x')).rows).toEqual([{ x: 1 }]);
    await db.close();
  });
});
