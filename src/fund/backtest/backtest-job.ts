import type { FundConfig } from '../../contracts/index.ts';
import type { RemoteLinks } from '../roster/transports.ts';
import { hashOf, type IsoDate, type Logger } from '../../core/index.ts';
import type { Repos, Store } from '../../store/index.ts';
import type { CycleResult } from '../cycle/run-cycle.ts';
import type { FundRunState } from '../cycle/runtime.ts';
import type { Panel } from '../../market/index.ts';
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
  /** Cached market loads (`loadMarket`'s `cacheDir`), when the market is loaded here. */
  readonly marketCacheDir?: string;
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
export async function persistCycleRecords(tx: Repos, fundId: string, r: KeptCycle): Promise<void> {
  await tx.decisions.insertMany(r.records, fundId);
  await tx.overlayActions.insertMany(r.decisions, fundId);
  const actions = r.decisions.flatMap((d) => d.riskActions);
  await tx.riskActions.insertMany(actions, { cycleId: r.cycleId, fundId });
  await tx.hedges.insertMany(r.hedges.map((h) => ({ fundId, cycleId: r.cycleId, asOf: r.asOf, ...h })));
}

/** Deletes the records stored under a backtest's scope (a run that did not complete leaves none behind). */
export async function discardCycleRecords(tx: Repos, scope: string): Promise<void> {
  await tx.riskActions.deleteFund(scope);
  await tx.overlayActions.deleteFund(scope);
  await tx.decisions.deleteFund(scope);
  await tx.hedges.deleteFund(scope);
}

/** What a backtest keeps of each of its last cycles: the records `persistCycleRecords` stores. */
export type KeptCycle = Pick<CycleResult, 'cycleId' | 'asOf' | 'records' | 'decisions' | 'hedges'>;

/** A finished backtest: what is stored as its results, and its last cycles' records. */
export interface ComputedBacktest {
  readonly summary: BacktestSummary;
  readonly kept: readonly KeptCycle[];
}

/** What `computeBacktest` needs: plain data (it crosses to a worker thread as is) and callbacks. */
export interface BacktestComputation {
  readonly id: string;
  readonly config: FundConfig;
  readonly panel: Panel;
  readonly from: IsoDate;
  readonly to: IsoDate;
  readonly agents?: readonly string[];
  readonly compare?: CompareSpec;
  /** How remote agents are reached (NATS: the kernel's connection; not passed to a worker thread). */
  readonly remote?: RemoteLinks;
  readonly keepLastCycles?: number;
  readonly logger?: Logger;
  readonly onCycle?: (r: CycleResult, state: FundRunState) => void;
  /** Progress of the backtest run, then (with `compare`) of the comparison run. */
  readonly onProgress?: (done: number, total: number) => void;
  readonly onCompareProgress?: (done: number, total: number) => void;
}

/**
 * Runs a backtest (and its comparison run when asked) over a panel: no store, no bus. The same
 * function runs in-process (`keel backtest`) and in the API's job worker, so both give the same
 * results for the same inputs.
 */
export async function computeBacktest(o: BacktestComputation): Promise<ComputedBacktest> {
  const variant = o.compare ? comparisonChecks(o.compare) : null;
  const common = {
    config: o.config,
    panel: o.panel,
    from: o.from,
    to: o.to,
    ...(o.remote ? { remote: o.remote } : {}),
    ...(o.agents ? { agents: o.agents } : {}),
    ...(o.logger ? { logger: o.logger } : {}),
  };
  const result = await runBacktest({
    ...common,
    id: o.id,
    keepLastCycles: o.keepLastCycles ?? 5,
    ...(o.onCycle ? { onCycle: o.onCycle } : {}),
    ...(o.onProgress ? { onProgress: o.onProgress } : {}),
  });
  const { lastCycles, ...base } = result;
  const kept = lastCycles.map((c) => ({ cycleId: c.cycleId, asOf: c.asOf, records: c.records, decisions: c.decisions, hedges: c.hedges }));
  if (!variant) return { summary: base, kept };
  // the same agents on the same market (one load), with the rules off; its records are not kept
  const other = await runBacktest({
    ...common,
    id: `${o.id}~off`,
    keepLastCycles: 0,
    checks: variant.checks,
    ...(o.onCompareProgress ? { onProgress: o.onCompareProgress } : {}),
  });
  const { lastCycles: _none, ...off } = other;
  return { summary: { ...base, comparison: compareBacktests(base, off, variant.label, variant.disabled) }, kept };
}

/** The parameters stored with a backtest row (what was asked, and the config's hash). */
export function backtestParams(o: Pick<StoredBacktestOptions, 'config' | 'from' | 'to' | 'agents' | 'compare'>): Record<string, unknown> {
  // checked before anything runs: an unknown rule name fails at once
  const variant = o.compare ? comparisonChecks(o.compare) : null;
  return { from: o.from, to: o.to, agents: o.agents ?? null, configHash: hashOf(o.config), ...(variant ? { compare: { label: variant.label, disabled: variant.disabled } } : {}) };
}

/**
 * Stores a finished backtest: its last cycles' records under the backtest's scope (unless
 * `persistRecords` is false), one transaction per cycle, then in one transaction the row
 * COMPLETED with its results and an audit entry. One transaction of every record (5,000 decision
 * records for a year of the demo fund) held the embedded store, and every request that reads it
 * (the kill switch's), for two seconds; now a reader waits for one cycle's records at most. A
 * backtest is COMPLETED only with all of them; a failed store deletes those written so far, and a
 * server stopped in between leaves them to `BacktestQueue.recover`, which deletes them as it marks
 * the run FAILED (nothing half-written stays).
 */
export async function storeBacktestResult(store: Store, fundId: string, id: string, done: ComputedBacktest, at: string, persistRecords = true): Promise<void> {
  const { summary } = done;
  // A backtest's records are kept under its own scope, apart from the live fund's history.
  const scope = backtestScope(fundId, id);
  try {
    if (persistRecords) for (const c of done.kept) await store.transaction((tx) => persistCycleRecords(tx, scope, c));
  } catch (e) {
    // nothing half-written: the cycles stored so far go with the failure
    await store.transaction((tx) => discardCycleRecords(tx, scope)).catch(() => undefined);
    throw e;
  }
  await store.transaction(async (tx) => {
    await tx.backtests.update(id, { status: 'COMPLETED', progress: 1, results: summary, at });
    await tx.audit.append({
      at,
      actor: 'backtester',
      action: 'BacktestCompleted',
      entity: 'backtest',
      entityId: id,
      payload: { from: summary.from, to: summary.to, days: summary.days, configHash: summary.configHash, totalReturn: summary.fund.tearSheet.totalReturn },
    });
  });
}

/**
 * Runs a backtest over the stored market in this process and keeps it: the backtests row moves
 * QUEUED → RUNNING (with progress) → COMPLETED with the results, or FAILED with the error. The
 * records of the last cycles are stored too, so the journal and dashboard can show them. (The
 * API runs backtests as jobs in a worker thread instead: `BacktestQueue`.)
 */
export async function runStoredBacktest(store: Store, o: StoredBacktestOptions): Promise<{ id: string; result: BacktestSummary }> {
  const params = backtestParams(o);
  const id = o.id ?? backtestId(o.from, o.to, params, Date.now());
  const at = () => new Date().toISOString();
  await store.backtests.create({ id, fundId: o.config.fund.id, params, createdAt: at() });
  await store.backtests.update(id, { status: 'RUNNING', progress: 0, at: at() });
  const progress = new ProgressWriter(store, id, at);
  try {
    const market = o.market ?? (await loadMarket(store, { to: o.to, ...(o.marketCacheDir ? { cacheDir: o.marketCacheDir } : {}) }));
    const half = o.compare ? 0.5 : 1;
    const done = await computeBacktest({
      id,
      config: o.config,
      panel: market.panel,
      from: o.from,
      to: o.to,
      ...(o.keepLastCycles !== undefined ? { keepLastCycles: o.keepLastCycles } : {}),
      ...(o.agents ? { agents: o.agents } : {}),
      ...(o.compare ? { compare: o.compare } : {}),
      ...(o.remote ? { remote: o.remote } : {}),
      ...(o.logger ? { logger: o.logger } : {}),
      ...(o.onCycle ? { onCycle: o.onCycle } : {}),
      onProgress: (n, total) => {
        o.onProgress?.(n, total);
        progress.set((n / total) * half);
      },
      onCompareProgress: (n, total) => {
        o.onCompareProgress?.(n, total);
        progress.set(0.5 + (n / total) * 0.5);
      },
    });
    await progress.flushed();
    await storeBacktestResult(store, o.config.fund.id, id, done, at(), o.persistRecords !== false);
    return { id, result: done.summary };
  } catch (e) {
    await progress.flushed().catch(() => undefined);
    await store.backtests.update(id, { status: 'FAILED', error: e instanceof Error ? e.message : String(e), at: at() });
    throw e;
  }
}

/** Writes a backtest row's progress in [0, 1] at most 50 times, in order. */
export class ProgressWriter {
  private lastPct = -1;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly id: string,
    private readonly at: () => string,
  ) {}

  /** Records progress `f`; returns true when it was written (a new 2% step). */
  set(f: number): boolean {
    const pct = Math.floor(f * 50);
    if (pct === this.lastPct) return false;
    this.lastPct = pct;
    this.chain = this.chain.then(() => this.store.backtests.update(this.id, { progress: f, at: this.at() }));
    return true;
  }

  /** Resolves when every progress write has been made. */
  flushed(): Promise<unknown> {
    return this.chain;
  }
}
