/**
 * The journal records the system's decisions (issue 17): a real `keel run --once` on a generated
 * market, with one agent given no capital (the overlay BLOCKs it) and the others scaled by the
 * regime, journals one OVERLAY_DECISION by system:overlay per agent blocked or cut by at least
 * OVERLAY_JOURNAL_MIN_CUT of its gross, read back through the HTTP API with the actor filter; a
 * backtest of the same fund journals none.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../../src/api/index.ts';
import { InProcessBus } from '../../../src/bus/index.ts';
import { defaultFundConfigInput, parseFundConfig, type OverlayDecision } from '../../../src/contracts/index.ts';
import { SequentialIds, SimClock } from '../../../src/core/index.ts';
import { OVERLAY_JOURNAL_MIN_CUT, createFundMetrics, grossCut } from '../../../src/fund/index.ts';
import { openStore } from '../../../src/store/index.ts';
import { cliHome, ok } from './harness.ts';

interface Entry { id: string; kind: string; who: string; role: string; rationale: string; agentId: string | null; links: { decisionIds: string[] } }

let k: ReturnType<typeof cliHome>;
let key = '';
let dates: string[] = [];

/** GET a journal query through the real API over the home's store (the CLI is not running: one process opens it). */
async function journal(query: string): Promise<Entry[]> {
  const store = await openStore({ home: k.home });
  try {
    const app = await buildServer({ store, config: parseFundConfig(defaultFundConfigInput()), bus: new InProcessBus(), metrics: createFundMetrics(), clock: new SimClock(Date.now()), ids: new SequentialIds('t') });
    try {
      const res = await app.inject({ method: 'GET', url: `/v1/funds/main/journal?${query}`, headers: { authorization: `Bearer ${key}` } });
      expect(res.statusCode, res.body).toBe(200);
      return (res.json() as { entries: Entry[] }).entries;
    } finally {
      await app.close();
    }
  } finally {
    await store.close();
  }
}

beforeAll(async () => {
  k = cliHome();
  const input = defaultFundConfigInput(10_000_000);
  // reversal has no capital: the risk budget check blocks its book (NO_CAPITAL) every cycle
  const agents = (input.agents ?? []).map((a) => (a.id === 'reversal' ? { ...a, allocatedCapital: 0 } : a));
  writeFileSync(path.join(k.home, 'fund.json'), JSON.stringify({ ...input, agents, data: { minHistoryRows: 100, degradedMinRows: 50, minQuality: 0.5 } }));
  ok(await k.run('market', 'generate', '--symbols', '20', '--years', '1.2', '--seed', '4'));
  ok(await k.run('init'));
  key = (JSON.parse(ok(await k.run('user', 'add', 'root', '--role', 'admin', '--json')).out) as { apiKey: string }).apiKey;
  const store = await openStore({ home: k.home });
  try {
    const list = await store.instruments.list();
    dates = [...new Set((await store.bars.range({ symbols: [list[0]?.symbol ?? ''] })).map((b) => b.date))];
  } finally {
    await store.close();
  }
  expect(dates.length).toBeGreaterThan(200);
}, 180_000);

describe('overlay decisions in the journal', () => {
  it('a backtest journals no overlay decision', async () => {
    ok(await k.run('backtest', '--from', dates[dates.length - 8] ?? '', '--to', dates[dates.length - 4] ?? '', '--json'));
    expect(await journal('kind=OVERLAY_DECISION')).toEqual([]);
  }, 180_000);

  it('a live cycle journals each block and material cut once, as the system, with the action, scale and reasons', async () => {
    const asOf = dates[dates.length - 2] ?? '';
    const cycle = JSON.parse(ok(await k.run('run', '--once', '--as-of', asOf, '--json')).out) as { cycleId: string; decisions: OverlayDecision[] };
    const blocked = cycle.decisions.find((d) => d.agentId === 'reversal');
    expect(blocked?.action).toBe('BLOCK');
    const expected = cycle.decisions.filter((d) => d.action === 'BLOCK' || (d.action !== 'APPROVE' && grossCut(d) >= OVERLAY_JOURNAL_MIN_CUT)).map((d) => d.agentId).sort();
    const approvedOrTrimmed = cycle.decisions.filter((d) => !expected.includes(d.agentId)).map((d) => d.agentId);

    const system = await journal('actor=system&kind=OVERLAY_DECISION&limit=500');
    expect(system.map((e) => e.agentId).sort()).toEqual(expected);
    for (const id of approvedOrTrimmed) expect(system.some((e) => e.agentId === id)).toBe(false);
    const entry = system.find((e) => e.agentId === 'reversal');
    expect(entry).toMatchObject({ id: `${cycle.cycleId}:overlay:reversal`, kind: 'OVERLAY_DECISION', who: 'system:overlay', role: 'system', links: { decisionIds: [blocked?.decisionId] } });
    expect(entry?.rationale).toContain("The overlay blocked reversal's book");
    expect(entry?.rationale).toContain('BLOCK, scale 0.00');
    expect(entry?.rationale).toContain('NO_CAPITAL');
    // the human filter leaves them out; the text search finds them like any entry
    expect((await journal('actor=human&limit=500')).some((e) => e.kind === 'OVERLAY_DECISION')).toBe(false);
    expect((await journal('text=NO_CAPITAL')).map((e) => e.id)).toEqual([entry?.id]);

    // the next cycle adds its own entries, one per agent again
    ok(await k.run('run', '--once', '--as-of', dates[dates.length - 1] ?? '', '--json'));
    const after = await journal('actor=system&kind=OVERLAY_DECISION&agentId=reversal&limit=500');
    expect(after).toHaveLength(2);
    expect(new Set(after.map((e) => e.id)).size).toBe(2);
  }, 180_000);
});
