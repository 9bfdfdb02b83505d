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

/** Whether an agent can trade the market it is given: ok, or why not (names what is missing and what to load). */
export type AgentReadiness = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** An agent that cannot trade the market it is given, and why (the capital allocator gives it no capital). */
export interface UnreadyAgent {
  readonly agentId: string;
  readonly reason: string;
}

/**
 * An autonomous portfolio manager. `propose` sees only a point-in-time view and its own book,
 * is deterministic (same inputs → identical proposal) and returns signals with uncertainty and
 * a full target book in fractions of allocated capital (after the agent's own risk layer).
 * `readiness`, when present, says whether the view holds the data and instruments the strategy
 * needs to trade at all (absent: always ready); it is pure and cheap, checked every cycle.
 */
export interface Agent {
  readonly id: string;
  readonly strategy: StrategyType;
  readonly riskDrivers: readonly RiskDriver[];
  readonly bucket: string;
  propose(view: MarketView, book: AgentBook): AgentProposal;
  readiness?(view: MarketView): AgentReadiness;
}

/** The agents that cannot trade `view`'s market, in roster order; an agent whose check throws is unready with the error. */
export function unreadyAgents(agents: readonly Pick<Agent, 'id' | 'readiness'>[], view: MarketView): UnreadyAgent[] {
  const out: UnreadyAgent[] = [];
  for (const a of agents) {
    if (!a.readiness) continue;
    let r: AgentReadiness;
    try {
      r = a.readiness(view);
    } catch (e) {
      r = { ok: false, reason: `readiness check failed: ${e instanceof Error ? e.message : String(e)}` };
    }
    if (!r.ok) out.push({ agentId: a.id, reason: r.reason });
  }
  return out;
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
  /** The fund's rules for where new exposure may go. */
  readonly universe: AgentUniverse;
}

/**
 * Where the fund lets an agent take new exposure, from the fund's config: a name is open to new
 * positions when it trades today and its market cap is not below `minMarketCap` (`risk.minMarketCap`;
 * an unknown cap does not exclude it). The overlay applies the same rule (MIN_MARKET_CAP: a
 * position below the minimum may only shrink), so an agent that ranks within it proposes a book
 * the overlay does not have to cut.
 */
export interface AgentUniverse {
  readonly minMarketCap: number;
}

/** Whether column `u` is in the fund's universe today: its market cap is not below the minimum (unknown counts as in). */
export function inUniverse(view: MarketView, u: number, universe: AgentUniverse): boolean {
  return !(view.value('marketCap', u) < universe.minMarketCap);
}

/** A weight `w` for a name held at `held` that may not grow: kept on its side and at most the held size, else 0. */
export function reduceOnlyWeight(w: number, held: number): number {
  return w * held > 0 ? Math.sign(w) * Math.min(Math.abs(w), Math.abs(held)) : 0;
}

/** Whether the fund takes new exposure in column `u` today: it trades, and it is in the universe (see AgentUniverse). */
export function isEligible(view: MarketView, u: number, universe: AgentUniverse): boolean {
  return view.isTradable(u) && inUniverse(view, u, universe);
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
