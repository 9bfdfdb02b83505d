/** fund: the exact ledger, runCycle, the backtester, the daemon and replay. */
export * from './ledger/ledger.ts';
