import { configHash, type Fill } from '../../contracts/index.ts';
import type { FillKind, NavPoint, Store } from '../../store/index.ts';
import { runStoredBacktest, type BacktestSummary, type StoredBacktestOptions } from '../backtest/backtest-job.ts';
import type { CycleResult } from '../cycle/run-cycle.ts';
import type { FundRunState } from '../cycle/runtime.ts';
import { movedInto, navPoints, saveCycle } from './fund-store.ts';

/**
 * Runs a stored backtest and adopts it as the fund's history (the demo): the NAV of every day,
 * every fill the books took (broker fills and the planner's internal crosses, so every position
 * and every realised dollar is explained by the stored fills), and the last cycle as the fund's
 * latest (books, decisions, risk snapshot, stress, drawdown states). One transaction.
 */
export async function adoptBacktest(store: Store, o: Omit<StoredBacktestOptions, 'persistRecords' | 'onCycle'>): Promise<{ id: string; result: BacktestSummary }> {
  const fundId = o.config.fund.id;
  const navs: NavPoint[] = [];
  const fills: (Fill & { cycleId: string; kind: FillKind })[] = [];
  const prev = new Map<string, number>();
  let final: { r: CycleResult; state: FundRunState } | null = null;
  const out = await runStoredBacktest(store, {
    ...o,
    // the final cycle's records are stored below as the fund's latest cycle
    persistRecords: false,
    onCycle: (r, state) => {
      // a book's daily return is net of the capital the day's allocation moved into it
      const pts = navPoints(state, fundId, r.asOf, prev, movedInto(r.review.allocation));
      for (const p of pts) prev.set(p.agentId, p.nav);
      navs.push(...pts);
      for (const f of r.fills) fills.push({ ...f, cycleId: r.cycleId, kind: f.orderId.startsWith(`${r.cycleId}:cross:`) ? 'CROSS' : 'BROKER' });
      final = { r, state };
    },
  });
  const f = final as { r: CycleResult; state: FundRunState } | null;
  if (f) {
    await store.transaction(async (tx) => {
      await tx.nav.upsert(navs);
      await tx.fills.insertMany(fundId, fills);
      await saveCycle(tx, { fundId, mode: 'backtest', configHash: configHash(o.config), startedAt: new Date().toISOString(), result: f.r, state: f.state, prevNav: new Map() });
    });
  }
  return out;
}
