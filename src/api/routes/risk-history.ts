import { z } from 'zod';
import { ensureDefined } from '../../core/index.ts';
import { RISK_MEASURES, utilisation } from '../../pms/index.ts';
import { latestPerScenario, riskBudgets } from '../risk-book.ts';
import { riskHistory, type LimitedPoint } from '../risk-series.ts';
import { route, type AnyRoute } from '../route.ts';
import { dateRange, FundParams, qDate } from './schemas.ts';

const Measure = z.enum(RISK_MEASURES);
const nullNum = z.number().nullable();
const Limit = z.object({ measure: Measure, label: z.string(), limit: z.number(), source: z.string().meta({ description: 'the fund config key of the limit' }) });
const Alert = z.object({ id: z.string(), traceId: z.string(), title: z.string(), timestamp: z.string(), acknowledgedAt: z.string().nullable(), acknowledgedBy: z.string().nullable() });
const Breach = z.object({
  measure: Measure,
  label: z.string(),
  from: z.string(),
  to: z.string(),
  days: z.number().int(),
  peak: z.number(),
  limit: z.number(),
  isOngoing: z.boolean(),
  cycleIds: z.array(z.string()),
  alerts: z.array(Alert),
  acknowledgedBy: z.string().nullable(),
  acknowledgedAt: z.string().nullable(),
});
const Point = z.object({
  date: z.string(),
  cycleId: z.string().nullable(),
  capital: nullNum,
  nav: nullNum,
  varDollars: nullNum,
  values: z.object({ var: nullNum, cvar: nullNum, var99: nullNum, gross: nullNum, drawdown: nullNum }),
  configHash: z.string().meta({ description: "the config in force that day: the one the day's cycle ran with, else the previous day's" }),
  limits: z.object({ var: z.number(), cvar: z.number(), var99: z.number(), gross: z.number(), drawdown: z.number() }).meta({ description: "each measure's limit in the config in force that day" }),
});

/** GET …/risk/history: the daily series of each limit measure with the limit in force that day, the current limits, and the breach log. */
export const RiskHistoryResponse = z.object({
  fundId: z.string(),
  limits: z.array(Limit).meta({ description: "the current config's limits" }),
  points: z.array(Point),
  breaches: z.array(Breach),
});
export type RiskHistoryResponse = z.infer<typeof RiskHistoryResponse>;

const MeasureAsOf = z.object({ measure: Measure, label: z.string(), source: z.string(), date: z.string().nullable(), value: nullNum, limit: z.number(), utilisation: nullNum, status: z.enum(['OK', 'WARNING', 'BREACH']).nullable() });

/** GET …/risk/as-of: the risk page's recorded numbers as of a past date. */
export const RiskAsOfResponse = z.object({
  date: z.string(),
  snapshotAsOf: z.string().nullable(),
  cycleId: z.string().nullable(),
  capital: nullNum,
  nav: nullNum,
  navDate: z.string().nullable(),
  var: nullNum,
  var99: nullNum,
  cvar: nullNum,
  measures: z.array(MeasureAsOf),
  concentration: z.object({ largestName: z.object({ symbol: z.string().nullable(), pct: z.number() }).nullable(), top10Pct: nullNum, hhi: nullNum }),
  netBySector: z.array(z.object({ sector: z.string(), net: z.number() })),
  budgets: z.object({
    asOf: z.string().nullable(),
    cycleId: z.string().nullable(),
    fundVar: nullNum,
    agents: z.array(z.object({ agentId: z.string(), componentVar: z.number(), standaloneVar: z.number(), budget: z.number(), used: z.number(), status: z.string() })),
    buckets: z.array(z.object({ bucket: z.string(), componentVar: z.number(), cap: z.number(), used: z.number(), status: z.string() })),
  }),
  stress: z.array(z.object({ scenario: z.string(), asOf: z.string(), pnlImpact: z.number(), pnlImpactPct: z.number(), details: z.record(z.string(), z.unknown()) })),
  breaches: z.array(Breach),
});
export type RiskAsOfResponse = z.infer<typeof RiskAsOfResponse>;

/** The newest non-null value of each measure up to the series' end, with its date and the limit in force that day. */
function latestValues(points: readonly LimitedPoint[]) {
  return Object.fromEntries(
    RISK_MEASURES.map((m) => {
      for (let i = points.length - 1; i >= 0; i--) {
        const p = points[i];
        const v = p?.values[m] ?? null;
        if (p && v !== null) return [m, { date: p.date, value: v, limit: p.limits[m] }];
      }
      return [m, { date: null, value: null, limit: null }];
    }),
  ) as Record<(typeof RISK_MEASURES)[number], { date: string | null; value: number | null; limit: number | null }>;
}

const num = (x: unknown): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);

/** Risk over time: the daily series with limits and breaches, and the risk page as of a past date. */
export const riskHistoryRoutes: readonly AnyRoute[] = [
  route({
    method: 'GET', url: '/v1/funds/:fundId/risk/history', tag: 'risk', access: 'any', params: FundParams,
    query: dateRange(z.object({ from: qDate.optional(), to: qDate.optional() })),
    summary: "The fund's risk over time: per day (the day's last cycle's risk snapshot, and the NAV history's drawdown) VaR, CVaR, VaR 99%, gross and drawdown as fractions of capital, each with its limit in the config in force that day (the one the day's cycle ran with), and the breach log (runs of days over that day's limit, with the risk alerts raised during them and who acknowledged them)",
    response: RiskHistoryResponse,
    handler: async ({ rt, fund, query }) => {
      const f = ensureDefined(fund, 'fund');
      const h = await riskHistory(rt, f, query.from, query.to);
      return { fundId: f.id, ...h };
    },
  }),
  route({
    method: 'GET', url: '/v1/funds/:fundId/risk/as-of', tag: 'risk', access: 'any', params: FundParams,
    query: z.object({ date: qDate }),
    summary: "The risk page as recorded on a past date: the last risk snapshot on or before it (VaR, CVaR, concentration, sectors, agents' VaR budgets), each measure against its limit in force that day, the drawdown of that day's NAV, the stored stress of that date, and the breaches up to it",
    response: RiskAsOfResponse,
    handler: async ({ rt, fund, query }) => {
      const f = ensureDefined(fund, 'fund');
      const config = await rt.configFor(f);
      const [h, snap, stress] = await Promise.all([riskHistory(rt, f, undefined, query.date), rt.store.risk.snapshotAsOf(f.id, query.date), rt.store.risk.latestStress(f.id, query.date)]);
      const latest = latestValues(h.points);
      const warnAt = config.risk.budgetWarningPct;
      const measures = h.limits.map((l) => {
        const { date, value, limit: then } = latest[l.measure];
        const limit = then ?? l.limit;
        const u = value === null ? null : utilisation(l.label, value, limit, warnAt);
        return { measure: l.measure, label: l.label, source: l.source, date, value, limit, utilisation: u?.utilisation ?? null, status: u?.status ?? null };
      });
      const navPoint = [...h.points].reverse().find((p) => p.nav !== null) ?? null;
      const snapPoint = h.points.find((p) => p.date === snap?.asOf) ?? null;
      const m = snap?.metrics ?? {};
      const largest = m['largestSingleName'] as { symbol?: unknown; pct?: unknown } | undefined;
      const sectors = m['netBySector'] && typeof m['netBySector'] === 'object' ? Object.entries(m['netBySector'] as Record<string, unknown>) : [];
      return {
        date: query.date,
        snapshotAsOf: snap?.asOf ?? null,
        cycleId: snap?.cycleId ?? null,
        capital: snapPoint?.capital ?? null,
        nav: navPoint?.nav ?? null,
        navDate: navPoint?.date ?? null,
        var: snap?.var95 ?? null,
        var99: snap?.var99 ?? null,
        cvar: snap?.cvar95 ?? null,
        measures,
        concentration: {
          largestName: largest && num(largest.pct) !== null ? { symbol: typeof largest.symbol === 'string' ? largest.symbol : null, pct: num(largest.pct) ?? 0 } : null,
          top10Pct: num(m['top10Pct']),
          hhi: num(m['hhi']),
        },
        netBySector: sectors.flatMap(([sector, v]) => (num(v) === null ? [] : [{ sector, net: num(v) ?? 0 }])).sort((a, b) => Math.abs(b.net) - Math.abs(a.net)),
        budgets: riskBudgets(snap),
        stress: latestPerScenario(stress).map((s) => ({ scenario: s.scenario, asOf: s.asOf, pnlImpact: s.pnlImpact, pnlImpactPct: s.pnlImpactPct, details: s.details })),
        breaches: h.breaches,
      };
    },
  }),
];
