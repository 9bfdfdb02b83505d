import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Instrument } from '../../../src/contracts/index.ts';
import { createKernel, readEnv } from '../../../src/fund/index.ts';
import { openDb, openStore, pgliteDataDir } from '../../../src/store/index.ts';

const home = mkdtempSync(path.join(os.tmpdir(), 'keel-store-open-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('choosing and opening the database', () => {
  it('persists PGlite under KEEL_HOME/db (the kernel reads the variable) and migrates only once across restarts', async () => {
    const env = readEnv({ KEEL_HOME: home }, '/');
    expect(pgliteDataDir({ home: env.home })).toBe(path.join(home, 'db'));
    const k1 = createKernel({ env });
    const first = (await k1.store()) as Awaited<ReturnType<typeof openStore>>;
    expect(first.db.kind).toBe('pglite');
    expect(first.migration.applied.length).toBeGreaterThan(0);
    const ins = Instrument.parse({ version: 1, symbol: 'BRK.B', name: 'Berkshire', sector: 'Financials' });
    await first.instruments.upsert([ins]);
    await k1.close();
    expect(existsSync(path.join(home, 'db'))).toBe(true);

    const second = await openStore({ home });
    expect(second.migration.applied).toEqual([]);
    expect(await second.instruments.list()).toEqual([ins]);
    await second.close();
  });

  it('defaults to ./.keel/db when KEEL_HOME is unset', () => {
    expect(pgliteDataDir({ home: readEnv({}, process.cwd()).home })).toBe(path.resolve(process.cwd(), '.keel', 'db'));
    expect(pgliteDataDir({})).toBe(path.resolve(process.cwd(), '.keel', 'db'));
  });

  it('rejects a DATABASE_URL that is not postgres://, naming the variable', async () => {
    expect(() => readEnv({ DATABASE_URL: 'mysql://u:pw@h/db' }, '/')).toThrow(/^DATABASE_URL: 'mysql:\/\/u:\*\*\*@h\/db'/);
    await expect(openDb({ url: 'mysql://u:pw@h/db' })).rejects.toThrow(/^DATABASE_URL: 'mysql:\/\/u:\*\*\*@h\/db'/);
  });

  it('reports an unreachable server as KEEL_E_STORE', async () => {
    await expect(openDb({ url: 'postgres://nobody@127.0.0.1:1/none' })).rejects.toMatchObject({ code: 'KEEL_E_STORE' });
  });

  it('holds an embedded store alone: a second open of the same directory is refused, naming the holder, until the first closes', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'keel-store-lock-'));
    const first = await openStore({ home: dir });
    try {
      const second = openStore({ home: dir });
      await expect(second).rejects.toMatchObject({ code: 'KEEL_E_STORE_LOCKED', details: { pid: process.pid } });
      await expect(second).rejects.toThrow(/in use by this process.*set DATABASE_URL/);
    } finally {
      await first.close();
    }
    const again = await openStore({ home: dir });
    await again.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(!process.env['TEST_DATABASE_URL'])('selects PostgreSQL from DATABASE_URL (needs TEST_DATABASE_URL)', async () => {
    const env = readEnv({ DATABASE_URL: process.env['TEST_DATABASE_URL'] }, '/');
    const db = await openDb({ url: env.databaseUrl });
    expect(db.kind).toBe('postgres');
    expect((await db.query<{ x: number }>('SELECT 1::numeric AS x')).rows).toEqual([{ x: 1 }]);
    await db.close();
  });
});
