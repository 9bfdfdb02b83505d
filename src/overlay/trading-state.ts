import { IllegalTransitionError } from '../core/index.ts';
import type { TradingState } from '../contracts/index.ts';

/**
 * Allowed fund trading-state transitions. HALTED leaves only to REDUCING (by a recorded manual
 * re-arm); REDUCING returns to ACTIVE once no trigger fires and the cooldown has passed.
 */
export const TRADING_TRANSITIONS: Readonly<Record<TradingState, readonly TradingState[]>> = {
  ACTIVE: ['ACTIVE', 'REDUCING', 'HALTED'],
  REDUCING: ['REDUCING', 'ACTIVE', 'HALTED'],
  HALTED: ['HALTED', 'REDUCING'],
};

/** Returns `to`, or throws IllegalTransitionError when the table does not allow `from → to`. */
export function transitionTradingState(from: TradingState, to: TradingState): TradingState {
  if (!TRADING_TRANSITIONS[from].includes(to)) throw new IllegalTransitionError('fund trading state', from, to);
  return to;
}
