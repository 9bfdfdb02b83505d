/**
 * A re-arm through the CLI reaches the next cycle (issue 15; found measuring the kill switches):
 * a fund a *market* kill switch halted stayed HALTED after every `keel kill-switch rearm`, because
 * the cycle ran from its stored state (HALTED) and wrote it back to the fund row; and a fund re-armed
 * to REDUCING after a manual trip ran ACTIVE at once, skipping the cooldown. Through the real CLI
 * and store: the re-armed fund runs REDUCING from the next cycle, and ACTIVE once the cooldown passed.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultFundConfigInput } from '../../../src/contracts/index.ts';
import { barDates, cliHome, ok, withStore } from './harness.ts';

let k: ReturnType<typeof cliHome>;
let dates: string[] = [];

const config = (vixLevel: number) => ({
  ...defaultFundConfigInput(10_000_000),
  data: { minHistoryRows: 100, degradedMinRows: 50, minQuality: 0.5 },
  killSwitch: { vixLevel },
});
const writeFund = (c: unknown) => writeFileSync(path.join(k.home, 'fund.json'), JSON.stringify(c));
const cycle = async (asOf: string): Promise<{ asOf: string; tradingState: string }> => JSON.parse(ok(await k.run('run', '--once', '--no-fetch', '--as-of', asOf, '--json')).out);
const row = (): Promise<string | undefined> => withStore(k.home, async (s) => (await s.funds.get('main'))?.tradingState);

beforeAll(async () => {
  k = cliHome();
  // the volatility index is always above 5: the first cycle trips the market kill switch
  writeFund(config(5));
  ok(await k.run('market', 'generate', '--symbols', '20', '--years', '1.2', '--seed', '4'));
  ok(await k.run('init'));
  dates = await barDates(k.home);
  expect(dates.length).toBeGreaterThan(200);
}, 180_000);

describe('a re-arm reaches the next cycle', () => {
  it('a fund a market kill switch halted runs REDUCING after a re-arm, then ACTIVE after the cooldown', async () => {
    const at = (back: number): string => dates[dates.length - back] ?? '';
    const tripped = await cycle(at(40));
    expect(tripped.tradingState).toBe('HALTED');
    expect(await row()).toBe('HALTED');
    expect((await cycle(at(39))).tradingState).toBe('HALTED'); // still triggered: no re-arm, no way out

    writeFund(config(90));
    ok(await k.run('config', 'apply', '--note', 'the volatility index level back to a crisis'));
    expect((await cycle(at(38))).tradingState).toBe('HALTED'); // the trigger has cleared; halted until a re-arm
    const rearm = JSON.parse(ok(await k.run('kill-switch', 'rearm', '--reason', 'volatility back to normal', '--by', 'rita', '--json')).out) as { from: string; tradingState: string };
    expect(rearm).toMatchObject({ from: 'HALTED', tradingState: 'REDUCING' });

    const reducing = await cycle(at(37));
    expect(reducing.tradingState).toBe('REDUCING');
    expect(await row()).toBe('REDUCING');
    // who re-armed, and why, are kept in the fund state the cycle stored
    await withStore(k.home, async (s) => {
      const summary = (await s.cycles.get(`main-paper-${reducing.asOf}`))?.summary as { state?: { fund?: { fundDrawdown?: { rearm?: unknown }; manualKill?: unknown } } };
      expect(summary.state?.fund?.fundDrawdown?.rearm).toEqual({ who: 'rita', why: 'volatility back to normal', at: reducing.asOf });
      expect(summary.state?.fund?.manualKill).toBeNull();
    });
    // the cooldown (killSwitch.cooldownDays, 10 weekdays) counts from the day the cycle read the re-arm
    expect((await cycle(at(30))).tradingState).toBe('REDUCING');
    expect((await cycle(at(27))).tradingState).toBe('ACTIVE');
    expect(await row()).toBe('ACTIVE');
  }, 240_000);

  it('a manual trip re-armed before any cycle ran holds REDUCING for the cooldown, not ACTIVE at once', async () => {
    const at = (back: number): string => dates[dates.length - back] ?? '';
    ok(await k.run('kill-switch', 'trip', '--reason', 'broker outage', '--by', 'rita'));
    expect((await k.run('run', '--once', '--no-fetch', '--as-of', at(20))).code).toBe(1); // the kill-switch file refuses
    ok(await k.run('kill-switch', 'rearm', '--reason', 'broker back', '--by', 'rita'));
    expect((await cycle(at(19))).tradingState).toBe('REDUCING');
    expect((await cycle(at(12))).tradingState).toBe('REDUCING');
    expect((await cycle(at(8))).tradingState).toBe('ACTIVE');
  }, 240_000);
});
