import { z } from 'zod';
import { ConfigConflictError, ValidationError, hashOf } from '../core/index.ts';
import { fraction, id, nonNegative, nonNegativeDollars, positive, positiveDollars, symbol } from './common.ts';
import { DEFAULT_DERIVED_LIMITS, impliedVolSpread, withTargetDerivedLimits } from './risk-coherence.ts';
import { Regime } from './signal.ts';
import { AgentWorkerConfig, RemoteAgentConfig } from './agent-remote.ts';
import { RiskDriver, STRATEGY_BUCKET_MAP, STRATEGY_RISK_DRIVERS, StrategyType } from './strategy.ts';

/**
 * Per-agent risk parameters. Fractions are of the agent's allocated capital unless noted.
 * Seed defaults: fund-overlay-plan §1A (budgets), "What exists today" (position/sector caps,
 * 20% agent circuit breaker), refactor-plan (1% per-trade risk budget).
 */
/** An agent's id in a fund config: lower-case letters, digits, _ and -. */
export const agentIdentifier = id.regex(/^[a-z0-9][a-z0-9_-]*$/, 'lower-case letters, digits, _ and - only');
/** A fund id: it names the fund's folder under KEEL_HOME (its kill-switch file), so it starts with a letter or digit and has no path separator. */
export const fundIdentifier = id.max(64).regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits and . _ - only, starting with a letter or digit (it names a folder)');

export const AgentRiskParams = z.object({
  /** Max share of fund VaR this agent's component VaR may take. */
  riskBudgetPct: fraction.default(0.25),
  maxDailyDrawdownPct: fraction.default(0.03),
  maxMonthlyDrawdownPct: fraction.default(0.08),
  /** Gross exposure cap, × allocated capital. */
  grossExposureCap: nonNegative.default(1.0),
  /** |net| exposure cap, × allocated capital. */
  netExposureCap: nonNegative.default(0.5),
  leverageLimit: nonNegative.default(1.0),
  maxPositionPct: fraction.default(0.1),
  maxSectorPct: fraction.default(0.3),
  /** Risk per trade (stop distance × size) as a fraction of allocated capital. */
  perTradeRiskPct: fraction.default(0.01),
  /** The agent's own circuit breaker (replaced by graduated steps, kept as the outer bound). */
  maxDrawdownLimit: fraction.default(0.2),
  atrPeriod: z.number().int().min(2).default(14),
  atrStopMultiple: positive.default(2),
  atrTargetMultiple: positive.default(3),
  /**
   * Act on the ATR stop and take-profit levels: each held name keeps the levels of the proposal that
   * opened or last resized it, and the cycle closes the position when the day's range crosses one
   * (docs/fund-cycle.md "Stops"). Off: the levels are recorded only.
   */
  atrStops: z.boolean().default(false),
  /**
   * Weekdays after a stop exit during which the agent may not open the name again on the same side
   * (its target there is held at 0); 0: the exit overrides one cycle only.
   */
  atrStopCooldownDays: z.number().int().min(0).max(260).default(0),
  /** Correlation filter inside the book: of two names more correlated than this, keep the stronger. */
  maxPairCorrelation: fraction.default(0.9),
});
export type AgentRiskParams = z.infer<typeof AgentRiskParams>;
// Overrides must not inherit defaults, so build the partial from the unwrapped shape.
/** Overrides of an agent's risk parameters (each optional, with the parameter's own bounds). */
export const AgentRiskOverrides = z.object(
  Object.fromEntries(
    Object.entries(AgentRiskParams.shape).map(([k, v]) => [k, (v as z.ZodDefault<z.ZodType>).unwrap().optional()]),
  ) as { [K in keyof typeof AgentRiskParams.shape]: z.ZodOptional<z.ZodType<AgentRiskParams[K]>> },
);
export type AgentRiskOverrides = z.infer<typeof AgentRiskOverrides>;

export const AgentState = z.enum(['normal', 'reduced_50', 'reduced_75', 'flat', 'paused']);
export type AgentState = z.infer<typeof AgentState>;
/** Severity order of drawdown states, for "steps out of order" checks and escalation. */
export const AGENT_STATE_SEVERITY: Readonly<Record<AgentState, number>> = {
  normal: 0,
  reduced_50: 1,
  reduced_75: 2,
  flat: 3,
  paused: 4,
};

/**
 * One step of a drawdown ladder: its threshold either in units of volatility (`volMultiple` × the
 * agent's own realised annualised vol, or × risk.targetVolPct for a fund step) or as a fixed
 * fraction below the high-water mark (`drawdownPct`); exactly one of the two.
 */
const DrawdownStep = z
  .object({ drawdownPct: fraction.optional(), volMultiple: positive.optional(), state: AgentState })
  .superRefine((s, ctx) => {
    if (s.drawdownPct !== undefined && s.volMultiple !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['volMultiple'], message: 'a step has drawdownPct or volMultiple, not both: keep one' });
    } else if (s.drawdownPct === undefined && s.volMultiple === undefined) {
      ctx.addIssue({ code: 'custom', path: ['volMultiple'], message: "a step needs volMultiple (× the agent's own volatility; × risk.targetVolPct for the fund) or drawdownPct (a fraction below the high-water mark)" });
    }
  });
export type DrawdownStep = z.infer<typeof DrawdownStep>;

/** A step's threshold as a fraction below the high-water mark, for a ladder whose unit of volatility is `unitVol` (annualised). */
export function drawdownThreshold(step: DrawdownStep, unitVol: number): number {
  if (step.volMultiple !== undefined) return step.volMultiple * unitVol;
  return step.drawdownPct ?? Number.POSITIVE_INFINITY;
}

/**
 * One agent of the fund: a built-in `strategy`, a plug-in `module` (a TypeScript or JavaScript
 * file, resolved against the config file's folder when the file is read, with its sha256 recorded
 * in `moduleSha256` so the config hash covers its code), or a `remote` agent (HTTP or NATS, any
 * language). Plug-in and remote agents have strategy `custom`.
 */
export const AgentConfig = z.object({
  id: agentIdentifier,
  strategy: StrategyType.default('custom'),
  module: z.string().min(1).optional(),
  moduleSha256: z.string().regex(/^[0-9a-f]{64}$/, 'a lower-case hex sha256').optional(),
  remote: RemoteAgentConfig.optional(),
  /** Run this built-in or plug-in agent in agent worker processes (`keel agents serve`) over NATS. */
  worker: AgentWorkerConfig.optional(),
  /** Dollars of fund capital this agent manages. */
  allocatedCapital: nonNegativeDollars,
  enabled: z.boolean().default(true),
  bucket: z.string().min(1).optional(),
  riskDrivers: z.array(RiskDriver).optional(),
  /** Strategy parameters; each strategy validates its own. */
  params: z.record(z.string(), z.unknown()).default({}),
  risk: AgentRiskOverrides.default({}),
}).superRefine((a, ctx) => {
  const kinds = (a.strategy !== 'custom' ? 1 : 0) + (a.module !== undefined ? 1 : 0) + (a.remote !== undefined ? 1 : 0);
  if (kinds === 1) {
    if (a.worker !== undefined && a.remote !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['worker'], message: 'a remote agent already runs elsewhere; worker is for a built-in strategy or a module (keel agents serve runs it)' });
    }
    return;
  }
  if (kinds === 0) {
    ctx.addIssue({ code: 'custom', path: ['strategy'], message: `an agent needs a built-in strategy (${StrategyType.options.filter((s) => s !== 'custom').join(', ')}), a module (a plug-in file, e.g. "./agents/low-vol.ts") or remote ({ "http": "http://127.0.0.1:9400/propose" } or { "nats": "keel.agents.<id>" })` });
  } else {
    ctx.addIssue({ code: 'custom', path: [a.module !== undefined && a.remote !== undefined ? 'remote' : 'strategy'], message: 'an agent is one of a built-in strategy, a module or a remote agent; keep one (plug-in and remote agents take no strategy)' });
  }
});
export type AgentConfig = z.infer<typeof AgentConfig>;

export const BucketConfig = z.object({
  /** Max share of fund VaR from this bucket's agents together. */
  maxRiskAllocationPct: fraction.default(0.25),
  description: z.string().default(''),
  /** Risk defaults for agents in this bucket (between fund defaults and the agent's own). */
  agentDefaults: AgentRiskOverrides.default({}),
});
export type BucketConfig = z.infer<typeof BucketConfig>;

/**
 * Each strategy type's leverage (issue 15): long-only books may be fully net long; trend runs
 * 1.5× gross long or short; market-neutral and reversal books run 2× gross with little net.
 * Directional equity holds four of the default agents, so its bucket may take three quarters of
 * the fund's target risk.
 */
const DEFAULT_BUCKETS = {
  directional_equity: { maxRiskAllocationPct: 0.75, description: 'long equity beta and style', agentDefaults: { netExposureCap: 1 } },
  income_defensive: { maxRiskAllocationPct: 0.35, description: 'dividend and defensive equity', agentDefaults: { netExposureCap: 1 } },
  systematic_trend: { maxRiskAllocationPct: 0.35, description: 'time-series trend', agentDefaults: { grossExposureCap: 1.5, leverageLimit: 1.5, netExposureCap: 1 } },
  mean_reversion: { maxRiskAllocationPct: 0.35, description: 'short-horizon reversal', agentDefaults: { grossExposureCap: 2, leverageLimit: 2, netExposureCap: 0.2 } },
  market_neutral: { maxRiskAllocationPct: 0.35, description: 'residual and pairs arbitrage', agentDefaults: { grossExposureCap: 2, leverageLimit: 2, netExposureCap: 0.2 } },
  vol_selling: { maxRiskAllocationPct: 0.25, description: 'short volatility premium', agentDefaults: {} },
};

/**
 * Capital allocated across agents by risk (issue 15; seed fund-overlay-plan §5A, mini-quant's
 * capital auction). At each rebalance, from the agents' daily returns per dollar of capital:
 * risk budgets = riskBudgetPct × the agent's shrunk Sharpe against the prior (0–2×), weights by
 * equal risk contribution on those budgets (quant's ERC) or fractional Kelly, scaled so the fund's
 * ex-ante vol meets risk.targetVolPct within the capital there is, moved part way (smoothing) and
 * only when the move is larger than the band.
 */
export const AllocationConfig = z.object({
  method: z.enum(['risk_parity', 'kelly', 'fixed']).default('risk_parity'),
  rebalance: z.enum(['weekly', 'monthly', 'quarterly']).default('monthly'),
  /** Fraction of NAV never allocated (cash for the fund book, fees, hedges). */
  reservePct: fraction.default(0.02),
  /** Bounds on one agent's capital, fractions of NAV. */
  maxAgentPct: fraction.default(0.35),
  minAgentPct: fraction.default(0.02),
  /** Part of the way to the target capital moved at each rebalance (1 = all of it). */
  smoothing: z.number().gt(0).max(1).default(0.5),
  /** An agent's capital moves only when the target differs from it by more than this fraction of it. */
  bandPct: fraction.default(0.1),
  /** The Sharpe ratio an agent is assumed to have before its record says otherwise, and the days of record that weigh as much. */
  priorSharpe: positive.default(0.4),
  priorDays: z.number().int().min(1).default(252),
  /** Days of an agent's returns needed before its risk is estimated; before that it keeps its capital. */
  minHistoryDays: z.number().int().min(20).default(60),
  /** Fraction of the Kelly bet (method kelly). */
  kellyFraction: fraction.default(0.25),
});
export type AllocationConfig = z.infer<typeof AllocationConfig>;

export const FundRisk = z.object({
  varConfidence: z.number().min(0.5).max(0.9999).default(0.95),
  riskModel: z
    .object({
      kind: z.enum(['factor', 'ewma', 'sample']).default('factor'),
      lookbackDays: z.number().int().min(20).default(252),
      ewmaLambda: z.number().gt(0).lt(1).default(0.94),
      statisticalFactors: z.number().int().min(1).max(50).default(10),
      /**
       * How often the overlay re-estimates the model: every trading day, or on the first trading
       * day of each week or month (then reused, with today's prices and books, until the next).
       * Default: daily for 'ewma' (its memory is a few weeks), weekly otherwise.
       */
      refresh: z.enum(['daily', 'weekly', 'monthly']).optional(),
      /**
       * Volatility regime adjustment (src/overlay/vol-regime.ts): when the market's recent variance
       * (exponentially weighted, this half-life in trading days) is above the model's market
       * variance, the factor covariance is scaled up by their ratio (at most 3× in vol), so the
       * model's risk follows a volatility spike within days instead of a year's window. 0 (the
       * default): off; 21 is a month's half-life (docs/overlay.md "Risk model" has what it costs).
       */
      volRegimeHalfLifeDays: z.number().int().min(0).max(252).default(0),
    })
    .default({ kind: 'factor', lookbackDays: 252, ewmaLambda: 0.94, statisticalFactors: 10, volRegimeHalfLifeDays: 0 }),
  /**
   * The fund's risk target: ex-ante annualised volatility of the whole fund (issue 15). Capital is
   * allocated across agents by risk to reach it, the fund is scaled down when its ex-ante risk is
   * above it, and the drawdown ladders and kill switches are read in its units.
   */
  targetVolPct: positive.default(0.1),
  /** Ex-ante fund vol up to target × (1 + this) passes; above it the fund is scaled back to the target. */
  targetVolTolerancePct: fraction.default(0.15),
  /** × fund capital. */
  maxGrossExposure: nonNegative.default(2.0),
  maxNetExposure: nonNegative.default(1.0),
  maxLeverage: nonNegative.default(2.0),
  /** Fractions of fund capital (seed: fund-overlay-plan §3A). */
  maxSingleNamePct: fraction.default(0.05),
  maxSectorPct: fraction.default(0.2),
  maxTop5Pct: fraction.default(0.4),
  /** Position ≤ this fraction of 20-day average daily volume. */
  maxAdvPct: fraction.default(0.1),
  minMarketCap: nonNegative.default(500_000_000),
  maxDaysToLiquidate: positive.default(3),
  stressVolumeHaircut: fraction.default(0.5),
  /** Budget use above this fraction is a WARNING (seed: > 80%). */
  budgetWarningPct: fraction.default(0.8),
  correlationWindowDays: z.number().int().min(10).default(60),
  /**
   * Trading days of a pair's baseline correlation: the correlation monitor acts on a pair whose
   * current (`correlationWindowDays`) correlation is above its own baseline by more than
   * `correlationSpikeDelta`, not on a high level (a long-only book sits at ρ ≈ 0.95 for years).
   * Agents keep 260 days of returns, so a longer baseline reads 260.
   */
  correlationBaselineDays: z.number().int().min(20).default(250),
  /** Rise of a pair's correlation over its baseline (current − baseline) that counts as a spike. */
  correlationSpikeDelta: fraction.default(0.3),
  /** A spiking pair is scaled only when its current correlation is also above this: book × shock / ρ (mini-quant §3 "Correlation Shock 0.70"). */
  correlationShock: fraction.default(0.7),
  /** Agents on the same side of one name that count as crowding (seed §2A crowded names). */
  crowdingAgents: z.number().int().min(2).default(3),
  /** Worst-window stress replays of the market history: window lengths in trading days (seed §4A). */
  stressReplayWindows: z.array(z.number().int().min(1).max(252)).default([5, 20]),
  /** Single-book limits of seeds/mini-quant-fund §3, used by the circuit breaker. */
  /** One-day VaR limit at varConfidence (circuit breaker tier 1; settle pass); unset: 1.5 × the target's VaR (docs/overlay.md "Limits in units of volatility"). */
  varLimitPct: fraction.default(DEFAULT_DERIVED_LIMITS.varLimitPct),
  /** One-day CVaR limit; held above it for killSwitch.cvarBreachCycles cycles trips the kill switch; unset: 2 × the target's CVaR. */
  cvarLimitPct: fraction.default(DEFAULT_DERIVED_LIMITS.cvarLimitPct),
  stressLossLimitPct: fraction.default(0.25),
  maxDrawdownPct: fraction.default(0.18),
});
export type FundRisk = z.infer<typeof FundRisk>;

export const DrawdownConfig = z.object({
  /** Agent steps in units of the agent's own volatility (issue 15): 1.5σ halve, 2σ quarter, 2.5σ flat, 3σ pause. */
  agentSteps: z.array(DrawdownStep).min(1).default([
    { volMultiple: 1.5, state: 'reduced_50' },
    { volMultiple: 2, state: 'reduced_75' },
    { volMultiple: 2.5, state: 'flat' },
    { volMultiple: 3, state: 'paused' },
  ]),
  /** Fund steps in units of risk.targetVolPct: 1σ every agent halves, 1.4σ flatten. */
  fundSteps: z.array(DrawdownStep).min(1).default([
    { volMultiple: 1, state: 'reduced_50' },
    { volMultiple: 1.4, state: 'flat' },
  ]),
  /** Trading days of an agent's returns its volatility is measured over (the days it traded: non-zero P&L). */
  volWindowDays: z.number().int().min(20).max(260).default(126),
  /** Days of returns needed to measure it; before that the agent's risk-budget volatility stands in. */
  volMinDays: z.number().int().min(10).default(63),
  /** Floor on the volatility an agent's steps are in units of (annualised), so a near-idle book is not tripped by noise. */
  minVolPct: fraction.default(0.02),
  /**
   * How a reduced agent (or fund) comes back. 'rebase': after `cooldownDays` at a reduce step
   * without going deeper, its drawdown is measured from the level at which it entered the step (the
   * high-water mark moves down to it), so it need not earn back its whole loss at reduced size.
   * 'earn_back': it stays reduced until its drawdown from the old high-water mark is back under the step.
   */
  recovery: z.enum(['rebase', 'earn_back']).default('rebase'),
  cooldownDays: z.number().int().min(0).default(5),
  /** Exposure multipliers after a freeze, one step per `recoveryStepDays` (seed: 20% → 100%). */
  recoveryRamp: z.array(fraction).min(1).default([0.2, 0.4, 0.6, 0.8, 1.0]),
  recoveryStepDays: z.number().int().min(1).default(2),
});
export type DrawdownConfig = z.infer<typeof DrawdownConfig>;

export const KillSwitchConfig = z.object({
  /** The held books' one-day VaR99 above this trips the kill switch; unset: 2 × the target's VaR99. */
  fundVar99Pct: fraction.default(DEFAULT_DERIVED_LIMITS.fundVar99Pct),
  vixLevel: positive.default(40),
  /** Hard stop on the fund's drawdown: at or beyond the last fund drawdown step (1.4 × the 10% target by default). */
  fundDrawdownPct: fraction.default(DEFAULT_DERIVED_LIMITS.fundDrawdownPct),
  /**
   * correlation_spike fires when the average agent correlation is above this, has risen by more
   * than risk.correlationSpikeDelta over its baseline, and the fund lost more than
   * risk.targetVolPct × √(20/252) over the last 20 days (a crisis, not a quiet clustered market).
   */
  avgAgentCorrelation: fraction.default(0.8),
  /** Today's volume / 20-day ADV, averaged over holdings, below which liquidity is frozen. */
  liquidityVolumeRatio: fraction.default(0.3),
  cvarBreachCycles: z.number().int().min(1).default(3),
  /** Days of recovery cooldown after a kill switch (seed: 10). */
  cooldownDays: z.number().int().min(0).default(10),
});
export type KillSwitchConfig = z.infer<typeof KillSwitchConfig>;

export const RegimeConfig = z.object({
  multipliers: z.record(Regime, fraction).default({ BULL_QUIET: 1, BULL_VOLATILE: 0.7, BEAR_QUIET: 0.5, BEAR_CRISIS: 0 }),
  /** Annualised volatility target of the circuit breaker's tier 2. */
  volTarget: positive.default(0.15),
  /** Days of market trend that decide bull or bear when the regime is derived from the market series (a quarter). */
  trendDays: z.number().int().min(5).default(63),
  /** Trading days in a row a new label must hold before the regime changes to it (BEAR_CRISIS: at once). */
  confirmDays: z.number().int().min(1).default(3),
  /** Trading days a regime lasts at least before another replaces it (BEAR_CRISIS: at once). */
  minDwellDays: z.number().int().min(0).default(10),
  /** Hysteresis on the volatility threshold: volatile above thr × (1 + this), quiet again below thr × (1 − this). */
  volHysteresisPct: z.number().min(0).lt(1).default(0.15),
  tier2VarMultiple: positive.default(1.5),
  tier2VolMultiple: positive.default(2),
  defensiveSizing: fraction.default(0.25),
  /** Tightening applied to every cap in the emergency (black swan) state. */
  emergencyTightening: fraction.default(0.5),
});
export type RegimeConfig = z.infer<typeof RegimeConfig>;

export const OmsConfig = z.object({
  maxOrderValue: positive.default(1_000_000),
  maxPositionConcentration: fraction.default(0.1),
  maxOpenOrdersPerSymbol: z.number().int().min(1).default(5),
  maxOrdersPerMinute: z.number().int().min(1).default(6000),
  minNotional: nonNegative.default(100),
  /** Max one-cycle turnover as a fraction of the agent's capital (sum of |Δweight| / 2). */
  maxTurnoverPct: fraction.default(1),
  /**
   * No-trade band, a fraction of the agent's capital: a held name whose target differs from the
   * current weight by less than this (same side, not closing) is not traded this cycle.
   */
  rebalanceBandPct: fraction.default(0.0025),
});
export type OmsConfig = z.infer<typeof OmsConfig>;

/** Alpaca (execution.broker "alpaca"): which endpoint; keys come from APCA_API_KEY_ID / APCA_API_SECRET_KEY. */
export const AlpacaExecutionConfig = z.object({
  /** paper: https://paper-api.alpaca.markets; live (real money, `--mode live` only): https://api.alpaca.markets. APCA_API_BASE_URL overrides. */
  endpoint: z.enum(['paper', 'live']).default('paper'),
});
export type AlpacaExecutionConfig = z.infer<typeof AlpacaExecutionConfig>;

export const ExecutionConfig = z.object({
  broker: z.enum(['paper', 'alpaca']).default('paper'),
  alpaca: AlpacaExecutionConfig.default({ endpoint: 'paper' }),
  /**
   * When fund.totalCapital is larger than the broker account's equity: refuse to trade, or scale
   * the fund's capital and every agent's allocation down to the account (recorded, alerted).
   */
  accountMismatch: z.enum(['refuse', 'scale']).default('refuse'),
  slippageBps: nonNegative.default(2),
  /** k in σ_daily · k · √(qty / ADV). */
  impactK: nonNegative.default(0.1),
  participationCap: fraction.default(0.1),
  commissionPerShare: nonNegative.default(0.005),
  commissionMin: nonNegative.default(1),
});
export type ExecutionConfig = z.infer<typeof ExecutionConfig>;

/** A remote source of market data; keys come from the environment (docs/market-data.md). */
export const DataProvider = z.enum(['alpaca', 'polygon', 'fred']);
export type DataProvider = z.infer<typeof DataProvider>;
/** A FRED series id (e.g. DGS10, T10Y2Y, UNRATE). */
const fredSeriesId = z.string().regex(/^[A-Z0-9_]{1,40}$/, 'a FRED series id: upper-case letters, digits and _ (e.g. T10Y2Y)');
/** A stored symbol under another provider's name; null: that provider does not have it. */
const ProviderSymbols = z.object({ alpaca: symbol.nullable().optional(), polygon: z.string().min(1).max(40).nullable().optional(), fred: fredSeriesId.nullable().optional() }).strict();

export const DataConfig = z.object({
  /** Rows of history for ACTIVE (seed: 1260); lower it to trade the 5-year real data set. */
  minHistoryRows: z.number().int().min(1).default(1260),
  degradedMinRows: z.number().int().min(0).default(1000),
  minQuality: fraction.default(0.6),
  /**
   * Where new data comes from, in the order tried: bars from alpaca and polygon (and fred for the
   * index and volatility index, see `symbolMap`), macro series from fred. A provider without its
   * keys in the environment is skipped. Used by the daemon, `keel run --once` and `keel market fetch`.
   */
  providers: z
    .array(DataProvider)
    .default(['alpaca', 'polygon', 'fred'])
    .refine((l) => new Set(l).size === l.length, { message: 'lists a provider twice' }),
  /**
   * Alpaca's feed: `iex` (the free plan; IEX volumes are a few percent of the consolidated tape, so
   * ADV-based liquidity caps bind much sooner) or `sip` (all US exchanges; a paid subscription).
   */
  alpacaFeed: z.enum(['iex', 'sip']).default('iex'),
  /** FRED series fetched with the bars (the macro analyst reads T10Y2Y, BAA10Y and UNRATE). */
  macroSeries: z.array(fredSeriesId).default(['T10Y2Y', 'BAA10Y', 'UNRATE']),
  /**
   * Days from a FRED observation's date to its publication, per series, added to the built-in
   * table (monthly series such as UNRATE ≈ 40); 1 for a series in neither (a daily series).
   */
  macroReleaseLagDays: z.record(fredSeriesId, z.number().int().min(0).max(400)).default({}),
  /**
   * Stored symbols that providers name differently: the index and volatility index are `I:SPX` /
   * `I:VIX` at Polygon, the close-only series SP500 / VIXCLS at FRED, and not at Alpaca.
   */
  symbolMap: z.record(symbol, ProviderSymbols).default({
    SPX: { alpaca: null, polygon: 'I:SPX', fred: 'SP500' },
    VIX: { alpaca: null, polygon: 'I:VIX', fred: 'VIXCLS' },
  }),
});
export type DataConfig = z.infer<typeof DataConfig>;
/** The symbol-governance thresholds of `DataConfig` (ACTIVE / DEGRADED / QUARANTINED). */
export type GovernanceThresholds = Pick<DataConfig, 'minHistoryRows' | 'degradedMinRows' | 'minQuality'>;

export const MetaBrainConfig = z.object({
  beta: nonNegative.default(0.5),
  gamma: fraction.default(0.3),
  minConfidence: fraction.default(0.3),
  maxPositionPct: fraction.default(0.1),
  cvarLimit: fraction.default(0.05),
  riskFreeRate: z.number().min(-0.1).max(1).default(0.02),
});
export type MetaBrainConfig = z.infer<typeof MetaBrainConfig>;

export const HedgingConfig = z.object({
  enabled: z.boolean().default(false),
  instrument: z.string().default('SPX'),
  /** Hedge when |aggregate beta| × gross exceeds this fraction of fund capital. */
  betaThreshold: nonNegative.default(0.3),
  targetBeta: finite0().default(0),
  /** Sector → hedge instrument (e.g. { Technology: 'XLK' }); a sector absent gets a recommendation that cannot be executed (seed §2B). */
  sectorHedges: z.record(z.string().min(1), z.string().min(1)).default({}),
});
function finite0() {
  return z.number().refine(Number.isFinite, { message: 'must be a finite number' });
}
export type HedgingConfig = z.infer<typeof HedgingConfig>;

/**
 * The ledger book of the fund's hedges: when `hedging.enabled`, the hedger's positions are its
 * targets, planned and sent with the agents' orders. It is not an agent (no allocation, drawdown
 * ladder or proposal): an outside book whose positions count in every fund-level aggregate.
 * Underscored like the fund's own book (`_fund`) so that no agent id can take it.
 */
export const HEDGE_BOOK = '_hedge';

/** The PMS's human-approval workflow. */
export const PmsConfig = z.object({
  /** Hours an advisory cycle's proposals wait for a decision before they expire. */
  proposalTtlHours: positive.default(24),
  /** Hours a discretionary ticket waits for approval before it expires. */
  ticketTtlHours: positive.default(8),
});
export type PmsConfig = z.infer<typeof PmsConfig>;

const FundConfigShape = z
  .object({
    version: z.literal(1).default(1),
    fund: z.object({
      id: fundIdentifier.default('main'),
      name: z.string().default('Keel Fund'),
      totalCapital: positiveDollars.default(100_000_000),
      currency: z.string().length(3).default('USD'),
      mode: z.enum(['autonomous', 'advisory']).default('autonomous'),
    }),
    defaults: AgentRiskParams.default(AgentRiskParams.parse({})),
    risk: FundRisk.default(FundRisk.parse({})),
    allocation: AllocationConfig.default(AllocationConfig.parse({})),
    buckets: z.record(z.string(), BucketConfig).default(DEFAULT_BUCKETS),
    drawdown: DrawdownConfig.default(DrawdownConfig.parse({})),
    killSwitch: KillSwitchConfig.default(KillSwitchConfig.parse({})),
    regime: RegimeConfig.default(RegimeConfig.parse({})),
    hedging: HedgingConfig.default(HedgingConfig.parse({})),
    oms: OmsConfig.default(OmsConfig.parse({})),
    execution: ExecutionConfig.default(ExecutionConfig.parse({})),
    data: DataConfig.default(DataConfig.parse({})),
    metaBrain: MetaBrainConfig.default(MetaBrainConfig.parse({})),
    pms: PmsConfig.default(PmsConfig.parse({})),
    alerts: z
      .object({ dedupWindowSec: z.number().int().min(0).default(600) })
      .default({ dedupWindowSec: 600 }),
    agents: z.array(AgentConfig).default([]),
  })
  .superRefine((cfg, ctx) => {
    for (const c of findConflicts(cfg)) {
      ctx.addIssue({ code: 'custom', path: c.pathA, message: `conflicts with ${formatPath(c.pathB)}: ${c.message}` });
    }
  });
/**
 * The fund's configuration. Loss limits left unset are derived from `risk.targetVolPct` before
 * validation (risk-coherence.ts), so the parsed config holds the numbers the overlay uses.
 */
export const FundConfig = z.preprocess(withTargetDerivedLimits, FundConfigShape);
export type FundConfig = z.infer<typeof FundConfigShape>;
export type FundConfigInput = z.input<typeof FundConfigShape>;

interface Conflict {
  pathA: (string | number)[];
  pathB: (string | number)[];
  message: string;
}

type ParsedShape = Omit<FundConfig, never>;

/** Settings that contradict each other, each naming both fields. */
function findConflicts(cfg: ParsedShape): Conflict[] {
  const out: Conflict[] = [];
  const seen = new Map<string, number>();
  let allocated = 0;
  cfg.agents.forEach((a, i) => {
    const prev = seen.get(a.id);
    if (prev !== undefined) {
      out.push({ pathA: ['agents', i, 'id'], pathB: ['agents', prev, 'id'], message: `duplicate agent id '${a.id}'` });
    }
    seen.set(a.id, i);
    allocated += a.allocatedCapital;
    const bucket = a.bucket ?? STRATEGY_BUCKET_MAP[a.strategy];
    const b = bucketNamed(cfg, bucket);
    if (!b) {
      out.push({
        pathA: ['agents', i, 'bucket'],
        pathB: ['buckets'],
        message: `bucket '${bucket}' is not defined; add it under buckets or choose one of ${Object.keys(cfg.buckets).join(', ')}`,
      });
      return;
    }
    const r = mergeRisk(cfg.defaults, b.agentDefaults, a.risk);
    const agentPath = (k: string) => (a.risk[k as keyof typeof a.risk] !== undefined ? ['agents', i, 'risk', k] : ['defaults', k]);
    if (r.leverageLimit > cfg.risk.maxLeverage) {
      out.push({
        pathA: agentPath('leverageLimit'),
        pathB: ['risk', 'maxLeverage'],
        message: `agent leverage ${r.leverageLimit} is above the fund cap ${cfg.risk.maxLeverage}; lower the agent's or raise the fund's`,
      });
    }
    if (r.grossExposureCap > cfg.risk.maxGrossExposure) {
      out.push({
        pathA: agentPath('grossExposureCap'),
        pathB: ['risk', 'maxGrossExposure'],
        message: `agent gross cap ${r.grossExposureCap} is above the fund cap ${cfg.risk.maxGrossExposure}`,
      });
    }
    // an agent's risk budget above its bucket's cap is coherent: the budget bounds the agent's own
    // VaR, the bucket its agents' Euler components, and a diversifying book's own VaR is above its component
    if (r.maxDailyDrawdownPct > r.maxMonthlyDrawdownPct) {
      out.push({
        pathA: agentPath('maxDailyDrawdownPct'),
        pathB: agentPath('maxMonthlyDrawdownPct'),
        message: `daily drawdown limit ${r.maxDailyDrawdownPct} is above the monthly one ${r.maxMonthlyDrawdownPct}`,
      });
    }
    if (r.atrTargetMultiple <= r.atrStopMultiple) {
      out.push({
        pathA: agentPath('atrTargetMultiple'),
        pathB: agentPath('atrStopMultiple'),
        message: 'the take-profit multiple must be above the stop multiple',
      });
    }
  });
  if (allocated > cfg.fund.totalCapital + 1e-6) {
    out.push({
      pathA: ['agents'],
      pathB: ['fund', 'totalCapital'],
      message: `allocations add up to ${allocated} but total capital is ${cfg.fund.totalCapital}; capital isolation forbids over-allocation`,
    });
  }
  for (const key of ['agentSteps', 'fundSteps'] as const) {
    const steps = cfg.drawdown[key];
    for (let i = 1; i < steps.length; i++) {
      const prev = steps[i - 1];
      const cur = steps[i];
      if (!prev || !cur) continue;
      // thresholds of the same kind compare; a vol step and a fixed one depend on the volatility of the day
      const field = cur.volMultiple !== undefined ? 'volMultiple' : 'drawdownPct';
      const a = prev[field];
      const b = cur[field];
      if (a !== undefined && b !== undefined && !(b > a)) {
        out.push({
          pathA: ['drawdown', key, i, field],
          pathB: ['drawdown', key, i - 1, field],
          message: `drawdown steps must increase (${a} then ${b})`,
        });
      }
      if (!(AGENT_STATE_SEVERITY[cur.state] > AGENT_STATE_SEVERITY[prev.state])) {
        out.push({
          pathA: ['drawdown', key, i, 'state'],
          pathB: ['drawdown', key, i - 1, 'state'],
          message: `a deeper drawdown must lead to a more severe state (${prev.state} then ${cur.state})`,
        });
      }
    }
  }
  const lastIndex = cfg.drawdown.fundSteps.length - 1;
  const lastFund = cfg.drawdown.fundSteps[lastIndex];
  if (lastFund && drawdownThreshold(lastFund, cfg.risk.targetVolPct) > cfg.killSwitch.fundDrawdownPct + 1e-12) {
    const byVol = lastFund.volMultiple !== undefined;
    out.push({
      pathA: ['drawdown', 'fundSteps', lastIndex, byVol ? 'volMultiple' : 'drawdownPct'],
      pathB: ['killSwitch', 'fundDrawdownPct'],
      message: `the last fund drawdown step (${byVol ? `${lastFund.volMultiple} × risk.targetVolPct ${cfg.risk.targetVolPct} = ` : ''}${drawdownThreshold(lastFund, cfg.risk.targetVolPct)}) must come at or before the fund drawdown kill switch (${cfg.killSwitch.fundDrawdownPct})`,
    });
  }
  const spread = impliedVolSpread(cfg);
  if (spread) {
    const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
    out.push({
      pathA: spread.loose.path,
      pathB: spread.tight.path,
      message: `the fund's loss limits imply volatilities more than 2× apart: ${formatPath(spread.loose.path)} binds at ${pct(spread.loose.vol)} a year, ${formatPath(spread.tight.path)} at ${pct(spread.tight.vol)}; set them for one risk level, or leave them unset to derive them from risk.targetVolPct (docs/overlay.md "Limits in units of volatility")`,
    });
  }
  const ramp = cfg.drawdown.recoveryRamp;
  for (let i = 1; i < ramp.length; i++) {
    if ((ramp[i] ?? 0) < (ramp[i - 1] ?? 0)) {
      out.push({
        pathA: ['drawdown', 'recoveryRamp', i],
        pathB: ['drawdown', 'recoveryRamp', i - 1],
        message: 'the recovery ramp must not decrease',
      });
    }
  }
  if (ramp[ramp.length - 1] !== 1) {
    out.push({
      pathA: ['drawdown', 'recoveryRamp', ramp.length - 1],
      pathB: ['drawdown', 'recoveryRamp', 0],
      message: 'the recovery ramp must end at 1 (full size)',
    });
  }
  if (cfg.data.degradedMinRows > cfg.data.minHistoryRows) {
    out.push({
      pathA: ['data', 'degradedMinRows'],
      pathB: ['data', 'minHistoryRows'],
      message: 'the DEGRADED floor must not exceed the ACTIVE history requirement',
    });
  }
  if (cfg.risk.correlationBaselineDays <= cfg.risk.correlationWindowDays) {
    out.push({
      pathA: ['risk', 'correlationBaselineDays'],
      pathB: ['risk', 'correlationWindowDays'],
      message: 'the correlation baseline must be longer than the current window it is compared with',
    });
  }
  if (cfg.risk.maxNetExposure > cfg.risk.maxGrossExposure) {
    out.push({
      pathA: ['risk', 'maxNetExposure'],
      pathB: ['risk', 'maxGrossExposure'],
      message: 'net exposure cap cannot exceed the gross exposure cap',
    });
  }
  return out;
}

function mergeRisk(base: AgentRiskParams, ...layers: AgentRiskOverrides[]): AgentRiskParams {
  const out: Record<string, unknown> = { ...base };
  for (const layer of layers) {
    for (const [k, v] of Object.entries(layer)) if (v !== undefined) out[k] = v;
  }
  return out as AgentRiskParams;
}

/** `agents[2].risk.leverageLimit` from a zod path. */
export function formatPath(path: readonly PropertyKey[]): string {
  let s = '';
  for (const p of path) {
    if (typeof p === 'number') s += `[${p}]`;
    else s += s === '' ? String(p) : `.${String(p)}`;
  }
  return s === '' ? '(root)' : s;
}

/**
 * Parses and validates a fund config. Throws ConfigConflictError naming both fields when two
 * settings contradict each other, ValidationError naming the field otherwise.
 */
export function parseFundConfig(input: unknown): FundConfig {
  const r = FundConfig.safeParse(input);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  if (!issue) throw new ValidationError('(root)', 'invalid fund config');
  const field = formatPath(issue.path);
  const m = /^conflicts with (\S+): (.*)$/s.exec(issue.message);
  if (m?.[1] && m[2]) throw new ConfigConflictError(field, m[1], m[2]);
  const more = r.error.issues.length > 1 ? ` (and ${r.error.issues.length - 1} more issue(s))` : '';
  throw new ValidationError(field, `${issue.message}${more}`);
}

/** SHA-256 of the canonical JSON of a validated config: the "golden config" identity. */
export function configHash(cfg: FundConfig): string {
  return hashOf(cfg);
}

/** The agent's effective risk: fund defaults ← bucket defaults ← the agent's own overrides. */
export function resolveAgentRisk(cfg: FundConfig, agent: AgentConfig): AgentRiskParams {
  const bucket = bucketNamed(cfg, agentBucket(agent));
  return mergeRisk(cfg.defaults, bucket?.agentDefaults ?? {}, agent.risk);
}

/** The bucket of that name, if the config defines one (a name like `constructor` or `__proto__` is not an inherited property). */
export function bucketNamed(cfg: Pick<FundConfig, 'buckets'>, name: string): FundConfig['buckets'][string] | undefined {
  return Object.hasOwn(cfg.buckets, name) ? cfg.buckets[name] : undefined;
}

export function agentBucket(agent: AgentConfig): string {
  return agent.bucket ?? STRATEGY_BUCKET_MAP[agent.strategy];
}

export function agentRiskDrivers(agent: AgentConfig): readonly RiskDriver[] {
  return agent.riskDrivers ?? STRATEGY_RISK_DRIVERS[agent.strategy];
}
