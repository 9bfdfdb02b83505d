import type { FundConfig } from '../../contracts/index.ts';
import type { RemoteLinks } from '../roster/transports.ts';
import { hashOf, type IsoDate, type Logger } from '../../core/index.ts';
import type { Repos, Store } from '../../store/index.ts';
import type { CycleResult } from '../cycle/run-cycle.ts';
import type { FundRunState } from '../cycle/runtime.ts';
import { loadMarket, type LoadedMarket } from '../market-loader.ts';
import { runBacktest, type BacktestResult } from './backtest.ts';
import { compareBacktests, comparisonChecks, type BacktestComparison, type CompareSpec } from './compare.ts';

/**
 * What is stored as a backtest's results (the full result less the kept cycles), with the
 * comparison run beside it when one was asked for (`keel backtest --compare overlay-off`).
 */
export type BacktestSummary = Omit<BacktestResult, 'lastCycles'> & { comparison?: BacktestComparison };

export interface StoredBacktestOptions {
  readonly id?: string;
  readonly config: FundConfig;
  readonly from: IsoDate;
  readonly to: IsoDate;
  readonly agents?: readonly string[];
  /**
   * Run the same backtest again, on the same market, with these overlay rules off, and store the
   * comparison with it. Progress: `onProgress` for the backtest, then `onCompareProgress`.
   */
  readonly compare?: CompareSpec;
  readonly onProgress?: (done: number, total: number) => void;
  readonly onCompareProgress?: (done: number, total: number) => void;
  readonly logger?: Logger;
  /** A market already loaded (the demo reuses its panel); default: loaded from the store. */
  readonly market?: LoadedMarket;
  /** Store the records (decisions, overlay and risk actions) of the last N cycles. Default 5. */
  readonly keepLastCycles?: number;
  /** Store the kept cycles' records under the backtest's scope (default true). */
  readonly persistRecords?: boolean;
  /** Called with each cycle's result and the fund state after it. */
  readonly onCycle?: (r: CycleResult, state: FundRunState) => void;
  /** How remote agents are reached (NATS: the kernel's connection). */
  readonly remote?: RemoteLinks;
}

/** A backtest id that says what it is: `bt-<from>-<to>-<6 hex of params>-<time>`. */
export function backtestId(from: IsoDate, to: IsoDate, params: unknown, nowMs: number): string {
  return `bt-${from}-${to}-${hashOf(params).slice(0, 6)}-${nowMs.toString(36)}`;
}

/** The fund id a backtest's records are stored under: `<fund>@<backtest id>`. */
export function backtestScope(fundId: string, backtestId: string): string {
  return `${fundId}@${backtestId}`;
}

/** Stores one cycle's decision records, overlay decisions, risk actions and hedge-book targets (one transaction). */
export async function persistCycleRecords(tx: Repos, fundId: string, r: CycleResult): Promise<void> {
  await tx.decisions.insertMany(r.records, fundId);
  await tx.overlayActions.insertMany(r.decisions, fundId);
  const actions = r.decisions.flatMap((d) => d.riskActions);
  await tx.riskActions.insertMany(actions, { cycleId: r.cycleId, fundId });
  await tx.hedges.insertMany(r.hedges.map((h) => ({ fundId, cycleId: r.cycleId, asOf: r.asOf, ...h })));
}

/**
 * Runs a backtest over the stored market and keeps it: the backtests row moves QUEUED →
 * RUNNING (with progress) → COMPLETED with the results, or FAILED with the error. The records
 * of the last cycles are stored too, so the journal and dashboard can show them.
 */
export async function runStoredBacktest(store: Store, o: StoredBacktestOptions): Promise<{ id: string; result: BacktestSummary }> {
  // checked before anything runs: an unknown rule name fails at once
  const variant = o.compare ? comparisonChecks(o.compare) : null;
  const params = { from: o.from, to: o.to, agents: o.agents ?? null, configHash: hashOf(o.config), ...(variant ? { compare: { label: variant.label, disabled: variant.disabled } } : {}) };
  const id = o.id ?? backtestId(o.from, o.to, params, Date.now());
  const at = () => new Date().toISOString();
  await store.backtests.create({ id, fundId: o.config.fund.id, params, createdAt: at() });
  await store.backtests.update(id, { status: 'RUNNING', progress: 0, at: at() });
  let lastPct = -1;
  let chain: Promise<unknown> = Promise.resolve();
  // the row's progress in [0, 1], written at most 50 times
  const progress = (f: number): void => {
    const pct = Math.floor(f * 50);
    if (pct === lastPct) return;
    lastPct = pct;
    chain = chain.then(() => store.backtests.update(id, { progress: f, at: at() }));
  };
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
      ...(o.remote ? { remote: o.remote } : {}),
      onProgress: (done, total) => {
        o.onProgress?.(done, total);
        progress(variant ? done / total / 2 : done / total);
      },
    });
    const { lastCycles, ...base } = result;
    let summary: BacktestSummary = base;
    if (variant) {
      // the same agents on the same market (one load), with the rules off; its records are not kept
      const other = await runBacktest({
        id: `${id}~off`,
        config: o.config,
        panel: market.panel,
        from: o.from,
        to: o.to,
        keepLastCycles: 0,
        checks: variant.checks,
        ...(o.remote ? { remote: o.remote } : {}),
        ...(o.agents ? { agents: o.agents } : {}),
        ...(o.logger ? { logger: o.logger } : {}),
        onProgress: (done, total) => {
          o.onCompareProgress?.(done, total);
          progress(0.5 + done / total / 2);
        },
      });
      const { lastCycles: _none, ...off } = other;
      summary = { ...base, comparison: compareBacktests(base, off, variant.label, variant.disabled) };
    }
    await chain;
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
