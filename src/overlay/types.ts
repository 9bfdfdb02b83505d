import type { ForecastTrack } from './forecast-bias.ts';
import type { IsoDate } from '../core/index.ts';
import type { AgentState, Regime, TradingState } from '../contracts/index.ts';
import type { RegimeTrack } from './regime.ts';

/** One held position: signed share quantity and the last known price in dollars. */
export interface Position {
  readonly symbol: string;
  readonly qty: number;
  readonly price: number;
}

/** Who re-armed a frozen agent or the fund, and why (recorded, never implicit). */
export interface Rearm {
  readonly who: string;
  readonly why: string;
  readonly at: IsoDate;
}

/**
 * Where an agent (or the fund) stands on the graduated drawdown ladder. `since` is the date the
 * state was entered (cooldowns count weekdays from it); `recoveryStep` is the index into
 * `drawdown.recoveryRamp` while recovering after a freeze, or -1.
 */
export interface DrawdownTrack {
  readonly state: AgentState;
  readonly since: IsoDate | null;
  readonly recoveryStep: number;
  readonly rearm: Rearm | null;
  /** Drawdown from the high-water mark (fraction) when the current step was entered; absent at 'normal'. */
  readonly entryDrawdown?: number;
  /** The annualised volatility the ladder's vol steps are in units of, fixed when it left 'normal' (a halved book's lower vol must not tighten its own steps); absent at 'normal'. */
  readonly unitVol?: number;
}

export const NORMAL_TRACK: DrawdownTrack = { state: 'normal', since: null, recoveryStep: -1, rearm: null };

/** One agent's book and risk state. Dollars unless noted; returns are simple daily returns, oldest first. */
export interface AgentBookState {
  readonly agentId: string;
  /** Dollars of fund capital the agent manages; weights are fractions of it. */
  readonly allocatedCapital: number;
  readonly positions: readonly Position[];
  /**
   * The current book as weights (fractions of allocated capital) instead of positions; used only
   * when `positions` is empty. Valued at allocated capital × weight.
   */
  readonly weights?: readonly { readonly symbol: string; readonly weight: number }[];
  /** Current agent equity (allocated capital ± P&L), dollars. */
  readonly equity: number;
  /** Highest equity seen, dollars. */
  readonly highWaterMark: number;
  /** Today's and month-to-date P&L, dollars (negative = loss). */
  readonly dailyPnl: number;
  readonly monthlyPnl: number;
  readonly drawdown: DrawdownTrack;
  /** Daily returns of the agent's book, oldest first (correlation monitor, scoring). */
  readonly returns: readonly number[];
  /**
   * The agent's own ex-ante vol at its allocated capital as a fraction of the fund's target vol in
   * dollars, from the last capital allocation; its VaR budget (on its standalone VaR) is sized from
   * it. Absent before the first allocation: the budget is then riskBudgetPct.
   */
  readonly standaloneRisk?: number;
  /**
   * The capital the fund's config gave the agent (`agents[].allocatedCapital`) as the fund last
   * applied it. A config version that changes it (`keel agent risk --capital`, `config apply`) moves
   * the difference between the fund's book and the agent's at the next review (allocation.ts).
   * Absent in a state from before it was kept: recorded at the next review, nothing moved.
   */
  readonly configuredCapital?: number;
  /**
   * The risk model's daily vol forecast for the agent's final book and how far its record has been
   * from such forecasts (`ForecastTrack`, forecast-bias.ts): its VaR budget is put in the model's
   * units with it. Absent before the first review (and in a state stored before it existed).
   */
  readonly forecast?: ForecastTrack;
}

/**
 * A ledger book the fund holds outside its agents: every book that is neither a configured agent's
 * nor the fund's own (the PM's discretionary book; the fund's hedge book `HEDGE_BOOK`). Positions
 * only: it is not an agent, so it has no allocated capital, drawdown ladder, risk budget, return
 * history or proposal, and the overlay never reviews it (the cycle trades only the hedge book, to
 * the hedger's targets). Its positions count toward every fund-level aggregate and limit of a
 * review (the running fund ledger: per-name, sector, gross / net, top 5, ADV, VaR / CVaR, kill
 * switches, crowding, stress, liquidity, hedges), as the book of an agent that does not propose
 * would; the hedge book's only in net, gross and what derives from them (`FundLedger`).
 *
 * A separate field rather than a flag on `AgentBookState`: everything that iterates
 * `FundState.agents` (drawdown ladders, correlations, scores, reallocation, factor loadings, the
 * next state, the cycle's budgets, snapshots and records) means the agents, and stays as it was.
 */
export interface OutsideBook {
  readonly bookId: string;
  readonly positions: readonly Position[];
}

/** A fund-level hedge position (index or sector short), notional in dollars, signed. */
export interface HedgePosition {
  readonly instrument: string;
  readonly notional: number;
  readonly kind: 'index' | 'sector' | 'beta';
}

/**
 * The fund state the overlay reviews against (ARCHITECTURE.md "One cycle" step 3). Pure data: the
 * cycle loads it, the overlay returns the next one, the cycle persists it.
 */
export interface FundState {
  readonly asOf: IsoDate;
  /** Fund capital / NAV in dollars: every "fraction of the fund" divides by it. */
  readonly capital: number;
  readonly highWaterMark: number;
  readonly dailyPnl: number;
  readonly monthlyPnl: number;
  readonly tradingState: TradingState;
  /** Date the current trading state was entered (kill-switch cooldowns count from it). */
  readonly tradingStateSince: IsoDate | null;
  readonly fundDrawdown: DrawdownTrack;
  readonly agents: readonly AgentBookState[];
  /**
   * Books outside the agents (see `OutsideBook`), in ledger order. Absent or empty when there are
   * none (a backtest; a state stored before the field existed). An id also in `agents` is ignored.
   */
  readonly outsideBooks?: readonly OutsideBook[];
  /** Cycles in a row the fund CVaR was over its limit. */
  readonly cvarBreachStreak: number;
  /** Black-swan emergency flag (risk-service-plan §3.1). */
  readonly emergency: boolean;
  /** Manual kill switch: set with who and why; cleared by a re-arm. */
  readonly manualKill: Rearm | null;
  /** Regime label if the cycle already has one; otherwise the overlay derives it from the view. */
  readonly regime: Regime | null;
  /**
   * The regime machine's state (`advanceRegime`: confirmation, dwell, hysteresis) when the regime is
   * derived from the market; absent before the first review (and in a state stored before it existed).
   */
  readonly regimeTrack?: RegimeTrack;
  readonly hedges: readonly HedgePosition[];
  /** Daily fund returns, oldest first (scoring, information ratio). */
  readonly fundReturns: readonly number[];
  /** The as-of date of the last capital allocation across agents (absent or null: never). */
  readonly allocatedOn?: string | null;
}
