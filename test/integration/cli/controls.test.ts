/**
 * Controls through the real CLI and store (issue 14 item 6): fund.json seeds a fund once and is
 * never applied silently; pausing an agent is a config version the next cycle obeys (it trades
 * nothing, its book is held); resuming brings it back; a live fund needs the new version approved;
 * the kill switch is per fund (the trip writes the database, then the fund's file); funds are
 * created and listed.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultFundConfigInput } from '../../../src/contracts/index.ts';
import { fundKillSwitchFile, sharedKillSwitchFile, storedFundConfig } from '../../../src/fund/index.ts';
import { openStore, type Store } from '../../../src/store/index.ts';
import { cliHome, ok, type CliRun } from './harness.ts';

let k: ReturnType<typeof cliHome>;
let dates: string[] = [];

const config = (over: Record<string, unknown> = {}) => {
  const input = defaultFundConfigInput(10_000_000);
  return { ...input, data: { minHistoryRows: 100, degradedMinRows: 50, minQuality: 0.5 }, ...over };
};
const writeFund = (c: unknown) => writeFileSync(path.join(k.home, 'fund.json'), JSON.stringify(c));

async function withStore<T>(f: (s: Store) => Promise<T>): Promise<T> {
  const s = await openStore({ home: k.home });
  try {
    return await f(s);
  } finally {
    await s.close();
  }
}

interface Cycle {
  asOf: string;
  decisions: { agentId: string }[];
  orders: { allocations: { agentId: string }[] }[];
}
const cycleOf = (r: CliRun): Cycle => JSON.parse(ok(r).out) as Cycle;

beforeAll(async () => {
  k = cliHome();
  writeFund(config());
  ok(await k.run('market', 'generate', '--symbols', '20', '--years', '1.2', '--seed', '4'));
  ok(await k.run('init'));
  const list = JSON.parse(ok(await k.run('market', 'list', '--json')).out) as { symbol: string }[];
  dates = await withStore(async (s) => [...new Set((await s.bars.range({ symbols: [list[0]?.symbol ?? ''] })).map((b) => b.date))]);
  expect(dates.length).toBeGreaterThan(200);
}, 180_000);

describe('controls through the CLI', () => {
  it('fund.json seeds the fund once; a changed fund.json is reported and applied only by keel config apply', async () => {
    const before = await withStore((s) => storedFundConfig(s, 'main'));
    writeFund(config({ fund: { id: 'main', name: 'Renamed', totalCapital: 10_000_000 } }));
    const show = ok(await k.run('config', 'show', '--json'));
    expect((JSON.parse(show.out) as { hash: string }).hash).toBe(before?.hash);
    const list = ok(await k.run('fund', 'list', '--json'));
    expect((JSON.parse(list.out) as { id: string; name: string }[]).find((f) => f.id === 'main')?.name).toBe('Keel Demo Fund');
    const list2 = await k.run('agent', 'pause', 'nobody', '--reason', 'see the warning');
    expect(list2.err).toContain('differs from fund main\'s config in 1 field(s) (fund.name: "Keel Demo Fund" → "Renamed"); it is not applied');
    expect((await withStore((s) => storedFundConfig(s, 'main')))?.hash).toBe(before?.hash);
    const applied = ok(await k.run('config', 'apply', '--note', 'rename'));
    expect(applied.out).toContain('fund.name: "Keel Demo Fund" → "Renamed"');
    const after = await withStore((s) => storedFundConfig(s, 'main'));
    expect(after?.config.fund.name).toBe('Renamed');
    expect(ok(await k.run('config', 'apply')).out).toContain('already runs with this config');
  }, 120_000);

  it('a paused agent trades nothing from the next cycle and its book is held; resumed, it trades again', async () => {
    const [d1, d2, d3] = dates.slice(-3);
    const first = cycleOf(await k.run('run', '--once', '--as-of', d1 ?? '', '--json'));
    expect(first.decisions.map((d) => d.agentId)).toContain('momentum');
    const book = await withStore((s) => s.positions.list('main', { agentId: 'momentum' }));
    expect(book.some((p) => p.qty !== 0)).toBe(true);

    const paused = ok(await k.run('agent', 'pause', 'momentum', '--reason', 'review its signals', '--json'));
    const change = JSON.parse(paused.out) as { from: string; to: string; agent: { isEnabled: boolean } };
    expect(change.agent.isEnabled).toBe(false);
    expect(change.to).not.toBe(change.from);
    expect((await k.run('agent', 'pause', 'momentum', '--reason', 'again')).err).toContain('KEEL_E_ILLEGAL_TRANSITION');

    const second = cycleOf(await k.run('run', '--once', '--as-of', d2 ?? '', '--json'));
    expect(second.decisions.map((d) => d.agentId)).not.toContain('momentum');
    expect(second.orders.flatMap((o) => o.allocations.map((a) => a.agentId))).not.toContain('momentum');
    expect(second.orders.length).toBeGreaterThan(0);
    const held = await withStore((s) => s.positions.list('main', { agentId: 'momentum' }));
    expect(held.map((p) => [p.symbol, p.qty])).toEqual(book.map((p) => [p.symbol, p.qty]));
    await withStore(async (s) => {
      const cyc = await s.cycles.get(`main-paper-${d2}`);
      expect(cyc?.configHash).toBe(change.to);
      expect((await s.journal.list('main')).map((j) => j.body)).toContainEqual(expect.stringContaining('AgentPaused momentum: review its signals'));
    });

    ok(await k.run('agent', 'resume', 'momentum', '--reason', 'reviewed'));
    const third = cycleOf(await k.run('run', '--once', '--as-of', d3 ?? '', '--json'));
    expect(third.decisions.map((d) => d.agentId)).toContain('momentum');
  }, 180_000);

  it("risk changes are validated config versions; a live run refuses a version nobody approved", async () => {
    const bad = await k.run('agent', 'risk', 'trend', '--set', 'leverageLimit=5', '--reason', 'more');
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/KEEL_E_CONFIG_CONFLICT: agents\[\d+\]\.risk\.leverageLimit conflicts with risk\.maxLeverage/);
    expect((await k.run('agent', 'risk', 'trend', '--set', 'maxFoo=1', '--reason', 'typo')).err).toContain('riskParams.maxFoo: unknown risk parameter');
    ok(await k.run('config', 'approve', '--by', 'ops', '--note', 'reviewed'));
    const changed = ok(await k.run('agent', 'risk', 'trend', '--set', 'maxPositionPct=0.04', '--capital', '900000', '--reason', 'smaller', '--json'));
    const c = JSON.parse(changed.out) as { approved: boolean; differences: { path: string }[] };
    expect(c.approved).toBe(false);
    expect(c.differences.map((d) => d.path).sort()).toEqual([expect.stringMatching(/^agents\[\d+\]\.allocatedCapital$/), expect.stringMatching(/^agents\[\d+\]\.risk\.maxPositionPct$/)]);
    const live = await k.run('run', '--once', '--mode', 'live');
    expect(live.err).toContain('KEEL_E_CONFIG_UNAPPROVED');
    ok(await k.run('config', 'approve', '--by', 'ops', '--note', 'smaller trend'));
    const versions = JSON.parse(ok(await k.run('config', 'list', '--json')).out) as { current: boolean; approved: boolean }[];
    expect(versions.find((v) => v.current)?.approved).toBe(true);
  }, 120_000);

  it('the kill switch is per fund: the database first, then the fund\'s file; another fund still trades; the shared file of earlier versions halts all', async () => {
    ok(await k.run('fund', 'create', 'other', '--config', path.join(k.home, 'fund.json')));
    const funds = JSON.parse(ok(await k.run('fund', 'list', '--json')).out) as { id: string; agents: number }[];
    expect(funds.map((f) => f.id)).toEqual(['main', 'other']);
    expect((await k.run('fund', 'create', 'other')).err).toContain('fund other already exists');

    const trip = ok(await k.run('kill-switch', 'trip', '--reason', 'broker outage', '--by', 'rita', '--json'));
    expect(JSON.parse(trip.out)).toMatchObject({ fundId: 'main', from: 'ACTIVE', tradingState: 'HALTED', journalEntry: { kind: 'KILL_SWITCH_TRIP', who: 'rita', role: 'risk' } });
    const file = fundKillSwitchFile(k.home, 'main');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ by: 'rita', reason: 'broker outage', fundId: 'main' });
    const refused = await k.run('run', '--once');
    expect(refused.code).toBe(1);
    expect(refused.out).toContain(`kill switch file present (${file})`);
    const other = await k.run('run', '--once', '--fund', 'other', '--json');
    expect(other.code, other.err).toBe(0);
    await withStore(async (s) => {
      expect((await s.funds.get('main'))?.tradingState).toBe('HALTED');
      expect((await s.audit.list({ entity: 'fund', entityId: 'main' })).map((a) => a.action)).toContain('KillSwitchTripped');
    });
    const rearm = ok(await k.run('kill-switch', 'rearm', '--reason', 'broker back', '--json'));
    expect(JSON.parse(rearm.out)).toMatchObject({ from: 'HALTED', tradingState: 'REDUCING' });
    expect(existsSync(file)).toBe(false);
    expect((await k.run('kill-switch', 'rearm', '--reason', 'again', '--to', 'REDUCING')).err).toContain('KEEL_E_ILLEGAL_TRANSITION');

    writeFileSync(sharedKillSwitchFile(k.home), 'stop everything');
    expect((await k.run('run', '--once', '--fund', 'other')).out).toContain(sharedKillSwitchFile(k.home));
    const note = ok(await k.run('kill-switch', 'rearm', '--reason', 'cooldown over'));
    expect(note.out).toContain('exists and halts every fund');
  }, 180_000);

  it('every new command has --help', async () => {
    for (const cmd of [['agent', 'pause'], ['agent', 'resume'], ['agent', 'risk'], ['fund', 'create'], ['fund', 'list'], ['config', 'apply'], ['kill-switch', 'trip']]) {
      const r = await k.run(...cmd, '--help');
      expect(r.code).toBe(0);
      expect(r.out.length, cmd.join(' ')).toBeGreaterThan(50);
    }
    expect((await k.run('agent', '--help')).out).toContain('its book is held');
  });
});
