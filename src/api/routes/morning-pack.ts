import { z } from 'zod';
import { Regime, StrategyType, type Alert } from '../../contracts/index.ts';
import { addDays, ensureDefined } from '../../core/index.ts';
import { deriveRegime } from '../../overlay/index.ts';
import { buildMorningPack, DEFAULT_TOP_SIGNALS, fromStored, narrate, oneDayPnl, type AgentViewInput, type NarrateOptions } from '../../pms/index.ts';
import { marketAt } from '../market-context.ts';
import { fundRiskReport } from '../risk-book.ts';
import { route, type AnyRoute } from '../route.ts';
import { positionView } from './books.ts';
import { FundParams, qDate } from './schemas.ts';
import * as R from '../responses/index.ts';

const PackQuery = z.object({ date: qDate.optional(), narrator: z.enum(['template', 'llm']).default('template') });

function finiteTail(series: Float64Array | undefined, t: number, n: number): number[] {
  if (!series) return [];
  const out: number[] = [];
  for (let r = Math.max(0, t - n + 1); r <= t; r++) {
    const v = series[r];
    if (v !== undefined && Number.isFinite(v)) out.push(v);
  }
  return out;
}

/** The LLM narrator: POST { prompt } to the URL, read { text } (any failure falls back to the template). */
export function llmNarrator(url: string): NonNullable<NarrateOptions['llm']> {
  return async (prompt) => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ prompt }), signal: AbortSignal.timeout(20_000) });
    if (!res.ok) throw new Error(`the narrator answered HTTP ${res.status}`);
    const body = (await res.json()) as { text?: unknown };
    return typeof body.text === 'string' ? body.text : '';
  };
}

/** The morning pack: market snapshot and regime, agents' views, proposals awaiting approval, risk, alerts, narrative. */
export const morningPackRoutes: readonly AnyRoute[] = [
  route({
    method: 'GET', url: '/v1/funds/:fundId/morning-pack', tag: 'morning-pack', access: 'any', params: FundParams, query: PackQuery,
    summary: 'The morning pack for a date (default the latest market date), with its narrative (template by default)',
    response: R.MorningPackAnswer,
    handler: async ({ rt, fund, query }) => {
      const f = ensureDefined(fund, 'fund');
      const { panel, view, t } = await marketAt(rt, query.date);
      const config = await rt.configFor(f);
      const marketCloses = panel.reference.get('market');
      const indexCloses = finiteTail(marketCloses, t, 260);
      const rets = new Float64Array(Math.max(0, indexCloses.length - 1));
      for (let i = 1; i < indexCloses.length; i++) rets[i - 1] = (indexCloses[i] ?? 0) / (indexCloses[i - 1] ?? 1) - 1;
      const vix = finiteTail(panel.reference.get('vix'), t, 2);
      const indexInst = (await rt.store.instruments.list({ assetClass: 'index' }))[0];
      const vixInst = (await rt.store.instruments.list({ assetClass: 'volatility_index' }))[0];
      const agents = await rt.store.funds.agents(f.id);
      // the regime the overlay applied at the fund's last cycle on or before the pack's day (its
      // machine: confirmation, dwell, hysteresis), so the pack and the books agree; before any
      // cycle, the day's label from the market with the fund's own settings
      const appliedRegime = Regime.safeParse((await rt.store.risk.snapshotAsOf(f.id, view.asOf))?.metrics.regime);
      // open books only (gross, net, names): the stored positions, not the Position Book's read
      // model, whose realised P&L replays every fill (seconds after a start) and is not shown here
      const [positions, overlay, stored, alerts, signals, navs] = await Promise.all([
        rt.store.positions.list(f.id, { openOnly: true }).then((rows) => rows.map(positionView)),
        rt.store.overlayActions.latestHeadlinesForFund(f.id),
        rt.store.proposals.list(f.id),
        rt.store.alerts.list({ limit: 200 }),
        rt.store.signals.latestByAgent(f.id, agents.map((a) => a.id), { asOf: view.asOf, perAgent: DEFAULT_TOP_SIGNALS }),
        rt.store.nav.latestPerAgent(f.id, { asOf: view.asOf, n: 2 }),
      ]);
      const lastOverlay = new Map(overlay.map((d) => [d.agentId, d]));
      const agentViews: AgentViewInput[] = agents.map((a) => {
        const book = positions.filter((p) => p.agentId === a.id && p.qty !== 0);
        // fractions of the book's latest NAV (what the allocation left it), else its configured capital
        const nav = navs.find((p) => p.agentId === a.id)?.nav ?? 0;
        const cap = nav > 0 ? nav : a.allocatedCapital > 0 ? a.allocatedCapital : 1;
        const strategy = StrategyType.safeParse(a.strategy);
        return {
          agentId: a.id,
          strategy: strategy.success ? strategy.data : 'committee',
          state: a.drawdownState,
          signals: signals.filter((s) => s.agentId === a.id),
          book: {
            gross: book.reduce((s, p) => s + Math.abs(p.marketValue), 0) / cap,
            net: book.reduce((s, p) => s + p.marketValue, 0) / cap,
            positions: book.length,
            ...oneDayPnl(navs.filter((p) => p.agentId === a.id)),
          },
          lastOverlay: lastOverlay.get(a.id) ?? null,
        };
      });
      // The pack is still useful without a risk section (e.g. no positions priced yet).
      const risk = await rt.cache
        .get(f.id, `risk:${query.date ?? 'latest'}`, () => fundRiskReport(rt, f, query.date), rt.reportTtl)
        .then((r) => r.report)
        .catch(() => null);
      const fundAlerts: Alert[] = alerts.filter((a) => a.fundId === f.id || a.fundId === null);
      const pack = buildMorningPack({
        fundId: f.id,
        asOf: view.asOf,
        generatedAt: rt.nowIso(),
        market: {
          indexSymbol: indexInst?.symbol ?? 'market',
          indexCloses,
          volatilityIndex: vix.length > 0 ? { symbol: vixInst?.symbol ?? 'vix', level: vix[vix.length - 1] ?? 0, previous: vix.length > 1 ? (vix[0] ?? null) : null } : null,
          regime: appliedRegime.success ? appliedRegime.data : deriveRegime(rets, config.regime.trendDays, config.regime.volTarget),
        },
        agents: agentViews,
        proposals: stored.map(fromStored),
        risk,
        alerts: fundAlerts,
        alertsSince: `${addDays(view.asOf, -1)}T21:00:00.000Z`,
      });
      const llmUrl = rt.opts.llmUrl;
      const narrative = await narrate(pack, query.narrator === 'llm' && llmUrl ? { llm: llmNarrator(llmUrl) } : {});
      if (narrative.source === 'template') await rt.store.risk.saveBriefing({ fundId: f.id, date: view.asOf, content: pack as unknown as Record<string, unknown>, narrative: narrative.text });
      return { date: view.asOf, pack, narrative };
    },
  }),
];
