import { z } from 'zod';
import { id } from '../../contracts/index.ts';
import { ensureDefined, KeelError } from '../../core/index.ts';
import { DRIVER_SENSITIVITY, HISTORICAL_SCENARIOS, reviewRisk, RiskReviewRequest, SEED_SCENARIOS } from '../../overlay/index.ts';
import { marketAt } from '../market-context.ts';
import { fundRiskReport, fundStress, latestPerScenario, riskBudgets } from '../risk-book.ts';
import { rawJson, route, type AnyRoute } from '../route.ts';
import { dateRange, FundParams, qDate, qInt } from './schemas.ts';
import * as R from '../responses/index.ts';

const SCENARIO_NAMES = [...SEED_SCENARIOS, ...HISTORICAL_SCENARIOS].map((s) => s.name);
/** `worst_<n>d`: the fund's worst n-day window in the stored history. */
const WORST_WINDOW = /^worst_\d+d$/;
const scenarioName = z
  .string()
  .refine((s) => SCENARIO_NAMES.includes(s) || WORST_WINDOW.test(s), { message: `unknown scenario (known: ${SCENARIO_NAMES.join(', ')})` })
  .meta({ anyOf: [{ enum: SCENARIO_NAMES }, { pattern: WORST_WINDOW.source }] });
const StressRun = z.object({ scenarios: z.array(scenarioName).max(50).optional() });

/** Risk monitor, stress run and results, the risk-service face, the hedge book's targets, and overlay actions. */
export const riskRoutes: readonly AnyRoute[] = [
  route({
    method: 'GET', url: '/v1/funds/:fundId/risk', tag: 'risk', access: 'any', params: FundParams, query: z.object({ asOf: qDate.optional() }),
    summary: 'Risk monitor: VaR (historical, parametric, Monte Carlo), CVaR, limits, concentration, liquidity, stress',
    response: R.RiskAnswer,
    handler: async ({ rt, fund, query }) => {
      const f = ensureDefined(fund, 'fund');
      const key = query.asOf ?? 'latest';
      return rt.cache.get(f.id, `risk-json:${key}`, async () => rawJson(await rt.cache.get(f.id, `risk:${key}`, () => fundRiskReport(rt, f, query.asOf), rt.reportTtl)), rt.reportTtl);
    },
  }),
  route({
    method: 'POST', url: '/v1/funds/:fundId/stress', tag: 'risk', access: ['risk'], params: FundParams, body: StressRun, status: 201,
    summary: "Run stress scenarios on the fund's current books (results are stored)",
    response: R.StressRun,
    handler: async ({ rt, fund, body, principal }) => {
      const f = ensureDefined(fund, 'fund');
      const agents = await rt.store.funds.agents(f.id);
      const { asOf, nav, report } = await fundStress(rt, f, agents, body.scenarios);
      const results = report.results.map((r) => ({ scenario: r.scenario, kind: r.kind, pnlImpact: Math.round(r.fundPnl * 100) / 100, pnlImpactPct: r.fundPnlPct, perAgent: r.perAgent }));
      const runAt = rt.nowIso();
      await rt.store.risk.addStressResults(results.map((r) => ({ fundId: f.id, cycleId: null, asOf, scenario: r.scenario, pnlImpact: r.pnlImpact, pnlImpactPct: r.pnlImpactPct, perAgent: r.perAgent, details: { kind: r.kind, runBy: principal?.name ?? null, runAt, book: 'held' } })));
      rt.cache.invalidate(f.id);
      return { asOf, nav, runAt, results, worst: report.worst ? { scenario: report.worst.scenario, pnlImpact: report.worst.fundPnl, pnlImpactPct: report.worst.fundPnlPct } : null };
    },
  }),
  route({
    method: 'GET', url: '/v1/funds/:fundId/stress', tag: 'risk', access: 'any', params: FundParams, query: z.object({ asOf: qDate.optional() }),
    summary: "Latest stored stress results: a cycle's (of the book its orders aim at: details.book 'target') or a POST's (of the held book: details.book 'held'), each with details.runAt",
    response: R.StressResults,
    handler: async ({ rt, params, query }) => ({ results: latestPerScenario(await rt.store.risk.latestStress(params.fundId, query.asOf)) }),
  }),
  route({
    method: 'GET', url: '/v1/risk/scenarios', tag: 'risk', access: 'any',
    summary: 'The stress scenarios: each factor and historical scenario with its shocks, and the worst-window replays',
    response: R.ScenarioDefs,
    handler: async ({ rt }) => ({
      scenarios: [...SEED_SCENARIOS, ...HISTORICAL_SCENARIOS].map((s) => ({ name: s.name, kind: s.kind, description: s.description, note: s.note ?? null, factorShocks: s.factorShocks })),
      replays: rt.opts.config.risk.stressReplayWindows.map((d) => ({ name: `replay_worst_${d}d`, kind: 'replay', description: `the worst ${d}-day window of the market in the risk model's lookback, each held name moved by its own returns over it` })),
      units: 'factorShocks are returns (equity_beta × each name\'s β, momentum_factor and value_factor × its style loading), except volatility (relative change of the VIX) and rates_duration (change of yield); credit_spread, liquidity, volatility, vol_selling, correlation_spike and rates_duration act through the agents\' risk drivers (driverSensitivity: P&L per dollar of gross per unit of shock)',
      driverSensitivity: DRIVER_SENSITIVITY,
    }),
  }),
  route({
    method: 'POST', url: '/v1/risk/review', tag: 'risk', access: ['pm', 'risk'], body: RiskReviewRequest,
    summary: 'The risk service: review proposals against a fund state over the stored market',
    response: R.RiskReviewAnswer,
    handler: async ({ rt, body }) => {
      const { view } = await marketAt(rt, body.asOf);
      if (body.asOf !== undefined && view.asOf !== body.asOf) throw new KeelError('KEEL_E_VALIDATION', `body.asOf: ${body.asOf} is not a market date (nearest earlier: ${view.asOf})`, { field: 'body.asOf' });
      return reviewRisk(body, view, rt.opts.config);
    },
  }),
  route({
    method: 'GET', url: '/v1/funds/:fundId/hedges', tag: 'risk', access: 'any', params: FundParams,
    query: dateRange(z.object({ from: qDate.optional(), to: qDate.optional(), limit: qInt(1, 5000).default(500) })),
    summary: "The fund hedge book's targets per cycle and instrument (date order; the latest `limit`)",
    response: R.HedgesAnswer,
    handler: async ({ rt, params, query }) => ({ hedges: await rt.store.hedges.list(params.fundId, query) }),
  }),
  route({
    method: 'GET', url: '/v1/funds/:fundId/allocation', tag: 'risk', access: 'any', params: FundParams,
    query: dateRange(z.object({ from: qDate.optional(), to: qDate.optional(), limit: qInt(1, 5000).default(500) })),
    summary: "The capital allocations across agents the overlay made (each cycle's that moved capital: a rebalance, or an unready agent's capital to the others), the latest `limit` in date order",
    response: R.AllocationsAnswer,
    handler: async ({ rt, params, query }) => ({
      allocations: (await rt.store.risk.allocations(params.fundId, query)).map((s) => ({ cycleId: s.cycleId, ...s.allocation })),
    }),
  }),
  route({
    method: 'GET', url: '/v1/funds/:fundId/risk-budgets', tag: 'risk', access: 'any', params: FundParams,
    summary: "Each agent's VaR budget use on the overlay's own measure, from the last cycle's risk snapshot: component VaR (Euler, dollars) over its budget in dollars (its share of the fund's VaR budget at the risk target × the limit factor); the same for the strategy buckets (null fields before the first cycle)",
    response: R.RiskBudgets,
    handler: async ({ rt, params }) => riskBudgets(await rt.store.risk.latestSnapshot(params.fundId)),
  }),
  route({
    method: 'GET', url: '/v1/funds/:fundId/overlay-actions', tag: 'risk', access: 'any', params: FundParams,
    query: z.object({ agentId: id.optional(), limit: qInt(1, 1000).default(100) }),
    summary: 'Overlay decisions (newest first)', response: R.OverlayActionsAnswer,
    handler: async ({ rt, params, query }) => ({ actions: await rt.store.overlayActions.listForFund(params.fundId, query) }),
  }),
  route({
    method: 'GET', url: '/v1/funds/:fundId/overlay-actions/latest', tag: 'risk', access: 'any', params: FundParams,
    summary: 'The last overlay decision of each agent', response: R.LatestOverlayActions,
    handler: async ({ rt, params }) => ({ latest: Object.fromEntries((await rt.store.overlayActions.latestForFund(params.fundId)).map((d) => [d.agentId, d])) }),
  }),
];
