import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliHome } from './harness.ts';

describe('keel init, config and audit', () => {
  it('init creates the home, the database and the default fund; a second init keeps them', async () => {
    const k = cliHome();
    const first = await k.run('init', '--json');
    expect(first.code).toBe(0);
    const r1 = JSON.parse(first.out) as { wroteConfig: boolean; agents: number; configHash: string; database: string };
    expect(r1).toMatchObject({ wroteConfig: true, agents: 9, database: 'pglite' });
    const second = JSON.parse((await k.run('init', '--json')).out) as { wroteConfig: boolean; configHash: string };
    expect(second.wroteConfig).toBe(false);
    expect(second.configHash).toBe(r1.configHash);
  });

  it('approving a config is recorded in a verifiable audit chain', async () => {
    const k = cliHome();
    await k.run('init');
    const approve = await k.run('config', 'approve', '--by', 'risk-officer', '--note', 'quarterly review', '--json');
    expect(approve.code).toBe(0);
    const list = JSON.parse((await k.run('config', 'list', '--json')).out) as { approved: boolean; approvedBy: string }[];
    expect(list[0]).toMatchObject({ approved: true, approvedBy: 'risk-officer' });
    const v = JSON.parse((await k.run('audit', 'verify', '--json')).out) as { ok: boolean; rows: number };
    expect(v).toEqual({ ok: true, rows: 2 });
  });

  it('a contradictory config file fails with both fields named and a non-zero exit', async () => {
    const k = cliHome();
    const file = path.join(k.home, 'bad.json');
    writeFileSync(
      file,
      JSON.stringify({ fund: { totalCapital: 1000 }, agents: [{ id: 'a', strategy: 'momentum', allocatedCapital: 5000 }] }),
    );
    const r = await k.run('config', 'validate', file);
    expect(r.code).toBe(1);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toContain('KEEL_E_CONFIG_CONFLICT');
    expect(r.err).toContain('fund.totalCapital');
  });

  it('a misspelt key or a bad agent parameter is refused by validate and apply, naming the field; nothing is stored', async () => {
    const k = cliHome();
    const cases: [unknown, string][] = [
      [{ fund: {}, risk: { maxGrossExposur: 1 } }, "risk.maxGrossExposur: unknown key; did you mean 'maxGrossExposure'?"],
      [{ fund: {}, agents: [{ id: 'momo', strategy: 'momentum', allocatedCapital: 1000, params: { lookbackDays: -5 } }] }, 'agents.momo.params.lookbackDays'],
      [{ fund: {}, agents: [{ id: 'momo', strategy: 'momentum', allocatedCapital: 1000, params: { lookbak: 5 } }] }, 'agents.momo.params.lookbak'],
      [{ fund: { id: '..' } }, 'fund.id: letters, digits'],
    ];
    for (const [config, field] of cases) {
      const file = path.join(k.home, 'bad.json');
      writeFileSync(file, JSON.stringify(config));
      for (const cmd of [['config', 'validate', file], ['config', 'apply', '--config', file]]) {
        const r = await k.run(...cmd);
        expect(r.code, cmd.join(' ')).toBe(1);
        expect(r.err, cmd.join(' ')).toContain(field);
      }
    }
    expect(JSON.parse((await k.run('fund', 'list', '--json')).out)).toEqual([]);
  });

  it('bad arguments exit 2 with a reason; --help exits 0', async () => {
    const k = cliHome();
    const bad = await k.run('init', '--capital', 'lots');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--capital must be a positive number');
    const help = await k.run('config', '--help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('approve');
    const missing = await k.run('config', 'validate', 'nope.json');
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('KEEL_E_FILE');
  });
});
