import type { FundRisk, KillSwitchConfig } from '../contracts/index.ts';
import { weekdaysSince } from './drawdown.ts';
import { transitionTradingState } from './trading-state.ts';
import type { TradingState } from '../contracts/index.ts';
import type { FundState } from './types.ts';

export type KillTriggerName =
  | 'fund_var_breach'
  | 'vol_circuit_breaker'
  | 'fund_drawdown_hard'
  | 'correlation_spike'
  | 'liquidity_freeze'
  | 'cvar_persistence'
  | 'circuit_breaker_tier3'
  | 'manual';

/**
 * What each trigger does to the book (seed fund-overlay-plan §5B "close positions based on trigger
 * severity"): severity 1..3 and the fraction of every position the reduction plan closes. A
 * liquidity freeze closes nothing (selling into a frozen market is the loss); orders are cancelled.
 */
export const KILL_TRIGGERS: Readonly<Record<KillTriggerName, { readonly severity: number; readonly closeFraction: number; readonly description: string }>> = {
  fund_var_breach: { severity: 2, closeFraction: 0.5, description: 'fund VaR99 above its share of capital' },
  vol_circuit_breaker: { severity: 2, closeFraction: 0.5, description: 'volatility index above its level' },
  fund_drawdown_hard: { severity: 3, closeFraction: 1, description: 'fund drawdown beyond the hard stop' },
  correlation_spike: { severity: 2, closeFraction: 0.5, description: 'average agent P&L correlation high, risen over its baseline, while the fund loses' },
  liquidity_freeze: { severity: 1, closeFraction: 0, description: "today's volume far below ADV across holdings" },
  cvar_persistence: { severity: 3, closeFraction: 1, description: 'CVaR limit breached cycles in a row' },
  circuit_breaker_tier3: { severity: 3, closeFraction: 1, description: 'drawdown beyond the limit in high volatility' },
  manual: { severity: 3, closeFraction: 1, description: 'manual kill switch' },
};

export interface KillTrigger {
  readonly name: KillTriggerName;
  readonly limit: number | null;
  readonly actual: number | null;
  readonly severity: number;
  readonly closeFraction: number;
  readonly message: string;
}

/** The measured inputs of the kill switches; NaN means "could not be measured" (the trigger is skipped and reported). */
export interface KillSwitchInputs {
  /** Fund VaR99 (one day) of the held book as a fraction of capital. */
  readonly fundVar99Pct: number;
  /** Volatility index level (points). */
  readonly vix: number;
  /** Fund drawdown from its high-water mark, fraction. */
  readonly fundDrawdownPct: number;
  /** Mean pairwise correlation of agents' daily returns over the correlation window (pairs with a baseline). */
  readonly avgAgentCorrelation: number;
  /** The same pairs' mean correlation over the baseline window (risk.correlationBaselineDays). */
  readonly avgAgentCorrelationBaseline: number;
  /** The fund's compounded return over the last 20 trading days (fraction; negative = loss). */
  readonly fundReturn20d: number;
  /** Mean over held names of today's volume / ADV20. */
  readonly volumeRatio: number;
  /** CVaR-breach streak including this cycle. */
  readonly cvarStreak: number;
  readonly manual: boolean;
  readonly circuitBreakerTier3: boolean;
}

function trig(name: KillTriggerName, limit: number | null, actual: number | null, message: string): KillTrigger {
  const t = KILL_TRIGGERS[name];
  return { name, limit, actual, severity: t.severity, closeFraction: t.closeFraction, message };
}

/** The fund's 20-day loss, as a fraction, that makes a correlation spike a crisis: a 1σ month at the risk target. */
export function crisisLoss20d(targetVolPct: number): number {
  return targetVolPct * Math.sqrt(20 / 252);
}

/** Evaluates every kill switch (seed §5B table), in a fixed order. */
export function checkKillSwitches(x: KillSwitchInputs, cfg: KillSwitchConfig, risk: Pick<FundRisk, 'correlationSpikeDelta' | 'targetVolPct'>): KillTrigger[] {
  const out: KillTrigger[] = [];
  if (x.fundVar99Pct > cfg.fundVar99Pct) out.push(trig('fund_var_breach', cfg.fundVar99Pct, x.fundVar99Pct, `fund VaR99 ${pct(x.fundVar99Pct)} > ${pct(cfg.fundVar99Pct)} of capital`));
  if (x.vix > cfg.vixLevel) out.push(trig('vol_circuit_breaker', cfg.vixLevel, x.vix, `volatility index ${x.vix.toFixed(1)} > ${cfg.vixLevel}`));
  if (x.fundDrawdownPct > cfg.fundDrawdownPct) out.push(trig('fund_drawdown_hard', cfg.fundDrawdownPct, x.fundDrawdownPct, `fund drawdown ${pct(x.fundDrawdownPct)} > ${pct(cfg.fundDrawdownPct)}`));
  const rise = x.avgAgentCorrelation - x.avgAgentCorrelationBaseline;
  const loss = crisisLoss20d(risk.targetVolPct);
  if (x.avgAgentCorrelation > cfg.avgAgentCorrelation && rise > risk.correlationSpikeDelta && -x.fundReturn20d > loss) {
    out.push(trig('correlation_spike', cfg.avgAgentCorrelation, x.avgAgentCorrelation, `average agent correlation ${x.avgAgentCorrelation.toFixed(2)} > ${cfg.avgAgentCorrelation}, up ${rise.toFixed(2)} on its baseline ${x.avgAgentCorrelationBaseline.toFixed(2)}, while the fund lost ${pct(-x.fundReturn20d)} in 20 days (> ${pct(loss)})`));
  }
  if (x.volumeRatio < cfg.liquidityVolumeRatio) out.push(trig('liquidity_freeze', cfg.liquidityVolumeRatio, x.volumeRatio, `volume / ADV ${x.volumeRatio.toFixed(2)} < ${cfg.liquidityVolumeRatio}`));
  if (x.cvarStreak >= cfg.cvarBreachCycles) out.push(trig('cvar_persistence', cfg.cvarBreachCycles, x.cvarStreak, `CVaR limit breached ${x.cvarStreak} cycles running`));
  if (x.circuitBreakerTier3) out.push(trig('circuit_breaker_tier3', null, null, 'circuit breaker tier 3: drawdown beyond limit with high volatility'));
  if (x.manual) out.push(trig('manual', null, null, 'manual kill switch is set'));
  return out;
}

export interface TradingStateOutcome {
  readonly state: TradingState;
  readonly since: string | null;
  readonly changed: boolean;
  readonly cause: string;
}

/**
 * Next trading state: any trigger → HALTED; fail safe or emergency → at least REDUCING; HALTED stays
 * until a recorded re-arm (`rearmFund`); REDUCING returns to ACTIVE after `cooldownDays` weekdays
 * without a trigger. Every move goes through the transition table.
 */
export function nextTradingState(
  state: FundState,
  triggers: readonly KillTrigger[],
  failSafe: boolean,
  cfg: KillSwitchConfig,
): TradingStateOutcome {
  const cur = state.tradingState;
  if (triggers.length > 0) return cur === 'HALTED' ? stay(state, 'kill switch still triggered') : move(state, 'HALTED', triggers.map((t) => t.name).join(', '));
  if (cur === 'HALTED') return stay(state, 'halted until a manual re-arm');
  if (failSafe || state.emergency) {
    const why = failSafe ? 'fail safe' : 'emergency';
    return cur === 'REDUCING' ? stay(state, why) : move(state, 'REDUCING', why);
  }
  if (cur === 'REDUCING') {
    return weekdaysSince(state.tradingStateSince, state.asOf) >= cfg.cooldownDays ? move(state, 'ACTIVE', 'cooldown over, no trigger') : stay(state, 'cooldown');
  }
  return stay(state, 'no trigger');
}

/** The trading state unchanged, and why. */
function stay(state: FundState, cause: string): TradingStateOutcome {
  return { state: state.tradingState, since: state.tradingStateSince, changed: false, cause };
}

/** A move to `to` through the transition table, as of the state's date, and why. */
function move(state: FundState, to: TradingState, cause: string): TradingStateOutcome {
  return { state: transitionTradingState(state.tradingState, to), since: state.asOf, changed: true, cause };
}

function pct(x: number): string {
  return `${(x * 100).toFixed(2)}%`;
}
