/**
 * An agent its drawdown ladder paused is re-armed through the CLI (issue 15: "recovery that does not
 * trap an agent"). The ladder's last step pauses an agent until a recorded re-arm, and nothing on the
 * user's path recorded one: a paused agent stayed paused for good. Through the real CLI and store: an
 * agent paused by a (tiny) ladder is refused a re-arm while it is not paused, re-armed with
 * `keel agent rearm`, and the next cycle starts its recovery ramp.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultFundConfigInput } from '../../../src/contracts/index.ts';
import { barDates, cliHome, ok, withStore as withHome } from './harness.ts';

let k: ReturnType<typeof cliHome>;
let dates: string[] = [];

interface Cycle {
  decisions: { agentId: string; reasons: { code: string }[] }[];
}
const cycle = async (asOf: string): Promise<Cycle> => JSON.parse(ok(await k.run('run', '--once', '--no-fetch', '--as-of', asOf, '--json')).out) as Cycle;
const withStore = <T>(f: Parameters<typeof withHome<T>>[1]): Promise<T> => withHome(k.home, f);
const states = (): Promise<Map<string, string>> => withStore(async (s) => new Map((await s.funds.agents('main')).map((a) => [a.id, a.drawdownState])));

beforeAll(async () => {
  k = cliHome();
  // any loss below the high-water mark pauses an agent; no cooldown, so a re-arm is read at once
  const config = {
    ...defaultFundConfigInput(10_000_000),
    data: { minHistoryRows: 100, degradedMinRows: 50, minQuality: 0.5 },
    drawdown: { agentSteps: [{ drawdownPct: 0.0001, state: 'paused' }], cooldownDays: 0 },
  };
  writeFileSync(path.join(k.home, 'fund.json'), JSON.stringify(config));
  ok(await k.run('market', 'generate', '--symbols', '20', '--years', '1.2', '--seed', '4'));
  ok(await k.run('init'));
  dates = await barDates(k.home);
}, 180_000);

describe('keel agent rearm', () => {
  it('a paused agent is re-armed, and the next cycle starts its recovery ramp; anything else is refused naming why', async () => {
    const days = dates.slice(-12);
    let paused: string | undefined;
    let i = 0;
    for (; i < days.length && paused === undefined; i++) {
      await cycle(days[i] ?? '');
      paused = [...(await states())].find(([, st]) => st === 'paused')?.[0];
    }
    expect(paused, 'an agent lost money and its ladder paused it').toBeDefined();
    const id = paused ?? '';
    const held = await cycle(days[i++] ?? '');
    expect(held.decisions.find((d) => d.agentId === id)?.reasons.map((r) => r.code)).toContain('AGENT_PAUSED');

    expect((await k.run('agent', 'rearm', 'nobody', '--reason', 'x')).err).toContain('agent nobody of fund main does not exist');

    const r = JSON.parse(ok(await k.run('agent', 'rearm', id, '--reason', 'signals reviewed', '--by', 'rita', '--json')).out) as { agentId: string; drawdownState: string; journalEntry: { kind: string; who: string; agentId: string } };
    expect(r).toMatchObject({ agentId: id, drawdownState: 'paused', journalEntry: { kind: 'REARM', who: 'rita', agentId: id } });
    await withStore(async (s) => {
      expect((await s.audit.list({ entity: 'agent', entityId: `main/${id}` })).map((a) => a.action)).toContain('AgentRearmed');
    });

    const next = await cycle(days[i] ?? '');
    const codes = next.decisions.find((d) => d.agentId === id)?.reasons.map((x) => x.code) ?? [];
    expect(codes).not.toContain('AGENT_PAUSED');
    expect(codes).toContain('RECOVERY_RAMP');
    expect((await states()).get(id)).toBe('normal');
    const refused = await k.run('agent', 'rearm', id, '--reason', 'again');
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(`KEEL_E_ILLEGAL_TRANSITION: agent ${id} is not paused by its drawdown ladder (it is normal)`);

    // a catch-up run (--as-of, days long past) pauses the agent again: the re-arm recorded before that
    // pause does not release it (journal entries are dated by the wall clock, pauses by the as-of date)
    let again = false;
    for (i++; i < days.length && !again; i++) {
      await cycle(days[i] ?? '');
      again = (await states()).get(id) === 'paused';
    }
    expect(again, `${id} lost money again and its ladder paused it`).toBe(true);
    const still = await cycle(days[i] ?? '');
    expect(still.decisions.find((d) => d.agentId === id)?.reasons.map((x) => x.code)).toContain('AGENT_PAUSED');
  }, 300_000);
});
