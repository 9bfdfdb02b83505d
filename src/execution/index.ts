/**
 * execution: the order state machine and its events, the order planner (netting across agents),
 * the OMS with pre-trade checks, brokers (paper, Alpaca), cost/impact models, TCA and
 * crash-safe reconciliation. Quantities are unsigned shares to 1e-4 with a side, unless a name
 * says "signed"; prices and money in dollars; costs in bps of the benchmark price.
 */
export * from './order-events.ts';
export * from './order-state.ts';
export * from './positions.ts';
export * from './replay.ts';
export * from './allocation.ts';
export * from './planner.ts';
export * from './order-working.ts';
export * from './open-interest.ts';
export * from './cross-fills.ts';
export * from './order-factory.ts';
export * from './token-bucket.ts';
export * from './checks/types.ts';
export * from './checks/order-value.ts';
export * from './checks/concentration.ts';
export * from './checks/open-orders.ts';
export * from './checks/trading-state.ts';
export * from './checks/pre-trade.ts';
export * from './broker.ts';
export * from './broker-sync.ts';
export * from './broker-retry.ts';
export * from './cost-model.ts';
export * from './paper-fill.ts';
export * from './paper-broker.ts';
export * from './journal.ts';
export * from './reconcile.ts';
export * from './oms.ts';
export * from './tca.ts';
export * from './alpaca/alpaca-broker.ts';
