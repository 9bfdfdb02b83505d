/**
 * `keel risk review <request.json>`: the user's path into the overlay's risk service, over the
 * stored market. Bad input exits non-zero with KEEL_E_VALIDATION and the field named; a request
 * whose hedge leg a cap removes comes back with every book within its VaR budget.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultFundConfigInput } from '../../../src/contracts/index.ts';
import { cliHome } from './harness.ts';

describe('keel risk review', () => {
  it('names the field of a duplicate agent, a date that is not a date and a size beyond the risk math; reviews a good request within budgets', async () => {
    const k = cliHome();
    const input = defaultFundConfigInput(100_000_000);
    writeFileSync(path.join(k.home, 'fund.json'), JSON.stringify({ ...input, data: { minHistoryRows: 100, degradedMinRows: 50, minQuality: 0.5 } }));
    expect((await k.run('market', 'generate', '--symbols', '20', '--years', '1.2', '--seed', '4')).code).toBe(0);
    const names = (JSON.parse((await k.run('market', 'list', '--json')).out) as { symbol: string }[]).map((r) => r.symbol);
    const [s1, s2, s3] = names;
    const agent = { id: 'momentum', allocatedCapital: 10_000_000 };
    const good = { fund: { capital: 100_000_000 }, agents: [agent], proposals: [{ agentId: 'momentum', targets: [{ symbol: s1, weight: 0.08 }, { symbol: s2, weight: -0.05 }] }] };
    const review = async (body: unknown) => {
      const file = path.join(k.home, 'request.json');
      writeFileSync(file, typeof body === 'string' ? body : JSON.stringify(body));
      return k.run('risk', 'review', file, '--json');
    };
    const refused = async (body: unknown, field: string) => {
      const r = await review(body);
      expect(r.code).not.toBe(0);
      expect(r.err).toContain('KEEL_E_VALIDATION');
      expect(r.err).toContain(field);
    };
    await refused({ ...good, agents: [agent, agent] }, 'agents[1].id');
    await refused({ ...good, proposals: [...good.proposals, ...good.proposals] }, 'proposals[1].agentId');
    await refused({ ...good, agents: [{ ...agent, drawdownState: 'flat', drawdownSince: 'yesterday' }] }, 'agents[0].drawdownSince');
    // JSON has no Infinity, but 1e300 shares times a price overflows the risk math
    await refused(JSON.stringify(good).replace('"agents":[{', `"agents":[{"positions":[{"symbol":"${s3}","qty":1e300,"price":10}],`), 'agents[0].positions[0].qty');
    const ok = await review(good);
    expect(ok.code, ok.err).toBe(0);
    const out = JSON.parse(ok.out) as { failSafe: { active: boolean }; snapshot: { budgets: Record<string, { component: number; budget: number }> } };
    expect(out.failSafe.active).toBe(false);
    const b = out.snapshot.budgets.momentum;
    expect(b?.component ?? Number.NaN).toBeLessThanOrEqual((b?.budget ?? 0) * (1 + 1e-9));
  });
});
