import type { FundConfig, TradingState } from '../contracts/index.ts';
import type { DrawdownOutcome } from './drawdown.ts';
import { recordForecast, recordProposal } from './forecast-bias.ts';
import type { FundFacts } from './fund-context.ts';
import { transitionTradingState } from './trading-state.ts';
import type { FundState, Rearm } from './types.ts';

/**
 * The control state after a review: trading state, drawdown tracks (high-water marks reset when
 * a freeze ends or move down on a rebase), the regime machine, CVaR streak, and each agent's risk
 * forecast for its final book (`forecasts`: the model's daily vol per dollar of its equity, scored
 * against the return it earns) and for its proposal (`proposed`: per dollar of its allocated
 * capital), forecast-bias.ts. Books, P&L and NAV are the cycle's to update after fills.
 */
export function nextFundState(state: FundState, facts: FundFacts, forecasts: ReadonlyMap<string, number> = new Map(), proposed: ReadonlyMap<string, number> = new Map()): FundState {
  const fo = facts.context.fundDrawdown;
  return {
    ...state,
    tradingState: facts.transition.state,
    tradingStateSince: facts.transition.since,
    cvarBreachStreak: facts.cvarStreak,
    ...(facts.regimeTrack ? { regimeTrack: facts.regimeTrack } : {}),
    highWaterMark: nextMark(state.highWaterMark, state.capital, fo),
    fundDrawdown: fo.track,
    agents: state.agents.map((a) => {
      const o = facts.context.agentDrawdown.get(a.agentId)?.outcome;
      const vol = forecasts.get(a.agentId);
      const pv = proposed.get(a.agentId);
      const withVol = vol === undefined ? a.forecast : recordForecast(a.forecast, vol);
      const track = pv === undefined ? withVol : recordProposal(withVol, pv);
      const forecast = track === undefined ? {} : { forecast: track };
      if (!o) return track === undefined ? a : { ...a, ...forecast };
      return { ...a, drawdown: o.track, highWaterMark: nextMark(a.highWaterMark, a.equity, o), ...forecast };
    }),
  };
}

/** The high-water mark after a review: reset to equity leaving a freeze, moved down to a step's entry level by a rebase, else the running peak. */
function nextMark(mark: number, equity: number, o: DrawdownOutcome): number {
  if (o.resetHighWaterMark) return equity;
  if (o.rebaseHighWaterMark !== null) return Math.max(mark * (1 - o.rebaseHighWaterMark), equity);
  return Math.max(mark, equity);
}

/** Records a manual re-arm of a paused agent (who and why); recovery starts once its cooldown has passed. */
export function rearmAgent(state: FundState, agentId: string, rearm: Rearm): FundState {
  return { ...state, agents: state.agents.map((a) => (a.agentId === agentId ? { ...a, drawdown: { ...a.drawdown, rearm } } : a)) };
}

/** Sets the manual kill switch (who and why); the next review halts the fund. */
export function setManualKill(state: FundState, who: Rearm): FundState {
  return { ...state, manualKill: who };
}

/** Re-arms a HALTED fund (who and why): clears the manual switch and moves HALTED → REDUCING through the table. */
export function rearmFund(state: FundState, rearm: Rearm, _config?: FundConfig): FundState {
  const to = state.tradingState === 'HALTED' ? transitionTradingState('HALTED', 'REDUCING') : state.tradingState;
  return { ...state, manualKill: null, tradingState: to, tradingStateSince: rearm.at, fundDrawdown: state.fundDrawdown.rearm ? state.fundDrawdown : { ...state.fundDrawdown, rearm } };
}

/**
 * The fund's trading state with what an operator set on the fund row since the state was stored
 * (the CLI's and the API's kill switch trip and re-arm write the row; a cycle leaves the row equal
 * to the state it stores, so a row that differs was set since). HALTED on the row halts the fund as
 * a manual kill switch (`operator` is who tripped it); a re-arm of a HALTED state goes through
 * `rearmFund` (HALTED → REDUCING, the manual switch cleared), and REDUCING ↔ ACTIVE follow the row.
 * Every move goes through the transition table, dated `operator.at`: a REDUCING set on the row
 * counts its cooldown from the day a cycle reads it.
 */
export function adoptOperatorState(state: FundState, row: TradingState, operator: Rearm): FundState {
  if (row === state.tradingState) return state;
  if (row === 'HALTED') return { ...state, tradingState: transitionTradingState(state.tradingState, 'HALTED'), tradingStateSince: operator.at, manualKill: operator };
  const rearmed = state.tradingState === 'HALTED' ? rearmFund(state, operator) : state;
  if (rearmed.tradingState === row) return rearmed;
  return { ...rearmed, tradingState: transitionTradingState(rearmed.tradingState, row), tradingStateSince: operator.at };
}
