import type { FundConfig } from '../../contracts/index.ts';
import { hashOf, type IsoDate, type Logger } from '../../core/index.ts';
import type { Repos, Store } from '../../store/index.ts';
import type { CycleResult } from '../cycle/run-cycle.ts';
import type { FundRunState } from '../cycle/runtime.ts';
import { loadMarket, type LoadedMarket } from '../market-loader.ts';
import { runBacktest, type BacktestResult } from './backtest.ts';

/** What is stored as a backtest's results (the full result less the kept cycles). */
export type BacktestSummary = Omit<BacktestResult, 'lastCycles'>;

export interface StoredBacktestOptions {
  readonly id?: string;
  readonly config: FundConfig;
  readonly from: IsoDate;
  readonly to: IsoDate;
  readonly agents?: readonly string[];
  readonly onProgress?: (done: number, total: number) => void;
  readonly logger?: Logger;
  /** A market already loaded (the demo reuses its panel); default: loaded from the store. */
  readonly market?: LoadedMarket;
  /** Store the records (decisions, overlay and risk actions) of the last N cycles. Default 5. */
  readonly keepLastCycles?: number;
  /** Store the kept cycles' records under the backtest's scope (default true). */
  readonly persistRecords?: boolean;
  /** Called with each cycle's result and the fund state after it. */
  readonly onCycle?: (r: CycleResult, state: FundRunState) => void;
}

/** A backtest id that says what it is: `bt-<from>-<to>-<6 hex of params>-<time>`. */
export function backtestId(from: IsoDate, to: IsoDate, params: unknown, nowMs: number): string {
  return `bt-${from}-${to}-${hashOf(params).slice(0, 6)}-${nowMs.toString(36)}`;
}

/** The fund id a backtest's records are stored under: `<fund>@<backtest id>`. */
export function backtestScope(fundId: string, backtestId: string): string {
  return `${fundId}@${backtestId}`;
}

/** Stores one cycle's decision records, overlay decisions and risk actions (one transaction). */
export async function persistCycleRecords(tx: Repos, fundId: string, r: CycleResult): Promise<void> {
  await tx.decisions.insertMany(r.records, fundId);
  await tx.overlayActions.insertMany(r.decisions, fundId);
  const actions = r.decisions.flatMap((d) => d.riskActions);
  await tx.riskActions.insertMany(actions, { cycleId: r.cycleId, fundId });
}

/**
 * Runs a backtest over the stored market and keeps it: the backtests row moves QUEUED →
 * RUNNING (with progress) → COMPLETED with the results, or FAILED with the error. The records
 * of the last cycles are stored too, so the journal and dashboard can show them.
 */
export async function runStoredBacktest(store: Store, o: StoredBacktestOptions): Promise<{ id: string; result: BacktestSummary }> {
  const params = { from: o.from, to: o.to, agents: o.agents ?? null, configHash: hashOf(o.config) };
  const id = o.id ?? backtestId(o.from, o.to, params, Date.now());
  const at = () => new Date().toISOString();
  await store.backtests.create({ id, fundId: o.config.fund.id, params, createdAt: at() });
  await store.backtests.update(id, { status: 'RUNNING', progress: 0, at: at() });
  let lastPct = -1;
  let chain: Promise<unknown> = Promise.resolve();
  try {
    const market = o.market ?? (await loadMarket(store, { to: o.to }));
    const result = await runBacktest({
      id,
      config: o.config,
      panel: market.panel,
      from: o.from,
      to: o.to,
      keepLastCycles: o.keepLastCycles ?? 5,
      ...(o.agents ? { agents: o.agents } : {}),
      ...(o.logger ? { logger: o.logger } : {}),
      ...(o.onCycle ? { onCycle: o.onCycle } : {}),
      onProgress: (done, total) => {
        o.onProgress?.(done, total);
        const pct = Math.floor((done / total) * 50);
        if (pct !== lastPct) {
          lastPct = pct;
          chain = chain.then(() => store.backtests.update(id, { progress: done / total, at: at() }));
        }
      },
    });
    await chain;
    const { lastCycles, ...summary } = result;
    await store.transaction(async (tx) => {
      // A backtest's records are kept under its own scope, apart from the live fund's history.
      if (o.persistRecords !== false) for (const c of lastCycles) await persistCycleRecords(tx, backtestScope(o.config.fund.id, id), c);
      await tx.backtests.update(id, { status: 'COMPLETED', progress: 1, results: summary, at: at() });
      await tx.audit.append({
        at: at(),
        actor: 'backtester',
        action: 'BacktestCompleted',
        entity: 'backtest',
        entityId: id,
        payload: { from: summary.from, to: summary.to, days: summary.days, configHash: summary.configHash, totalReturn: summary.fund.tearSheet.totalReturn },
      });
    });
    return { id, result: summary };
  } catch (e) {
    await chain.catch(() => undefined);
    await store.backtests.update(id, { status: 'FAILED', error: e instanceof Error ? e.message : String(e), at: at() });
    throw e;
  }
}
