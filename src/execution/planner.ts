import { InvariantError } from '../core/index.ts';
import type { DenialReason, OrderAllocation, OrderSide } from '../contracts/index.ts';
import { apportion } from './allocation.ts';
import { expectedCostBps, type CostModel } from './cost-model.ts';

/** One agent's final targets: signed weights as fractions of `capital` (dollars). */
export interface AgentTargets {
  readonly agentId: string;
  readonly capital: number;
  readonly targets: ReadonlyMap<string, number>;
}

export interface PlannerConfig {
  /** Share quantum: a lot size (1, 100) or 1e-4 for fractional shares. */
  readonly lotSize: number;
  /** Net orders below this notional (dollars) are not sent. */
  readonly minNotional: number;
  /** Max turnover per agent per cycle, Σ|Δweight|/2 as a fraction of its capital. */
  readonly maxTurnoverPct: number;
}

export interface PlannerInput {
  readonly agents: readonly AgentTargets[];
  /** Current signed shares per agent, per symbol. */
  readonly positions: ReadonlyMap<string, ReadonlyMap<string, number>>;
  /**
   * Signed shares already on their way to each agent's book, per symbol: the unfilled parts of
   * open orders. The planner nets them, so it never orders again what an open order will bring.
   */
  readonly pending?: ReadonlyMap<string, ReadonlyMap<string, number>>;
  /** Decision prices, dollars. */
  readonly prices: ReadonlyMap<string, number>;
  readonly config: PlannerConfig;
  readonly costModel?: CostModel;
  /** ADV (shares) and daily σ per symbol, for cost estimates. */
  readonly adv?: ReadonlyMap<string, number>;
  readonly sigma?: ReadonlyMap<string, number>;
}

/** One netted fund order: unsigned `qty`, allocations per agent summing to it. */
export interface PlannedOrder {
  readonly symbol: string;
  readonly side: OrderSide;
  readonly qty: number;
  readonly decisionPrice: number;
  readonly allocations: readonly OrderAllocation[];
  /** Expected slippage + impact, bps of the decision price (from the cost model). */
  readonly estimatedCostBps: number;
}

/** Shares moved between agents inside the fund at the decision price; signed legs sum to 0. */
export interface InternalCross {
  readonly symbol: string;
  readonly price: number;
  readonly legs: readonly { readonly agentId: string; readonly qty: number }[];
}

export interface PlanSkip {
  readonly symbol: string;
  readonly reason: DenialReason;
}

export interface OrderPlan {
  readonly orders: PlannedOrder[];
  readonly crosses: InternalCross[];
  readonly skipped: PlanSkip[];
  /** Per agent, the factor (≤ 1) its trades were scaled by to respect the turnover cap. */
  readonly turnoverScale: ReadonlyMap<string, number>;
  /** Per agent, the signed share change it should end with (after caps and rounding). */
  readonly agentDeltas: ReadonlyMap<string, ReadonlyMap<string, number>>;
}

/**
 * From final target weights to orders: per agent target − current − pending shares, scaled to the
 * turnover cap, rounded to the lot quantum; then netted across agents so the fund sends ONE
 * order per symbol. Opposite-side interest is crossed internally; the net order is allocated
 * to the agents on its side in proportion to their remaining need. Pure and deterministic.
 */
export function planOrders(input: PlannerInput): OrderPlan {
  const { config } = input;
  if (!(config.lotSize > 0)) throw new InvariantError(`lotSize must be > 0, got ${config.lotSize}`);
  const lot = config.lotSize;
  const skipped: PlanSkip[] = [];
  const turnoverScale = new Map<string, number>();
  // symbol → the agents trading it (in agent order) and their signed lots
  const bySymbol = new Map<string, SymbolLots>();
  const agentDeltas = new Map<string, Map<string, number>>();
  const missingPrice = new Set<string>();
  // per agent, the tradable symbols and share changes before the turnover cap (reused buffers)
  const rawSymbols: string[] = [];
  const rawDq: number[] = [];

  for (const a of input.agents) {
    const held = input.positions.get(a.agentId) ?? NO_POSITIONS;
    const coming = input.pending?.get(a.agentId) ?? NO_POSITIONS;
    rawSymbols.length = 0;
    rawDq.length = 0;
    let traded = 0;
    // Sorted so that sums (and the deltas' order) do not depend on map insertion order.
    for (const s of unionSorted(a.targets, held, coming)) {
      const w = a.targets.get(s) ?? 0;
      const cur = (held.get(s) ?? 0) + (coming.get(s) ?? 0);
      const px = input.prices.get(s);
      if (px === undefined || !(px > 0)) {
        if (w !== 0 || cur !== 0) missingPrice.add(s);
        continue;
      }
      const dq = (w * a.capital) / px - cur;
      if (dq === 0) continue;
      rawSymbols.push(s);
      rawDq.push(dq);
      traded += Math.abs(dq) * px;
    }
    const turnover = a.capital > 0 ? traded / a.capital / 2 : 0;
    const scale = turnover > config.maxTurnoverPct && turnover > 0 ? config.maxTurnoverPct / turnover : 1;
    turnoverScale.set(a.agentId, scale);
    const deltas = new Map<string, number>();
    for (let k = 0; k < rawSymbols.length; k++) {
      const symbol = rawSymbols[k] ?? '';
      const lots = Math.round(((rawDq[k] ?? 0) * scale) / lot);
      if (lots === 0) continue;
      deltas.set(symbol, lots * lot);
      const m = bySymbol.get(symbol);
      if (m) {
        m.agents.push(a.agentId);
        m.lots.push(lots);
      } else bySymbol.set(symbol, { agents: [a.agentId], lots: [lots] });
    }
    agentDeltas.set(a.agentId, deltas);
  }
  for (const s of [...missingPrice].sort()) {
    skipped.push({ symbol: s, reason: { code: 'NO_PRICE', message: `no decision price for ${s}`, limit: null, actual: null } });
  }

  const orders: PlannedOrder[] = [];
  const crosses: InternalCross[] = [];
  for (const symbol of [...bySymbol.keys()].sort()) {
    const { agents, lots: lotsOf } = bySymbol.get(symbol) ?? { agents: [], lots: [] };
    const px = input.prices.get(symbol) ?? 0;
    let buy = 0;
    let sell = 0;
    for (const x of lotsOf) {
      if (x > 0) buy += x;
      else sell -= x;
    }
    const net = buy - sell;
    const sideSign = net > 0 ? 1 : net < 0 ? -1 : 0;
    // The side with more interest keeps `|net|` lots for the market; the rest is crossed.
    const big = new Array<number>(lotsOf.length);
    for (let i = 0; i < lotsOf.length; i++) {
      const l = lotsOf[i] ?? 0;
      big[i] = l * (sideSign || 1) > 0 ? Math.abs(l) : 0;
    }
    const crossed = Math.min(buy, sell);
    const crossShares = crossed > 0 ? apportion(crossed, big) : null;
    if (crossShares) crosses.push({ symbol, price: px, legs: crossLegs(agents, lotsOf, big, crossShares, lot) });
    if (net === 0) continue;
    const allocations: OrderAllocation[] = [];
    for (let i = 0; i < agents.length; i++) {
      const q = ((big[i] ?? 0) - (crossShares?.[i] ?? 0)) * lot;
      if (q > 0) allocations.push({ agentId: agents[i] ?? '', qty: roundShares(q) });
    }
    const qty = roundShares(Math.abs(net) * lot);
    const notionalValue = qty * px;
    if (notionalValue < config.minNotional) {
      skipped.push({
        symbol,
        reason: { code: 'MIN_NOTIONAL', message: `net order $${notionalValue.toFixed(2)} below the minimum`, limit: config.minNotional, actual: notionalValue },
      });
      continue;
    }
    const cost = input.costModel
      ? expectedCostBps(input.costModel, qty, input.adv?.get(symbol) ?? Number.NaN, input.sigma?.get(symbol) ?? Number.NaN)
      : 0;
    orders.push({ symbol, side: net > 0 ? 'BUY' : 'SELL', qty, decisionPrice: px, allocations, estimatedCostBps: cost });
  }
  return { orders, crosses, skipped, turnoverScale, agentDeltas };
}

interface SymbolLots {
  readonly agents: string[];
  readonly lots: number[];
}

const NO_POSITIONS: ReadonlyMap<string, number> = new Map();

/** The keys of `a`, `b` and `c` without duplicates, sorted (code-unit order, like Array#sort). */
function unionSorted(a: ReadonlyMap<string, unknown>, b: ReadonlyMap<string, unknown>, c: ReadonlyMap<string, unknown>): string[] {
  const out = [...a.keys()];
  for (const k of b.keys()) if (!a.has(k)) out.push(k);
  for (const k of c.keys()) if (!a.has(k) && !b.has(k)) out.push(k);
  return out.sort();
}

/** Signed crossed shares per agent: the big side gives its apportioned lots, the small side all of its own. */
function crossLegs(agents: readonly string[], lotsOf: readonly number[], big: readonly number[], crossShares: readonly number[], lot: number): InternalCross['legs'] {
  const legs: { agentId: string; qty: number }[] = [];
  for (let i = 0; i < agents.length; i++) {
    const l = lotsOf[i] ?? 0;
    const lotsCrossed = (big[i] ?? 0) > 0 ? (crossShares[i] ?? 0) * Math.sign(l) : l;
    const qty = lotsCrossed * lot;
    if (qty !== 0) legs.push({ agentId: agents[i] ?? '', qty });
  }
  return legs;
}

/** Shares to 1e-4 (lot multiples of 1e-4 can pick up float noise). */
function roundShares(q: number): number {
  return Math.round(q * 1e4) / 1e4;
}
