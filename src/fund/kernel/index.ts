/**
 * The kernel: the one composition root (ARCHITECTURE.md "The kernel"). The environment table,
 * the kernel that builds a fund's parts, the brokers, the market data router, the backtest's
 * wiring, the fund's config as stored, and the kill-switch files.
 */
export * from './env.ts';
export * from './kernel.ts';
export * from './brokers.ts';
export * from './wiring.ts';
export * from './fund-configs.ts';
export * from './account-fit.ts';
export * from './kill-switch-files.ts';
