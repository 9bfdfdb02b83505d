/**
 * What approving an agent's proposal would trade (GET …/proposals/:id/impact) is sized on the
 * capital the fund state gives the agent, as the execution sizes it, not on its configured capital.
 * An advisory fund through the real CLI: the first `keel run` moves the capital of the agent that
 * cannot trade this market (vol-premium, no VXX) to the others and stores their books as proposals;
 * the preview of momentum's book is its weights × the capital the allocation gave it (read here
 * from the cycle's stored allocation). Before, it used the configured capital: a preview short of
 * the trade by the share the allocation added.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultFundConfigInput, parseFundConfig } from '../../../src/contracts/index.ts';
import type { Store } from '../../../src/store/index.ts';
import { barDates, cliHome, ok, serveHome } from './harness.ts';

const KEY = 'test-key-impact-viewer-0123456789abcdef';
const input = { ...defaultFundConfigInput(10_000_000), fund: { ...defaultFundConfigInput(10_000_000).fund, id: 'adv', mode: 'advisory' as const }, data: { minHistoryRows: 100, degradedMinRows: 50, minQuality: 0.5 } };
let store: Store;
let app: FastifyInstance;

beforeAll(async () => {
  const k = cliHome();
  writeFileSync(path.join(k.home, 'fund.json'), JSON.stringify(input));
  ok(await k.run('market', 'generate', '--symbols', '20', '--years', '1.2', '--seed', '4', '--no-proxies'));
  const days = await barDates(k.home);
  ok(await k.run('run', '--once', '--no-fetch', '--as-of', days[days.length - 1] ?? ''));
  ({ store, app } = await serveHome(k.home, parseFundConfig(input), 'adv', KEY));
}, 300_000);
afterAll(async () => {
  await app?.close();
  await store?.close();
});

describe("a proposal's impact", () => {
  it("is sized on the capital the allocation gave the agent, as its execution will be", async () => {
    const get = async <T,>(url: string): Promise<T> => {
      const r = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${KEY}` } });
      expect(r.statusCode, r.body).toBe(200);
      return r.json() as T;
    };
    const [snap] = await store.risk.snapshots('adv');
    const alloc = snap?.metrics['allocation'] as { agents: { agentId: string; from: number; to: number }[] };
    const momentum = alloc.agents.find((a) => a.agentId === 'momentum');
    const configured = input.agents?.find((a) => a.id === 'momentum')?.allocatedCapital ?? 0;
    // not vacuous: the allocation gave momentum more than its configured capital
    expect(momentum?.to ?? 0).toBeGreaterThan(1.05 * configured);
    const { proposals } = await get<{ proposals: { id: string; agentId: string; targets: { symbol: string; weight: number }[] }[] }>('/v1/funds/adv/proposals');
    const p = proposals.find((x) => x.agentId === 'momentum');
    expect(p?.targets.length ?? 0).toBeGreaterThan(0);
    const im = await get<{ tickets: { symbol: string; side: string; notional: number }[] }>(`/v1/funds/adv/proposals/${p?.id ?? ''}/impact`);
    // nothing is held yet (advisory: nothing executed), so each ticket is the target weight × the capital
    for (const t of p?.targets ?? []) {
      const ticket = im.tickets.find((x) => x.symbol === t.symbol);
      expect(ticket, t.symbol).toBeDefined();
      expect(Math.abs(ticket?.notional ?? 0)).toBeCloseTo(Math.abs(t.weight) * (momentum?.to ?? 0), -2);
    }
  });
});
