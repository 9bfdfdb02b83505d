import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { computeBacktest } from './backtest-job.ts';
import type { BacktestThreadInput, FromBacktestThread } from './backtest-thread.ts';

/**
 * A backtest worker thread: receives one job (config, panel, window), runs `computeBacktest` and
 * posts its progress and then its result or its error back. It never touches the store: the main
 * thread, which owns it, writes the rows.
 */
/** The worker thread's nice value (0 normal … 19 lowest). */
const WORKER_NICE = 10;
const port = parentPort;
if (!port) throw new Error('backtest-worker.ts runs in a worker thread (startBacktestThread)');
try {
  // On Linux the nice value is per thread: the API's own thread keeps the CPU when both want it.
  setPriority(WORKER_NICE);
} catch {
  // not permitted here (some containers): run at the normal priority
}
port.once('message', (job: BacktestThreadInput) => {
  const post = (m: FromBacktestThread): void => port.postMessage(m);
  computeBacktest({
    ...job,
    onProgress: (done, total) => post({ kind: 'progress', run: 'backtest', done, total }),
    onCompareProgress: (done, total) => post({ kind: 'progress', run: 'compare', done, total }),
  }).then(
    (result) => post({ kind: 'done', result }),
    (e: unknown) => post({ kind: 'failed', message: e instanceof Error ? e.message : String(e) }),
  );
});
