import { z } from 'zod';
import { PriceFieldName } from './agent-remote.ts';
import { finite, id, isoDate, nonNegative, symbol, traceId } from './common.ts';
import { AgentRiskParams, AgentState } from './fund-config.ts';
import { Fundamentals } from './market.ts';
import { RiskDriver } from './strategy.ts';

/** One position of the agent's book, as a request carries it (weight: signed market value / agent NAV). */
export const AgentBookPosition = z.object({ symbol, qty: finite, avgCost: finite, weight: finite });

/** The agent's own book (never the fund's), dollars. */
export const AgentBookMessage = z.object({
  agentId: id,
  allocatedCapital: nonNegative,
  positions: z.array(AgentBookPosition),
  cash: finite,
  nav: finite,
  highWaterMark: finite,
  drawdown: z.object({ state: AgentState, drawdownPct: finite }),
  cycleId: id,
  traceId,
});

/** A number, or null where the market has none (a missing bar, NaN). */
const cell = finite.nullable();

/**
 * A propose request (contract 1.x): everything a remote agent sees in one cycle, point in time.
 * `prices[field][i][u]` is the value of `field` on `dates[i]` for `universe.symbols[u]`; the last
 * row is the as-of date. The answer is an `AgentProposal` with this request's `agentId`,
 * `cycleId`, `traceId` (the book's) and `asOf`, and `strategy: "custom"`.
 */
export const AgentRequest = z.object({
  contract: z.string(),
  agentId: id,
  cycleId: id,
  traceId,
  asOf: isoDate,
  params: z.record(z.string(), z.unknown()),
  context: z.object({
    allocatedCapital: nonNegative,
    bucket: z.string(),
    riskDrivers: z.array(RiskDriver),
    risk: AgentRiskParams,
  }),
  book: AgentBookMessage,
  universe: z.object({
    symbols: z.array(symbol),
    sectors: z.array(z.string()),
    /** Whether each symbol has a bar on the as-of date. */
    tradable: z.array(z.boolean()),
    /**
     * Whether the fund takes new exposure in each symbol: tradable, and a market cap not below the
     * fund's `risk.minMarketCap` (unknown counts as eligible). The overlay only lets a position in
     * a name that is not eligible shrink.
     */
    eligible: z.array(z.boolean()),
  }),
  dates: z.array(isoDate),
  prices: z.partialRecord(PriceFieldName, z.array(z.array(cell))),
  reference: z.record(z.string(), z.array(cell)),
  fundamentals: z.record(z.string(), Fundamentals.nullable()),
  macro: z.record(z.string(), cell),
});
export type AgentRequest = z.infer<typeof AgentRequest>;
