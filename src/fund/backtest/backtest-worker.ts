import { parentPort } from 'node:worker_threads';
import { computeBacktest } from './backtest-job.ts';
import type { BacktestThreadInput, FromBacktestThread } from './backtest-thread.ts';

/**
 * A backtest worker thread: receives one job (config, panel, window), runs `computeBacktest` and
 * posts its progress and then its result or its error back. It never touches the store: the main
 * thread, which owns it, writes the rows.
 */
const port = parentPort;
if (!port) throw new Error('backtest-worker.ts runs in a worker thread (startBacktestThread)');
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
