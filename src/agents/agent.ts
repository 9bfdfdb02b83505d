import type {
  AgentProposal,
  AgentRiskParams,
  AgentState,
  MetaBrainConfig,
  RiskDriver,
  StrategyType,
} from '../contracts/index.ts';
import type { MarketView } from '../market/index.ts';

/** One position of an agent's book. `weight` is signed, a fraction of the agent's NAV. */
export interface AgentPosition {
  readonly symbol: string;
  /** Signed shares. */
  readonly qty: number;
  /** Average cost per share, dollars. */
  readonly avgCost: number;
  /** Signed market value / agent NAV. */
  readonly weight: number;
}

/** The agent's drawdown state as the fund sees it (seed: graduated drawdown steps). */
export interface AgentDrawdown {
  readonly state: AgentState;
  /** Current drawdown from the high-water mark, a positive fraction (0.04 = 4% below). */
  readonly drawdownPct: number;
}

/**
 * The read-only book an agent is handed each cycle: its own capital and positions, never the
 * fund's. Money in dollars.
 */
export interface AgentBook {
  readonly agentId: string;
  readonly allocatedCapital: number;
  readonly positions: readonly AgentPosition[];
  readonly cash: number;
  readonly nav: number;
  readonly highWaterMark: number;
  readonly drawdown: AgentDrawdown;
  readonly cycleId: string;
  readonly traceId: string;
}

/**
 * An autonomous portfolio manager. `propose` sees only a point-in-time view and its own book,
 * is deterministic (same inputs → identical proposal) and returns signals with uncertainty and
 * a full target book in fractions of allocated capital (after the agent's own risk layer).
 */
export interface Agent {
  readonly id: string;
  readonly strategy: StrategyType;
  readonly riskDrivers: readonly RiskDriver[];
  readonly bucket: string;
  propose(view: MarketView, book: AgentBook): AgentProposal;
}

/** Everything an agent is configured with, resolved from FundConfig. */
export interface AgentContext {
  readonly id: string;
  readonly strategy: StrategyType;
  readonly riskDrivers: readonly RiskDriver[];
  readonly bucket: string;
  readonly allocatedCapital: number;
  readonly risk: AgentRiskParams;
  readonly metaBrain: MetaBrainConfig;
}

/** A flat book with all capital in cash: the starting point of a backtest and of tests. */
export function emptyBook(
  agentId: string,
  allocatedCapital: number,
  ids: { cycleId?: string; traceId?: string } = {},
): AgentBook {
  return {
    agentId,
    allocatedCapital,
    positions: [],
    cash: allocatedCapital,
    nav: allocatedCapital,
    highWaterMark: allocatedCapital,
    drawdown: { state: 'normal', drawdownPct: 0 },
    cycleId: ids.cycleId ?? 'cycle-0',
    traceId: ids.traceId ?? 'trace-0',
  };
}

/**
 * The book after moving to `targets` (weights of NAV) at the view's closes, with no costs: a
 * helper for backtests and tests that roll an agent forward. Names without a price are dropped.
 */
export function bookFromTargets(
  view: MarketView,
  prev: AgentBook,
  targets: readonly { symbol: string; weight: number }[],
  ids: { cycleId: string; traceId: string },
): AgentBook {
  let invested = 0;
  const positions: AgentPosition[] = [];
  for (const t of targets) {
    const u = view.column(t.symbol);
    const px = u >= 0 ? view.close(u) : Number.NaN;
    if (!(px > 0) || t.weight === 0) continue;
    const notional = t.weight * prev.nav;
    invested += notional;
    positions.push({ symbol: t.symbol, qty: notional / px, avgCost: px, weight: t.weight });
  }
  return { ...prev, positions, cash: prev.nav - invested, cycleId: ids.cycleId, traceId: ids.traceId };
}
