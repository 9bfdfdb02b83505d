import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { EventBus } from '../../bus/index.ts';
import type { FundConfig } from '../../contracts/index.ts';
import { IllegalTransitionError, KeelError, type IsoDate, type Logger } from '../../core/index.ts';
import type { BacktestRun, BacktestStatus, Store } from '../../store/index.ts';
import type { LoadedMarket } from '../market-loader.ts';
import { backtestParams, backtestScope, discardCycleRecords, ProgressWriter, storeBacktestResult } from './backtest-job.ts';
import { BacktestStopped, startBacktestThread, type BacktestThread, type BacktestThreadInput } from './backtest-thread.ts';
import type { CompareSpec } from './compare.ts';

/** The backtest job states and the moves between them (one table; anything else is illegal). */
const NEXT: Readonly<Record<BacktestStatus, readonly BacktestStatus[]>> = {
  QUEUED: ['RUNNING', 'CANCELLED', 'FAILED'],
  RUNNING: ['COMPLETED', 'FAILED', 'CANCELLED'],
  COMPLETED: [],
  FAILED: [],
  CANCELLED: [],
};

/** Checks a job's move against the table; an illegal one throws KEEL_E_ILLEGAL_TRANSITION (409). */
export function backtestTransition(from: BacktestStatus, to: BacktestStatus): BacktestStatus {
  if (!NEXT[from].includes(to)) throw new IllegalTransitionError('backtest', from, to);
  return to;
}

/** A backtest asked for: the fund's config and the window. */
export interface BacktestRequest {
  readonly id: string;
  readonly config: FundConfig;
  readonly from: IsoDate;
  readonly to: IsoDate;
  readonly agents?: readonly string[];
  readonly compare?: CompareSpec;
}

/** Which process runs a job (kept in the row's params): a restarted server fails its dead jobs. */
interface Runner {
  readonly host: string;
  readonly pid: number;
  readonly boot: string;
}

export interface BacktestQueueDeps {
  readonly store: Store;
  readonly bus: EventBus;
  /** The stored market (the API's cached copy): loaded once, shared by the jobs. */
  readonly market: () => Promise<LoadedMarket>;
  /** How many backtests run at once (each in its own worker thread). */
  readonly concurrency: number;
  /** How many jobs may wait QUEUED at once; one more is refused (KEEL_E_RATE_LIMITED, 429). Default: no bound. */
  readonly maxQueued?: number;
  readonly now: () => string;
  readonly logger?: Logger;
  /** Runs a job off the event loop; default a worker thread (tests may run it in the process). */
  readonly start?: (input: BacktestThreadInput, onProgress: (fraction: number) => void) => BacktestThread;
}

interface Job {
  readonly request: BacktestRequest;
  readonly fundId: string;
  state: 'QUEUED' | 'RUNNING' | 'FINISHING';
  thread: BacktestThread | null;
  isCancelled: boolean;
  /** Settles when the job has ended and its row is written (set when it starts). */
  ended: Promise<void> | null;
}

/** Is process `pid` alive (on this host)? */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The API's backtest jobs, outside the request path: a job is stored QUEUED at once, runs in a
 * worker thread when one of `concurrency` slots is free (RUNNING, with progress), and ends
 * COMPLETED, FAILED or CANCELLED. The main thread (which owns the single-writer store) writes the
 * rows; each change and each 2% of progress is published as `backtest.progressed`.
 */
export class BacktestQueue {
  private readonly jobs = new Map<string, Job>();
  private readonly waiting: Job[] = [];
  private running = 0;
  private isClosed = false;
  private readonly runner: Runner = { host: hostname(), pid: process.pid, boot: randomUUID() };

  constructor(private readonly deps: BacktestQueueDeps) {
    if (!Number.isInteger(deps.concurrency) || deps.concurrency < 1) throw new KeelError('KEEL_E_VALIDATION', `backtest concurrency must be a whole number ≥ 1, got ${deps.concurrency}`);
  }

  /** Jobs waiting and running now. */
  get counts(): { queued: number; running: number } {
    return { queued: this.waiting.length, running: this.running };
  }

  /**
   * Fails the jobs a previous run of this server left QUEUED or RUNNING (its process is gone):
   * rows whose runner is this host and a process that is not alive (or this pid in an earlier
   * boot). Returns their ids. Jobs of other hosts (a shared PostgreSQL) are left alone.
   */
  async recover(): Promise<string[]> {
    const stale: BacktestRun[] = [];
    for (const status of ['QUEUED', 'RUNNING'] as const) {
      for (const b of await this.deps.store.backtests.list(10_000, { status, withResults: false })) {
        const r = b.params['runner'] as Partial<Runner> | undefined;
        if (r?.host !== this.runner.host || typeof r.pid !== 'number') continue;
        if (r.pid === process.pid ? r.boot !== this.runner.boot : !isAlive(r.pid)) stale.push(b);
      }
    }
    for (const b of stale) {
      const error = `interrupted: the server stopped while the backtest was ${b.status === 'RUNNING' ? 'running' : 'queued'}; start it again`;
      // a server stopped while storing the results leaves some cycles' records: they go with the run
      await this.deps.store.transaction(async (tx) => {
        await discardCycleRecords(tx, backtestScope(b.fundId ?? '', b.id));
        await tx.backtests.update(b.id, { status: backtestTransition(b.status, 'FAILED'), error, at: this.deps.now() });
      });
      await this.publish(b.id, b.fundId ?? '', 'FAILED', b.progress);
    }
    return stale.map((b) => b.id);
  }

  /** Stores the job QUEUED and starts it when a slot is free. Throws on bad parameters (unknown rule). */
  async submit(request: BacktestRequest): Promise<void> {
    if (this.isClosed) throw new KeelError('KEEL_E_STORE', 'the server is stopping; start the backtest again later');
    const max = this.deps.maxQueued ?? Number.POSITIVE_INFINITY;
    if (this.waiting.length >= max) {
      throw new KeelError('KEEL_E_RATE_LIMITED', `${this.waiting.length} backtests are already waiting (KEEL_JOB_QUEUE_MAX ${max}); wait for one to start or cancel one, then ask again`, { queued: this.waiting.length, running: this.running, limit: max });
    }
    const fundId = request.config.fund.id;
    const params = { ...backtestParams(request), runner: this.runner };
    await this.deps.store.backtests.create({ id: request.id, fundId, params, createdAt: this.deps.now() });
    const job: Job = { request, fundId, state: 'QUEUED', thread: null, isCancelled: false, ended: null };
    this.jobs.set(request.id, job);
    this.waiting.push(job);
    await this.publish(request.id, fundId, 'QUEUED', 0);
    this.pump();
  }

  /**
   * Cancels a QUEUED or RUNNING job of this server (a running one's thread is stopped at once).
   * Throws KEEL_E_NOT_FOUND for an unknown id, KEEL_E_ILLEGAL_TRANSITION when it has ended.
   */
  async cancel(id: string, fundId: string): Promise<void> {
    const job = this.jobs.get(id);
    if (!job || job.fundId !== fundId) {
      const row = await this.deps.store.backtests.get(id);
      if (!row || row.fundId !== fundId) throw new KeelError('KEEL_E_NOT_FOUND', `backtest ${id} does not exist`, { field: 'params.backtestId' });
      // not a job of this server: it has ended (or another process runs it)
      backtestTransition(row.status, 'CANCELLED');
      throw new KeelError('KEEL_E_ILLEGAL_TRANSITION', `backtest ${id} is not run by this server`, { machine: 'backtest', from: row.status, to: 'CANCELLED' });
    }
    if (job.state === 'FINISHING') backtestTransition('COMPLETED', 'CANCELLED');
    job.isCancelled = true;
    const i = this.waiting.indexOf(job);
    if (i >= 0) {
      this.waiting.splice(i, 1);
      this.jobs.delete(id);
      await this.end(id, fundId, 'QUEUED', 'CANCELLED', 0);
      return;
    }
    // the running job writes CANCELLED once its thread has stopped: answer after that
    await job.thread?.stop();
    await job.ended;
  }

  /** Stops every job: running ones are stopped and, like queued ones, stored FAILED. */
  async close(): Promise<void> {
    this.isClosed = true;
    const waiting = this.waiting.splice(0);
    for (const job of waiting) {
      this.jobs.delete(job.request.id);
      await this.end(job.request.id, job.fundId, 'QUEUED', 'FAILED', 0, 'the server stopped before the backtest ran; start it again');
    }
    const running = [...this.jobs.values()];
    await Promise.all(running.map((j) => j.thread?.stop()));
    while (this.jobs.size > 0) await new Promise((r) => setTimeout(r, 10));
  }

  private pump(): void {
    while (!this.isClosed && this.running < this.deps.concurrency) {
      const job = this.waiting.shift();
      if (!job) return;
      this.running++;
      job.ended = this.run(job).finally(() => {
        this.running--;
        this.jobs.delete(job.request.id);
        this.pump();
      });
    }
  }

  private async run(job: Job): Promise<void> {
    const { request: r, fundId } = job;
    const now = this.deps.now;
    job.state = 'RUNNING';
    const progress = new ProgressWriter(this.deps.store, r.id, now);
    let fraction = 0;
    try {
      await this.deps.store.backtests.update(r.id, { status: backtestTransition('QUEUED', 'RUNNING'), progress: 0, at: now() });
      await this.publish(r.id, fundId, 'RUNNING', 0);
      const { panel } = await this.deps.market();
      if (job.isCancelled || this.isClosed) throw new BacktestStopped();
      const start = this.deps.start ?? startBacktestThread;
      const input: BacktestThreadInput = { id: r.id, config: r.config, panel, from: r.from, to: r.to, ...(r.agents ? { agents: r.agents } : {}), ...(r.compare ? { compare: r.compare } : {}) };
      job.thread = start(input, (f) => {
        fraction = f;
        if (progress.set(f)) void this.publish(r.id, fundId, 'RUNNING', f);
      });
      const done = await job.thread.result;
      job.state = 'FINISHING';
      await progress.flushed();
      await storeBacktestResult(this.deps.store, fundId, r.id, done, now());
      await this.publish(r.id, fundId, 'COMPLETED', 1);
    } catch (e) {
      await progress.flushed().catch(() => undefined);
      const isStop = e instanceof BacktestStopped;
      const to = isStop && job.isCancelled ? 'CANCELLED' : 'FAILED';
      const error = isStop && !job.isCancelled ? 'the server stopped while the backtest ran; start it again' : e instanceof Error ? e.message : String(e);
      if (to === 'FAILED') this.deps.logger?.log('warn', 'backtest failed', { backtestId: r.id, error });
      await this.end(r.id, fundId, 'RUNNING', to, fraction, to === 'FAILED' ? error : undefined);
    }
  }

  private async end(id: string, fundId: string, from: BacktestStatus, to: BacktestStatus, progress: number, error?: string): Promise<void> {
    await this.deps.store.backtests.update(id, { status: backtestTransition(from, to), ...(error !== undefined ? { error } : {}), at: this.deps.now() }).catch((e: unknown) => {
      this.deps.logger?.log('error', 'could not store a backtest status', { backtestId: id, status: to, error: e instanceof Error ? e.message : String(e) });
    });
    await this.publish(id, fundId, to, progress);
  }

  private async publish(backtestId: string, fundId: string, status: BacktestStatus, progress: number): Promise<void> {
    await this.deps.bus.publish('backtest.progressed', { backtestId, fundId, status, progress }).catch(() => undefined);
  }
}
