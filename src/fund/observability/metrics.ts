import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Prometheus metrics of the fund (issue: observability). One registry per process, built in
 * the composition root and passed down — no global default registry.
 */
export interface FundMetrics {
  readonly registry: Registry;
  readonly cycleDuration: Histogram<'mode'>;
  readonly cycleStepDuration: Histogram<'step'>;
  readonly decisions: Counter<'action'>;
  readonly orders: Counter<'status'>;
  readonly varBudgetUsed: Gauge<'agent'>;
  readonly drawdownState: Gauge<'agent'>;
  readonly fundNav: Gauge;
  readonly tradingState: Gauge<'state'>;
  readonly cycles: Counter<'result'>;
}

export function createFundMetrics(): FundMetrics {
  const registry = new Registry();
  const r = [registry];
  return {
    registry,
    cycleDuration: new Histogram({
      name: 'keel_cycle_duration_seconds',
      help: 'Duration of one fund cycle',
      labelNames: ['mode'],
      buckets: [0.001, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2, 5],
      registers: r,
    }),
    cycleStepDuration: new Histogram({
      name: 'keel_cycle_step_duration_seconds',
      help: 'Duration of each step of the fund cycle',
      labelNames: ['step'],
      buckets: [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5],
      registers: r,
    }),
    decisions: new Counter({ name: 'keel_overlay_decisions_total', help: 'Overlay decisions by action', labelNames: ['action'], registers: r }),
    orders: new Counter({ name: 'keel_orders_total', help: 'Orders by final or current status', labelNames: ['status'], registers: r }),
    varBudgetUsed: new Gauge({ name: 'keel_var_budget_used_ratio', help: 'Component VaR over budget, per agent', labelNames: ['agent'], registers: r }),
    drawdownState: new Gauge({
      name: 'keel_drawdown_state',
      help: 'Drawdown step per agent (0 normal, 1 reduced_50, 2 reduced_75, 3 flat, 4 paused)',
      labelNames: ['agent'],
      registers: r,
    }),
    fundNav: new Gauge({ name: 'keel_fund_nav_dollars', help: 'Fund NAV in dollars', registers: r }),
    tradingState: new Gauge({ name: 'keel_trading_state', help: '1 for the current trading state', labelNames: ['state'], registers: r }),
    cycles: new Counter({ name: 'keel_cycles_total', help: 'Cycles run, by result', labelNames: ['result'], registers: r }),
  };
}
