/** The files `keel agent new <name>` writes: a ranking agent on the SDK, its test, and its config entry. */

const className = (name: string): string =>
  name
    .split(/[-_]/)
    .filter((x) => x !== '')
    .map((x) => x[0]?.toUpperCase() + x.slice(1))
    .join('') + 'Agent';

export function agentSource(name: string): string {
  const cls = className(name);
  return `/**
 * ${name}: a Keel plug-in agent (docs/agents.md "Write your own agent").
 * Idea: hold the names with the lowest recent volatility. Change \`score\` to your idea:
 * the base ranks the universe by it, holds the best names and attaches mu, sigma and confidence.
 */
import { crossSection, defineAgent, RankingAgent, RankingParams, realizedVol, z, type AgentBook, type AgentContext, type MarketView } from 'keel/agents';

export const Params = RankingParams.extend({
  /** Days of returns the volatility is measured over. */
  volDays: z.number().int().min(5).max(252).default(63),
});
export type Params = z.infer<typeof Params>;

export class ${cls} extends RankingAgent {
  private readonly volDays: number;

  constructor(ctx: AgentContext, params: Params) {
    super(ctx, params, '${name}@1');
    this.volDays = params.volDays;
  }

  protected override warmupDays(): number {
    return this.volDays;
  }

  /** Higher is better; NaN means no view. Here: minus the realised volatility. */
  protected score(view: MarketView, _book: AgentBook): Float64Array {
    return crossSection(view, (u) => -realizedVol(view, u, this.volDays));
  }
}

export default defineAgent({
  contract: '1',
  summary: 'long the least volatile names',
  bucket: 'directional_equity',
  riskDrivers: ['equity_beta', 'defensive'],
  params: Params,
  create: (ctx, params) => new ${cls}(ctx, params),
});
`;
}

export function agentTestSource(name: string): string {
  return `// Run: node --import tsx --test ${name}.test.ts   (or: keel agent check ./${name}.ts)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { agentForTest, agentModuleOf, runAgent } from 'keel/agents';
import { syntheticPanel } from 'keel/market';
import agentModule from './${name}.ts';

test('${name} proposes valid books on a synthetic market', () => {
  const m = agentModuleOf(agentModule);
  assert.ok(m.ok, m.ok ? '' : m.error);
  const agent = agentForTest(m.module, { id: '${name}' });
  const panel = syntheticPanel({ seed: 7, symbols: 60, years: 1 });
  const run = runAgent(agent, panel, panel.dates[120] ?? '', panel.dates[panel.T - 1] ?? '');
  assert.equal(run.proposals.length, panel.T - 120);
  assert.ok(run.tearSheet.meanNames > 0, 'it holds something');
});
`;
}
