import type { FundConfig, TargetPosition } from '../../contracts/index.ts';
import type { FundReview } from '../../overlay/index.ts';
import { QTY_SCALE, type Ledger } from '../ledger/ledger.ts';

/**
 * The kill switch's global risk reduction as the cycle's targets (seed fund-overlay-plan §5B:
 * "close positions based on trigger severity"): on the cycle the fund goes HALTED by a market
 * trigger, each agent's book is its holdings less the plan's closes (the most severe trigger's
 * fraction of every position, largest risk first), and nothing else. Null when there is nothing
 * to execute: no plan, no closes, the fund was already HALTED (the closes went out on the day it
 * tripped), or a person tripped it (a manual halt, e.g. for a broker outage, stops trading; it
 * does not flatten the books).
 */
export function reductionTargets(config: FundConfig, review: Pick<FundReview, 'reductionPlan' | 'transition' | 'tradingState'>, ledger: Ledger, capitalOf: ReadonlyMap<string, number>): FundReview['positions'] | null {
  const plan = review.reductionPlan;
  if (!plan || plan.closes.length === 0 || review.tradingState !== 'HALTED' || !review.transition.changed) return null;
  if (plan.record.triggers.some((t) => t.name === 'manual')) return null;
  const close = new Map<string, number>();
  for (const c of plan.closes) close.set(`${c.agentId}\u0000${c.symbol}`, c.closeNotional);
  const out: Record<string, TargetPosition[]> = {};
  for (const a of config.agents) {
    if (!ledger.has(a.id)) continue;
    const capital = capitalOf.get(a.id) ?? a.allocatedCapital;
    if (!(capital > 0)) continue;
    const targets: TargetPosition[] = [];
    for (const h of ledger.book(a.id).holdings.values()) {
      const current = (h.qty4 / QTY_SCALE) * h.mark;
      const delta = close.get(`${a.id}\u0000${h.symbol}`) ?? 0;
      const target = current + delta;
      targets.push({ version: 1, agentId: a.id, symbol: h.symbol, targetWeight: target / capital, targetNotional: target, currentNotional: current, deltaNotional: delta, priority: 1, reasoning: 'kill switch: global risk reduction' });
    }
    out[a.id] = targets;
  }
  return out;
}

/**
 * While the fund stays HALTED by a market kill switch (after the day it tripped), the overlay's
 * cuts of the held books still go out, and nothing else: every target may only shrink its
 * position toward zero on its side (a name whose target would grow or flip is held). A kill switch
 * stops new risk; it does not freeze a book the overlay wants smaller while the market keeps
 * falling (issue 15: risk-reducing trades are never blocked by any state). Null, nothing trades:
 * not HALTED, the trip day (the reduction plan's closes), a halt a person or the store set (a
 * manual kill, a broker outage), or a liquidity freeze (selling into a frozen market is the loss).
 */
export function haltedReductions(review: Pick<FundReview, 'tradingState' | 'transition' | 'triggers' | 'positions' | 'nextState'>): FundReview['positions'] | null {
  if (review.tradingState !== 'HALTED' || review.transition.changed || review.nextState.manualKill !== null) return null;
  if (review.triggers.some((t) => t.name === 'liquidity_freeze' || t.name === 'manual')) return null;
  const out: Record<string, TargetPosition[]> = {};
  for (const [agentId, targets] of Object.entries(review.positions)) {
    out[agentId] = targets.map((t) => {
      const c = t.currentNotional;
      const shrinks = c > 0 ? t.targetNotional >= 0 && t.targetNotional < c : c < 0 ? t.targetNotional <= 0 && t.targetNotional > c : false;
      return shrinks ? t : { ...t, targetWeight: c === 0 ? 0 : (t.targetWeight * c) / t.targetNotional, targetNotional: c, deltaNotional: 0 };
    });
  }
  return out;
}
