import { Worker } from 'node:worker_threads';
import type { FundConfig } from '../../contracts/index.ts';
import type { IsoDate } from '../../core/index.ts';
import type { Panel } from '../../market/index.ts';
import type { ComputedBacktest } from './backtest-job.ts';
import type { CompareSpec } from './compare.ts';

/** What a backtest worker thread receives: plain data (structured-cloned into the thread). */
export interface BacktestThreadInput {
  readonly id: string;
  readonly config: FundConfig;
  readonly panel: Panel;
  readonly from: IsoDate;
  readonly to: IsoDate;
  readonly agents?: readonly string[];
  readonly compare?: CompareSpec;
  readonly keepLastCycles?: number;
}

/** What a backtest worker thread posts back. */
export type FromBacktestThread =
  | { readonly kind: 'progress'; readonly run: 'backtest' | 'compare'; readonly done: number; readonly total: number }
  | { readonly kind: 'done'; readonly result: ComputedBacktest }
  | { readonly kind: 'failed'; readonly message: string };

/** A backtest running in its own thread. */
export interface BacktestThread {
  /** The result; rejects with the backtest's error, or when the thread is stopped or dies. */
  readonly result: Promise<ComputedBacktest>;
  /** Stops the thread at once (the result rejects). */
  stop(): Promise<void>;
}

/** A copy of `a` on a SharedArrayBuffer: posting it to a thread shares the memory instead of copying it. */
function shared<A extends Float64Array | Uint8Array>(a: A, make: (b: SharedArrayBuffer) => A): A {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const out = make(new SharedArrayBuffer(a.byteLength));
  out.set(a);
  return out;
}

/**
 * The panel with its columns (T × U arrays, reference series, governance mask) on shared memory,
 * so that every backtest thread reads the one copy: posting a 500-name, 6-year panel otherwise
 * copies 55 MB on the caller's thread per job. Threads only read a panel.
 */
export function sharePanel(p: Panel): Panel {
  const f64 = (a: Float64Array): Float64Array => shared(a, (b) => new Float64Array(b));
  return {
    ...p,
    open: f64(p.open),
    high: f64(p.high),
    low: f64(p.low),
    close: f64(p.close),
    volume: f64(p.volume),
    ret: f64(p.ret),
    adv20: f64(p.adv20),
    vol20: f64(p.vol20),
    marketCap: f64(p.marketCap),
    sentiment: p.sentiment ? f64(p.sentiment) : null,
    reference: new Map([...p.reference].map(([k, v]) => [k, f64(v)])),
    tradable: shared(p.tradable, (b) => new Uint8Array(b)),
  };
}

/** Thrown into `result` when `stop` ended the thread. */
export class BacktestStopped extends Error {
  constructor() {
    super('the backtest was stopped');
  }
}

/**
 * Runs `computeBacktest` for `input` in a new worker thread, off the caller's event loop.
 * `onProgress(fraction)` gets the share done in [0, 1] (with a comparison, the backtest run is the
 * first half). The thread ends with the job.
 */
export function startBacktestThread(input: BacktestThreadInput, onProgress: (fraction: number) => void): BacktestThread {
  const worker = new Worker(new URL('./backtest-worker.mjs', import.meta.url));
  let isStopped = false;
  const half = input.compare ? 0.5 : 1;
  const result = new Promise<ComputedBacktest>((resolve, reject) => {
    let isSettled = false;
    const settle = (f: () => void): void => {
      if (isSettled) return;
      isSettled = true;
      f();
      void worker.terminate();
    };
    worker.on('message', (m: FromBacktestThread) => {
      if (m.kind === 'progress') onProgress(m.run === 'backtest' ? (m.done / m.total) * half : 0.5 + (m.done / m.total) * 0.5);
      else if (m.kind === 'done') settle(() => resolve(m.result));
      else settle(() => reject(new Error(m.message)));
    });
    worker.on('error', (e) => settle(() => reject(e)));
    worker.on('exit', (code) => settle(() => reject(isStopped ? new BacktestStopped() : new Error(`the backtest worker exited with code ${code}`))));
  });
  worker.postMessage(input);
  return {
    result,
    stop: async () => {
      isStopped = true;
      await worker.terminate();
    },
  };
}
