/**
 * `keel run --once` on an advisory fund: the first cycle stores proposals; the next run waits for
 * them (status WAITING, exit 0, the ids listed); with `--wait` it polls until they expire, sweeps
 * them and runs the cycle.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultFundConfigInput } from '../../../src/contracts/index.ts';
import { cliHome } from './harness.ts';

const TTL_S = 30;

describe('keel run --once on an advisory fund', () => {
  it('reports the proposals it waits for, and with --wait polls until they are decided or expire', async () => {
    const k = cliHome();
    const input = defaultFundConfigInput(10_000_000);
    writeFileSync(
      path.join(k.home, 'fund.json'),
      JSON.stringify({ ...input, fund: { ...input.fund, id: 'adv', mode: 'advisory' }, data: { minHistoryRows: 100, degradedMinRows: 50, minQuality: 0.5 }, pms: { proposalTtlHours: TTL_S / 3600 } }),
    );
    expect((await k.run('market', 'generate', '--symbols', '20', '--years', '1.2', '--seed', '4')).code).toBe(0);
    const last = (JSON.parse((await k.run('market', 'list', '--json')).out) as { lastDate: string | null }[])[0]?.lastDate ?? '';
    const lastMs = Date.parse(`${last}T00:00:00Z`);
    const back = new Date(lastMs - (new Date(lastMs).getUTCDay() === 1 ? 3 : 1) * 86_400_000).toISOString().slice(0, 10);
    const first = await k.run('run', '--once', '--as-of', back, '--json');
    expect(first.code, first.err).toBe(0);
    const cycle = JSON.parse(first.out) as { asOf: string; orders: unknown[]; desk: { waiting: unknown[] } };
    expect(cycle.asOf).toBe(back);
    expect(cycle.orders).toEqual([]);
    expect(cycle.desk.waiting).toEqual([]);

    const waiting = await k.run('run', '--once', '--json');
    expect(waiting.code, waiting.err).toBe(0);
    const w = JSON.parse(waiting.out) as { status: string; reason: string; desk: { waiting: { proposalId: string; expiresAt: string }[] } };
    expect(w.status).toBe('WAITING');
    expect(w.desk.waiting.length).toBeGreaterThan(0);
    for (const x of w.desk.waiting) expect(w.reason).toContain(x.proposalId);
    const text = await k.run('run', '--once');
    expect(text.out).toContain('awaiting a decision');
    expect(text.out).toContain(w.desk.waiting[0]?.proposalId ?? 'none');

    // Nobody decides: --wait polls until they expire, then the run sweeps them and runs the next day's cycle.
    const t0 = Date.now();
    const waited = await k.run('run', '--once', '--wait', '2m', '--poll', '1', '--json');
    expect(waited.code, waited.err).toBe(0);
    const expiry = Math.max(...w.desk.waiting.map((x) => Date.parse(x.expiresAt)));
    expect(Date.now()).toBeGreaterThanOrEqual(expiry);
    expect(Date.now() - t0).toBeLessThan(TTL_S * 1000 + 30_000);
    expect(waited.err).toContain('waiting up to 120 s');
    const out = JSON.parse(waited.out) as { asOf: string; desk: { expired: string[]; waiting: unknown[] } };
    expect(out.asOf).toBe(last);
    expect([...out.desk.expired].sort()).toEqual(w.desk.waiting.map((x) => x.proposalId).sort());
    expect(out.desk.waiting).toEqual([]);

    expect((await k.run('run', '--once', '--wait', 'soon')).err).toContain('--wait must be a duration');
  }, 180_000);
});
