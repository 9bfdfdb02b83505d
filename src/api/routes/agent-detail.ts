import { z } from 'zod';
import { AgentState, finite, id, isoDate, OverlayAction, Reason } from '../../contracts/index.ts';
import { ensureDefined, KeelError } from '../../core/index.ts';
import { agentCapital, agentLines, backtestPnl, bookAndSectors, exposureOf, livePnl, sectorExposures } from '../agent-detail-report.ts';
import { route, type AnyRoute } from '../route.ts';
import { dateRange, FundAgentParams, qDate, qInt } from './schemas.ts';

const AgentDetailQuery = dateRange(
  z.object({
    /** A completed backtest of the fund whose P&L of the agent to add (`#/agents/<id>?backtest=<id>`). */
    backtest: id.optional(),
    /** The live P&L window (default: the last 63 trading days to the last market date). */
    from: qDate.optional(),
    to: qDate.optional(),
    /** How many of the agent's overlay decisions, newest first. */
    decisions: qInt(1, 500).default(30),
  }),
);

const money = finite;
const fractionOfCapital = finite.nullable();

const Exposure = z.object({
  gross: money, net: money, long: money, short: money,
  grossPct: fractionOfCapital, netPct: fractionOfCapital, longPct: fractionOfCapital, shortPct: fractionOfCapital,
});

const PnlSeries = z.object({
  from: z.string(), to: z.string(), dates: z.array(isoDate),
  /** Dollars per day. */
  daily: z.array(money),
  /** Running sum of `daily`, dollars. */
  cumulative: z.array(money),
  total: money,
});

/** The answer of `GET /v1/funds/:fundId/agents/:agentId` (dollars; weights and `…Pct` fractions of the agent's `capital`). */
export const AgentDetailResponse = z.object({
  fundId: id,
  agent: z.object({
    fundId: id, id, strategy: z.string(), bucket: z.string(), riskDrivers: z.array(z.string()), allocatedCapital: money,
    riskParams: z.record(z.string(), z.unknown()), drawdownState: AgentState, highWaterMark: money.nullable(), hwmDate: z.string().nullable(),
    isEnabled: z.boolean(), metrics: z.record(z.string(), z.unknown()),
  }),
  /** What weights are fractions of: the agent's latest stored NAV (`nav`, dated `navDate`), else its allocation. */
  capital: z.object({ value: money, source: z.enum(['nav', 'allocation']), navDate: isoDate.nullable() }),
  positions: z.array(z.object({
    symbol: z.string(), sector: z.string(), qty: finite, avgCost: money, lastPrice: money, marketValue: money, weight: fractionOfCapital, unrealizedPnl: money,
  })),
  exposures: Exposure.extend({ bySector: z.array(Exposure.extend({ sector: z.string(), names: z.number().int() })) }),
  /** The agent's overlay decisions, newest first, each with every reason. */
  decisions: z.array(z.object({ decisionId: id, cycleId: id, asOf: isoDate, action: OverlayAction, scale: finite, summary: z.string(), reasons: z.array(Reason) })),
  pnl: z.object({
    /** From the fund's stored book (fills, positions, closes): the `pnl-history?by=agent` series. */
    live: PnlSeries.nullable(),
    liveError: z.string().nullable(),
    /** The named backtest's (null when none is named or it has none for the agent: `backtestError` says why). */
    backtestId: id.nullable(),
    backtest: PnlSeries.nullable(),
    backtestError: z.string().nullable(),
  }),
});
export type AgentDetailResponse = z.infer<typeof AgentDetailResponse>;

/** One agent's page: book, exposures, overlay decisions with every reason, P&L (live and a chosen backtest's). */
export const agentDetailRoutes: readonly AnyRoute[] = [
  route({
    method: 'GET', url: '/v1/funds/:fundId/agents/:agentId', tag: 'agents', access: 'any', params: FundAgentParams, query: AgentDetailQuery,
    summary: "One agent: its positions with weights, exposures (gross, net, long, short, by sector), overlay decisions with every reason, and daily P&L from the stored book and, with `backtest`, from that completed backtest",
    response: AgentDetailResponse,
    handler: async ({ rt, fund, params, query }): Promise<AgentDetailResponse> => {
      const f = ensureDefined(fund, 'fund');
      const agent = (await rt.store.funds.agents(f.id)).find((a) => a.id === params.agentId);
      if (!agent) throw new KeelError('KEEL_E_NOT_FOUND', `agent ${params.agentId} of fund ${f.id} does not exist`, { field: 'params.agentId' });
      const [cap, book, decisions, live, bt] = await Promise.all([
        agentCapital(rt, f.id, agent),
        bookAndSectors(rt, f.id),
        rt.store.overlayActions.listForFund(f.id, { agentId: agent.id, limit: query.decisions }),
        livePnl(rt, f, agent.id, query.from, query.to),
        query.backtest === undefined ? Promise.resolve({ pnl: null, error: null }) : backtestPnl(rt, f.id, agent.id, query.backtest),
      ]);
      const positions = agentLines(book.positions, agent.id, book.sectors, cap.capital);
      return {
        fundId: f.id,
        agent: { ...agent, riskDrivers: [...agent.riskDrivers] },
        capital: { value: cap.capital, source: cap.source, navDate: cap.navDate },
        positions,
        exposures: { ...exposureOf(positions, cap.capital), bySector: sectorExposures(positions, cap.capital) },
        decisions: decisions.map((d) => ({ decisionId: d.decisionId, cycleId: d.cycleId, asOf: d.asOf, action: d.action, scale: d.scale, summary: d.summary, reasons: d.reasons })),
        pnl: { live: live.pnl, liveError: live.error, backtestId: query.backtest ?? null, backtest: bt.pnl, backtestError: bt.error },
      };
    },
  }),
];
