/**
 * The agent-workers bench's heavy plug-in (bench/agent-workers/min-variance-agent.ts) keeps meeting
 * the agent contract, so the bench does not rot: loaded from its file as a fund config names it
 * (`module`, resolved and hashed), run alone with the SDK test kit over a few days of a synthetic
 * market (every proposal checked against the contract), long-only, fully invested, within its
 * cap, and deterministic (replay).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { agentForTest, agentModuleOf, runAgent } from '../../src/agents/sdk/index.ts';
import { parseFundConfig } from '../../src/contracts/index.ts';
import { loadRoster, resolveAgentModules } from '../../src/fund/index.ts';
import { syntheticPanel } from '../../src/market/index.ts';
import minVariance from '../../bench/agent-workers/min-variance-agent.ts';

const DIR = path.resolve(import.meta.dirname, '../../bench/agent-workers');
const panel = syntheticPanel({ seed: 11, symbols: 40, years: 1 });

function loaded() {
  const m = agentModuleOf(minVariance);
  if (!m.ok) throw new Error(m.error);
  return m.module;
}

describe('the bench min-variance plug-in meets the agent contract', () => {
  it('loads from its file as a fund config names it', async () => {
    const config = await resolveAgentModules(
      parseFundConfig({ fund: { totalCapital: 10_000_000 }, agents: [{ id: 'mv', module: './min-variance-agent.ts', allocatedCapital: 2_000_000, params: { names: 20, windowDays: 60 } }] }),
      DIR,
    );
    expect(config.agents[0]).toMatchObject({ strategy: 'custom', bucket: 'directional_equity', module: path.join(DIR, 'min-variance-agent.ts') });
    expect((await loadRoster(config)).map((a) => [a.id, a.strategy])).toEqual([['mv', 'custom']]);
  });

  it.each(['min_variance', 'risk_parity'] as const)('%s: valid, long-only, fully invested proposals, the same on a second run', (method) => {
    const params = { names: 25, windowDays: 60, maxWeight: 0.1, method };
    const from = panel.dates[150] ?? '';
    const to = panel.dates[159] ?? '';
    const run = runAgent(agentForTest(loaded(), { id: 'mv', params }), panel, from, to);
    expect(run.proposals).toHaveLength(10);
    for (const p of run.proposals) {
      expect(p.targets.length).toBeGreaterThanOrEqual(method === 'min_variance' ? 10 : 25);
      expect(p.signals.map((s) => s.symbol)).toEqual(p.targets.map((t) => t.symbol));
      const total = p.targets.reduce((s, t) => s + t.weight, 0);
      expect(total).toBeGreaterThan(0.99);
      expect(total).toBeLessThan(1.01);
      for (const t of p.targets) {
        expect(t.weight).toBeGreaterThan(0);
        if (method === 'min_variance') expect(t.weight).toBeLessThanOrEqual(0.1 + 1e-3);
      }
    }
    const again = runAgent(agentForTest(loaded(), { id: 'mv', params }), panel, from, to);
    expect(again.proposals).toEqual(run.proposals);
  });

  it('stays flat while its window is warming up and refuses a bad parameter naming it', () => {
    const run = runAgent(agentForTest(loaded(), { id: 'mv', params: { windowDays: 60 } }), panel, panel.dates[10] ?? '', panel.dates[12] ?? '');
    for (const p of run.proposals) expect(p.targets).toEqual([]);
    expect(() => agentForTest(loaded(), { id: 'mv', params: { names: 2 } })).toThrow(/agents\.mv\.params\.names/);
  });
});
