/** fund: the exact ledger, runCycle, the backtester, the daemon and replay. */
export * from './ledger/ledger.ts';
export * from './alerts/alert-manager.ts';
export * from './alerts/channels.ts';
export * from './observability/metrics.ts';
export * from './cycle/books.ts';
export * from './cycle/fill-tap.ts';
export * from './cycle/records.ts';
export * from './cycle/runtime.ts';
export * from './cycle/run-cycle.ts';
export * from './backtest/tear-sheet.ts';
export * from './backtest/backtest.ts';
export * from './market-loader.ts';
export * from './backtest/backtest-job.ts';
export * from './replay.ts';
