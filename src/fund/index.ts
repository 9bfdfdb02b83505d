/** fund: the exact ledger, runCycle, the backtester, the daemon and replay. */
export * from './ledger/ledger.ts';
export * from './alerts/alert-manager.ts';
export * from './alerts/channels.ts';
export * from './observability/metrics.ts';
