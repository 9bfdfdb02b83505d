/**
 * `keel user add`, `keel user key`, `keel user list` and `keel serve` (started in-process on an
 * ephemeral port): keys are printed once, work as Bearer keys, rotation kills the old key, and
 * the dashboard build is served at `/` when web/dist exists.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerServeCommand, startServe } from '../../../src/cli/commands/serve.ts';
import { registerUserCommands } from '../../../src/cli/commands/user.ts';
import { createContext, type CliContext } from '../../../src/cli/context.ts';
import { formatError, type CliIo } from '../../../src/cli/output.ts';
import { registerFund } from '../../../src/fund/index.ts';

describe('keel user and keel serve', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'keel-cli-api-'));
  let out = '';
  let err = '';
  const io: CliIo = {
    out: (t) => void (out += `${t}\n`),
    err: (t) => void (err += `${t}\n`),
    isTTY: false,
    env: { KEEL_HOME: path.join(dir, '.keel'), USER: 'tester' },
    cwd: dir,
  };
  let ctx: CliContext;
  const run = async (...argv: string[]): Promise<{ code: number; out: string; err: string }> => {
    out = '';
    err = '';
    const program = new Command('keel').exitOverride().configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
    registerUserCommands(program, ctx);
    registerServeCommand(program, ctx);
    try {
      await program.parseAsync(argv, { from: 'user' });
      return { code: 0, out, err };
    } catch (e) {
      io.err(formatError(e));
      return { code: 1, out, err };
    }
  };

  beforeAll(async () => {
    ctx = createContext(io);
    await registerFund(await ctx.store(), (await ctx.loadConfig()), 'test', new Date().toISOString());
    mkdirSync(path.join(dir, 'web/dist'), { recursive: true });
    writeFileSync(path.join(dir, 'web/dist/index.html'), '<!doctype html><title>Keel dashboard</title>');
  }, 120_000);
  afterAll(async () => {
    await ctx.close();
  });

  it('adds users (key printed once), refuses bad roles, duplicates, unknown funds and * for non-admins', async () => {
    const fundId = (await ctx.loadConfig()).fund.id;
    const r = await run('user', 'add', 'alice', '--role', 'pm', '--json');
    expect(r.code).toBe(0);
    const created = JSON.parse(r.out) as { user: { name: string; role: string; fundIds: string[] }; apiKey: string };
    expect(created.user).toMatchObject({ name: 'alice', role: 'pm', fundIds: [fundId] });
    expect(created.apiKey).toMatch(/^keel_[A-Za-z0-9_-]{40,}$/);
    expect((await (await ctx.store()).users.findByApiKey(created.apiKey))?.name).toBe('alice');
    expect((await run('user', 'add', 'bob', '--role', 'boss')).err).toContain('--role');
    expect((await run('user', 'add', 'alice', '--role', 'pm')).err).toContain('already exists');
    expect((await run('user', 'add', 'carol', '--role', 'pm', '--fund', 'nope')).err).toContain('fund nope does not exist');
    expect((await run('user', 'add', 'dave', '--role', 'viewer', '--fund', '*')).err).toContain('admins only');
    const root = await run('user', 'add', 'root', '--role', 'admin', '--fund', '*');
    expect(root.out).toContain('shown once');
    const list = await run('user', 'list', '--json');
    const users = (JSON.parse(list.out) as { users: { name: string }[] }).users.map((u) => u.name);
    expect(users).toEqual(['alice', 'root']);
    expect(list.out).not.toContain(created.apiKey);
  });

  it('rotates a key: the new key works, the old one no longer does', async () => {
    const store = await ctx.store();
    const before = (await run('user', 'add', 'erin', '--role', 'risk', '--json'));
    const oldKey = (JSON.parse(before.out) as { apiKey: string }).apiKey;
    const r = await run('user', 'key', 'erin', '--json');
    const newKey = (JSON.parse(r.out) as { apiKey: string }).apiKey;
    expect(newKey).not.toBe(oldKey);
    expect(await store.users.findByApiKey(oldKey)).toBeUndefined();
    expect((await store.users.findByApiKey(newKey))?.name).toBe('erin');
    expect((await run('user', 'key', 'nobody')).err).toContain('does not exist');
    const audit = (await store.audit.list({ entity: 'user' })).map((a) => a.action);
    expect(audit).toContain('UserKeyRotated');
    expect(JSON.stringify(await store.audit.list({ entity: 'user' }))).not.toContain(newKey);
  });

  it('serves the API with those keys and the dashboard at /', async () => {
    const add = await run('user', 'add', 'frank', '--role', 'viewer', '--json');
    const key = (JSON.parse(add.out) as { apiKey: string }).apiKey;
    const server = await startServe(ctx, { port: 0, host: '127.0.0.1', isLogging: false });
    try {
      const funds = (await (await fetch(`${server.url}/v1/funds`, { headers: { authorization: `Bearer ${key}` } })).json()) as { funds: { id: string }[] };
      expect(funds.funds.map((f) => f.id)).toEqual([(await ctx.loadConfig()).fund.id]);
      expect((await fetch(`${server.url}/v1/funds`)).status).toBe(401);
      const page = await fetch(`${server.url}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('Keel dashboard');
      expect((await fetch(`${server.url}/docs/openapi.json`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
