import type { Alert, Fill, Order, OverlayDecision } from '../contracts/index.ts';

/** Every topic and its payload, in one typed map (STYLE.md: no stringly-typed topics). Past tense. */
export interface Topics {
  'cycle.completed': { cycleId: string; asOf: string; fundId: string; nav: number; tradingState: string; durationMs: number };
  'proposal.reviewed': OverlayDecision;
  'order.updated': Order;
  'fill.recorded': Fill;
  'alert.raised': Alert;
  /** Someone acknowledged one of a fund's alerts (ISO `at`). */
  'alert.acknowledged': { fundId: string; alertId: string; who: string; at: string };
  'trading-state.changed': { fundId: string; from: string; to: string; reason: string; who: string | null };
  /** A fund's config changed (a control, `keel config apply`, a new fund): the next cycle runs with `to`. */
  'config.changed': { fundId: string; from: string | null; to: string; action: string; who: string; reason: string };
  /** A backtest job moved (QUEUED, RUNNING, COMPLETED, FAILED, CANCELLED) or progressed (`progress` in [0, 1], every 2%). */
  'backtest.progressed': { backtestId: string; fundId: string; status: string; progress: number };
}

export type Topic = keyof Topics;
export const TOPICS: readonly Topic[] = [
  'cycle.completed',
  'proposal.reviewed',
  'order.updated',
  'fill.recorded',
  'alert.raised',
  'alert.acknowledged',
  'trading-state.changed',
  'config.changed',
  'backtest.progressed',
];
