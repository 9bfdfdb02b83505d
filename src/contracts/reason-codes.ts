/**
 * The overlay's reason codes (`Reason.code` of an `OverlayDecision`): one catalogue, so a code
 * means one thing wherever it appears. Each code says what it means, which rules emit it (the
 * check names of `Reason.rule`; `committee` for the limits the committee applies to the final
 * book) and its kind:
 *
 * - `policy`: a multiplier on the whole book (policies compound);
 * - `fit`: the largest scale of the book that fits a limit;
 * - `cap`: a cap on |weight| of one or more names;
 * - `remove`: names taken out of the proposal;
 * - `block`: the proposal is rejected and the current book stands (under every cap);
 * - `info`: reported, changes nothing.
 *
 * docs/overlay.md "Reason codes" is generated from this table (a test fails when they drift), and a
 * test fails when a rule emits a code that is not here, or under a rule not listed for it.
 */
export type ReasonKind = 'policy' | 'fit' | 'cap' | 'remove' | 'block' | 'info';

export interface ReasonCodeInfo {
  readonly kind: ReasonKind;
  readonly rules: readonly string[];
  readonly meaning: string;
}

export const REASON_CODES = {
  // trading state
  FUND_HALTED: { kind: 'block', rules: ['trading_state'], meaning: 'the fund is HALTED: the proposal is rejected and the held book stands under the other rules (a market kill switch: the trip day\'s reduction plan, then only cuts of held positions trade; a manual or store halt: nothing)' },
  FUND_REDUCING: { kind: 'cap', rules: ['trading_state'], meaning: 'the fund is REDUCING: each name may only shrink toward zero on its side' },
  REGIME_RISK_REDUCING: { kind: 'info', rules: ['trading_state', 'regime', 'circuit_breaker'], meaning: "the proposal lowers the fund's risk (VaR down, |net| not up): no trading state, regime or circuit breaker holds it back" },
  // graduated drawdown
  AGENT_DRAWDOWN_STEP: { kind: 'policy', rules: ['graduated_drawdown'], meaning: "the agent's drawdown from its high-water mark reached a reduce step, in units of its own volatility or a fixed one (book × 0.5 or × 0.25)" },
  AGENT_FLAT: { kind: 'policy', rules: ['graduated_drawdown'], meaning: "the agent's drawdown reached the flat step (book × 0)" },
  AGENT_PAUSED: { kind: 'policy', rules: ['graduated_drawdown'], meaning: 'the agent is paused (book × 0) until a recorded re-arm' },
  RECOVERY_RAMP: { kind: 'policy', rules: ['graduated_drawdown'], meaning: 'the agent is recovering after a freeze: book × the ramp step' },
  FUND_DRAWDOWN_STEP: { kind: 'policy', rules: ['graduated_drawdown'], meaning: "the fund's drawdown reached a reduce step: every book × the step's multiplier" },
  FUND_FLATTEN: { kind: 'policy', rules: ['graduated_drawdown'], meaning: "the fund's drawdown reached the flatten step: every book × 0" },
  FUND_RECOVERY_RAMP: { kind: 'policy', rules: ['graduated_drawdown'], meaning: 'the fund is recovering after a freeze: every book × the ramp step' },
  // regime and circuit breaker
  REGIME_MULTIPLIER: { kind: 'policy', rules: ['regime'], meaning: "the regime's multiplier is below 1: book × multiplier" },
  REGIME_BLOCK: { kind: 'cap', rules: ['regime'], meaning: "the regime's multiplier is 0: no new risk, each name may only shrink" },
  FUND_RISK_TARGET: { kind: 'fit', rules: ['fund_risk_target'], meaning: 'the pro-forma fund runs above its risk target (risk.targetVolPct × (1 + tolerance)) ex ante: books × target / ex-ante vol' },
  CIRCUIT_BREAKER_TIER1: { kind: 'policy', rules: ['circuit_breaker'], meaning: 'pro-forma fund VaR over its limit: books × limit / VaR' },
  CIRCUIT_BREAKER_TIER2: { kind: 'policy', rules: ['circuit_breaker'], meaning: 'pro-forma VaR over 1.5× its limit or volatility over 2× target: books × defensive sizing' },
  CIRCUIT_BREAKER_TIER3: { kind: 'policy', rules: ['circuit_breaker'], meaning: 'fund drawdown over its limit in high volatility: books × 0 (a kill switch)' },
  // emergency
  EMERGENCY_DERISK: { kind: 'policy', rules: ['emergency'], meaning: 'emergency state: caps tightened and books forced down by the emergency tightening' },
  // correlation monitor
  AGENT_CORRELATION: { kind: 'policy', rules: ['correlation_monitor'], meaning: "the agent's P&L correlation with another agent rose above its baseline by more than the spike delta and is above the shock level: book × shock / ρ" },
  CROWDED_NAME: { kind: 'info', rules: ['correlation_monitor'], meaning: 'adding to a name that several agents hold on the same side' },
  // risk budget and the agent's own caps
  NO_CAPITAL: { kind: 'block', rules: ['risk_budget'], meaning: 'the agent has no allocated capital' },
  DAILY_LOSS_LIMIT: { kind: 'cap', rules: ['risk_budget'], meaning: "the agent's daily loss reached its limit: reduce only" },
  MONTHLY_LOSS_LIMIT: { kind: 'cap', rules: ['risk_budget'], meaning: "the agent's month-to-date loss reached its limit: reduce only" },
  POSITION_CAP: { kind: 'cap', rules: ['risk_budget'], meaning: "a position above the agent's per-name cap" },
  AGENT_SECTOR_CAP: { kind: 'cap', rules: ['risk_budget'], meaning: "a sector's gross within the agent's book above the agent's sector cap" },
  GROSS_CAP: { kind: 'fit', rules: ['risk_budget', 'committee'], meaning: "the agent's gross exposure above its cap (the committee re-checks it after caps)" },
  LEVERAGE_CAP: { kind: 'fit', rules: ['risk_budget'], meaning: "the agent's gross exposure above its leverage limit (tighter than its gross cap)" },
  NET_CAP: { kind: 'fit', rules: ['risk_budget', 'committee'], meaning: "the agent's |net| exposure above its cap (the committee re-checks it after caps)" },
  VAR_BUDGET_BREACH: { kind: 'fit', rules: ['risk_budget'], meaning: "the VaR of the agent's own book above its budget: the book scaled to fit" },
  VAR_BUDGET_WARNING: { kind: 'info', rules: ['risk_budget'], meaning: "the VaR of the agent's own book above the warning share of its budget" },
  VAR_BUDGET_AFTER_CAPS: { kind: 'fit', rules: ['risk_budget'], meaning: "the book after caps and removals is above the agent's VaR budget: re-fitted" },
  VAR_BUDGET_SETTLE: { kind: 'fit', rules: ['risk_budget'], meaning: "the VaR of the agent's final book is above its budget: scaled in the settle pass" },
  RISK_NOT_FINITE: { kind: 'cap', rules: ['risk_budget'], meaning: "the proposal's VaR is not a finite number: reduce only" },
  // strategy buckets
  BUCKET_UNKNOWN: { kind: 'block', rules: ['strategy_buckets'], meaning: "the agent's bucket is not configured" },
  BUCKET_CAP: { kind: 'fit', rules: ['strategy_buckets'], meaning: "the bucket's component VaR above its cap: the book scaled to fit" },
  BUCKET_FULL: { kind: 'fit', rules: ['strategy_buckets'], meaning: 'the bucket has no room left: the book scaled to 0' },
  BUCKET_WARNING: { kind: 'info', rules: ['strategy_buckets'], meaning: "the bucket's component VaR above the warning share of its cap" },
  BUCKET_AFTER_CAPS: { kind: 'fit', rules: ['strategy_buckets'], meaning: "the book after caps and removals puts the bucket above its cap: re-fitted" },
  BUCKET_SETTLE: { kind: 'fit', rules: ['strategy_buckets'], meaning: "the bucket is above its cap in the final fund: its reviewed books scaled together in the settle pass" },
  // cross-agent constraints
  UNKNOWN_SYMBOL: { kind: 'remove', rules: ['cross_agent_constraints'], meaning: 'the market does not list the name: removed' },
  PRICE_MISSING: { kind: 'remove', rules: ['cross_agent_constraints'], meaning: 'the name has no price as of the view: removed' },
  MIN_MARKET_CAP: { kind: 'cap', rules: ['cross_agent_constraints'], meaning: 'market cap below the minimum: no new exposure' },
  ADV_UNKNOWN: { kind: 'cap', rules: ['cross_agent_constraints'], meaning: 'no average daily volume: no new exposure' },
  SINGLE_NAME_CAP: { kind: 'cap', rules: ['cross_agent_constraints'], meaning: "the fund's position in a name (one side, every book) above its share of the fund" },
  ADV_CAP: { kind: 'cap', rules: ['cross_agent_constraints'], meaning: "the fund's position in a name (one side) above its share of ADV × price" },
  SECTOR_CAP: { kind: 'cap', rules: ['cross_agent_constraints'], meaning: "the fund's exposure to a sector (one side, every book) above its share of the fund" },
  // liquidity
  DAYS_TO_LIQUIDATE: { kind: 'cap', rules: ['liquidity'], meaning: "the fund's position takes longer to exit than the limit at the participation cap" },
  STRESSED_DAYS_TO_LIQUIDATE: { kind: 'info', rules: ['liquidity'], meaning: 'the exit takes longer than the limit at stressed volume' },
  // the committee: limits on the final book, and the settle pass
  FUND_GROSS_CAP: { kind: 'fit', rules: ['committee'], meaning: 'the fund gross exposure (Σ agent gross) above its cap' },
  FUND_NET_CAP: { kind: 'fit', rules: ['committee'], meaning: 'the fund net exposure (Σ |agent net|) above its cap' },
  TOP5_CAP: { kind: 'fit', rules: ['committee'], meaning: "the top-5 names (each its larger side) above their share of the fund" },
  FUND_VAR_LIMIT: { kind: 'fit', rules: ['committee'], meaning: 'the final fund VaR above its limit: every reviewed book scaled in the settle pass' },
  RISK_SETTLE: { kind: 'fit', rules: ['committee'], meaning: 'budgets, buckets and the fund VaR limit pulled against each other: every reviewed book scaled by one factor' },
  MALFORMED_PROPOSAL: { kind: 'block', rules: ['committee'], meaning: 'the proposal has a weight that is not a finite number, or a name twice' },
} as const satisfies Readonly<Record<string, ReasonCodeInfo>>;

export type ReasonCode = keyof typeof REASON_CODES;

/** The catalogue entry of a code, or undefined for a code that is not in it (a plug-in check's own). */
export function reasonCodeInfo(code: string): ReasonCodeInfo | undefined {
  return Object.hasOwn(REASON_CODES, code) ? (REASON_CODES as Readonly<Record<string, ReasonCodeInfo>>)[code] : undefined;
}

/** The catalogue as a Markdown table (docs/overlay.md "Reason codes" is this text). */
export function reasonCodesMarkdown(): string {
  const rows = Object.entries(REASON_CODES).map(([code, c]) => `| \`${code}\` | ${c.kind} | ${c.rules.map((r) => `\`${r}\``).join(', ')} | ${c.meaning} |`);
  return ['| Code | Kind | Rules | Meaning |', '|---|---|---|---|', ...rows].join('\n');
}
