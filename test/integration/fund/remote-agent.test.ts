/**
 * Remote agents (issue 16): the Python example (examples/agents/python, standard library only)
 * runs as a remote HTTP agent in a backtest — asked every day, its proposals reviewed and traded,
 * and replayed from the recorded answers with the server gone. An agent that is late, fails or
 * answers an invalid proposal holds (no new exposure) with a HIGH alert and HOLD decision records,
 * and that cycle replays identically too.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultFundConfigInput, parseFundConfig, type AgentRequest } from '../../../src/contracts/index.ts';
import { replayCycle, runBacktest, type CycleResult } from '../../../src/fund/index.ts';
import { syntheticPanel, viewAt, type Panel } from '../../../src/market/index.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const panel: Panel = syntheticPanel({ symbols: 60, years: 2, seed: 11 });
/** n trading days ending 31 rows before the panel's end (a quiet stretch of this market: no crisis regime). */
const lastDays = (n: number) => ({ from: panel.dates[panel.T - 30 - n] ?? '', to: panel.dates[panel.T - 31] ?? '' });

function fund(remote: Record<string, unknown>, risk: Record<string, unknown> = {}) {
  const input = defaultFundConfigInput(10_000_000);
  return parseFundConfig({
    ...input,
    risk,
    data: { minHistoryRows: 200, degradedMinRows: 100 },
    agents: [
      { id: 'momentum', strategy: 'momentum', allocatedCapital: 3_000_000 },
      { id: 'py-value', allocatedCapital: 3_000_000, params: { names: 6 }, remote: { timeoutMs: 5_000, data: { fields: ['close'], lookbackDays: 21 }, ...remote } },
    ],
  });
}

let python: ChildProcess;
let pythonUrl = '';

beforeAll(async () => {
  python = spawn('python3', [path.join(ROOT, 'examples/agents/python/value_agent.py'), '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  pythonUrl = await new Promise<string>((resolve, reject) => {
    let out = '';
    python.on('error', reject);
    python.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
  });
});
afterAll(() => {
  python.kill();
});

describe('a remote agent in Python', () => {
  it('is told which names the fund takes new exposure in (universe.eligible: risk.minMarketCap) and keeps to them', async () => {
    const row = panel.dates.indexOf(lastDays(5).from);
    const first = viewAt(panel, row);
    const caps = first.symbols.map((_, u) => first.value('marketCap', u)).filter((c) => c > 0);
    caps.sort((a, b) => a - b);
    const minMarketCap = caps[Math.floor(caps.length / 2)] ?? 0;
    const cycles: CycleResult[] = [];
    await runBacktest({ id: 'bt-py-universe', config: fund({ http: pythonUrl }, { minMarketCap }), panel, ...lastDays(5), onCycle: (c) => cycles.push(c) });
    expect(cycles).toHaveLength(5);
    for (const c of cycles) {
      const view = viewAt(panel, panel.dates.indexOf(c.asOf));
      const targets = c.proposals.find((x) => x.agentId === 'py-value')?.targets ?? [];
      expect(targets).toHaveLength(6);
      expect(targets.filter((t) => view.value('marketCap', view.column(t.symbol)) < minMarketCap).map((t) => t.symbol)).toEqual([]);
      const cut = c.decisions.filter((d) => d.agentId === 'py-value').flatMap((d) => d.reasons.filter((r) => r.code === 'MIN_MARKET_CAP'));
      expect(cut).toEqual([]);
    }
  }, 120_000);

  it('is asked every day of a backtest; its proposals are reviewed and traded, and replay uses the recorded answers', async () => {
    const cycles: CycleResult[] = [];
    const r = await runBacktest({ id: 'bt-py', config: fund({ http: pythonUrl }), panel, ...lastDays(30), captureInputs: true, onCycle: (c) => cycles.push(c) });
    expect(r.days).toBe(30);
    const py = r.agents.find((a) => a.id === 'py-value');
    expect(py?.trading.tradedNotional).toBeGreaterThan(1_000_000);
    for (const c of cycles) {
      expect(c.alerts.filter((a) => a.title.includes('failed to propose'))).toEqual([]);
      const p = c.proposals.find((x) => x.agentId === 'py-value');
      expect(p?.targets).toHaveLength(6);
      expect(p?.reasoning).toContain('short-term value');
      expect(c.decisions.some((d) => d.agentId === 'py-value')).toBe(true);
      expect(c.inputs?.remote?.['py-value']).toEqual({ proposal: p });
    }
    python.kill();
    for (const c of cycles.slice(-5)) {
      const report = await replayCycle(fund({ http: pythonUrl }), panel, c.inputs ?? (undefined as never), c.decisions);
      expect(report.differences).toEqual([]);
      expect(report.identical).toBe(true);
    }
  }, 120_000);
});

/** A fake remote agent: answers like the Python one for `goodDays` requests, then misbehaves as told. */
function fakeAgent(mode: 'late' | 'error' | 'invalid', goodDays: number): Promise<{ url: string; server: Server; asked: () => number }> {
  let n = 0;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const q = JSON.parse(body) as AgentRequest;
      n++;
      const sym = q.universe.symbols[1] ?? '';
      const good = { version: 1, traceId: q.traceId, cycleId: q.cycleId, agentId: q.agentId, strategy: 'custom', asOf: q.asOf, signals: [], targets: [{ symbol: sym, weight: 0.3 }] };
      if (n <= goodDays) return void res.end(JSON.stringify(good));
      if (mode === 'late') return void setTimeout(() => res.end(JSON.stringify(good)), 400);
      if (mode === 'error') {
        res.statusCode = 500;
        return void res.end('{"error":"model crashed"}');
      }
      res.end(JSON.stringify({ ...good, targets: [{ symbol: sym, weight: 'lots' }] }));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/propose`, server, asked: () => n })));
}

describe('a remote agent that is late, fails or answers an invalid proposal', () => {
  for (const [mode, error] of [
    ['late', 'no answer within 150 ms'],
    ['error', 'request failed: HTTP 500 from'],
    ['invalid', 'invalid proposal: proposal.targets[0].weight'],
  ] as const) {
    it(`holds when ${mode}: no new exposure, a HIGH alert, HOLD records, and the cycle replays identically`, async () => {
      const fake = await fakeAgent(mode, 3);
      try {
        const cycles: CycleResult[] = [];
        const config = fund({ http: fake.url, timeoutMs: 150 });
        await runBacktest({ id: `bt-${mode}`, config, panel, ...lastDays(6), captureInputs: true, onCycle: (c) => cycles.push(c) });
        expect(fake.asked()).toBe(6);
        const held = cycles[3];
        if (!held) throw new Error('no 4th cycle');
        expect(held.proposals.map((p) => p.agentId)).toEqual(['momentum']);
        expect(held.decisions.map((d) => d.agentId)).toEqual(['momentum']);
        const alert = held.alerts.find((a) => a.title === 'agent py-value failed to propose');
        expect(alert?.severity).toBe('HIGH');
        expect(alert?.message).toContain(error);
        const hold = held.records.filter((r) => r.metadata['agentId'] === 'py-value');
        expect(hold.length).toBe(1);
        expect(hold[0]).toMatchObject({ finalDecision: 'HOLD', reasonCodes: ['AGENT_NO_PROPOSAL'] });
        expect(String(hold[0]?.metadata['error'])).toContain(error);
        // its book stands: no order of the cycle trades for it
        expect(held.orders.filter((o) => o.allocations.some((a) => a.agentId === 'py-value'))).toEqual([]);
        expect(held.inputs?.remote?.['py-value']).toMatchObject({ error: expect.stringContaining(error) as string });
        const report = await replayCycle(config, panel, held.inputs ?? (undefined as never), held.decisions);
        expect(report.identical).toBe(true);
      } finally {
        fake.server.close();
      }
    }, 120_000);
  }
});
