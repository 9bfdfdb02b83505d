import type { AgentConfig, AgentProposal, AgentRiskParams, CheckResult, FundConfig, Reason, ReasonCode, Regime, TradingState } from '../contracts/index.ts';
import type { MarketView } from '../market/index.ts';
import type { CandidateRisk } from './budget-math.ts';
import type { DrawdownOutcome } from './drawdown.ts';
import type { RiskModel } from './factor-model-local.ts';
import type { FundLedger } from './ledger.ts';
import type { RiskScratch, SparseBook } from './risk-math.ts';
import type { AgentBookState, FundState } from './types.ts';
import { own, table } from './table.ts';
import type { Universe } from './universe.ts';
import type { Workspace } from './work.ts';
import type { RiskChange } from './risk-reducing.ts';

/** One agent under review: its proposal and current book aligned on the same names (weights = fractions of allocated capital). */
export interface AgentCandidate {
  readonly agentId: string;
  readonly config: AgentConfig | null;
  readonly risk: AgentRiskParams;
  readonly bucket: string;
  /** Allocated capital, dollars. */
  readonly capital: number;
  readonly state: AgentBookState | null;
  readonly names: readonly string[];
  /** Universe (= risk model) index per name. */
  readonly idx: Int32Array;
  readonly proposedW: Float64Array;
  readonly currentW: Float64Array;
  /** The proposal in dollars (sparse over `idx`). */
  readonly proposedBook: SparseBook;
  /** True when the proposal had a non-finite weight or a duplicate name. */
  readonly malformed: string | null;
}

/** One agent's correlation facts (see `FundContext.agentCorrelation`). */
export interface AgentCorrelationFacts {
  readonly maxPair: number;
  readonly with: string | null;
  readonly average: number;
  readonly spike: { readonly with: string; readonly current: number; readonly baseline: number } | null;
}

/** Fund-level facts computed once per review, before the agents. */
export interface FundContext {
  readonly tradingState: TradingState;
  /** Multiplier on every cap: 1, or 1 − emergencyTightening in an emergency. */
  readonly limitFactor: number;
  readonly fundDrawdown: DrawdownOutcome;
  readonly fundDrawdownPct: number;
  readonly agentDrawdown: ReadonlyMap<string, { outcome: DrawdownOutcome; dd: number }>;
  readonly regime: Regime;
  readonly regimeMultiplier: number;
  readonly circuitBreakerTier: 0 | 1 | 2 | 3;
  readonly circuitBreakerScale: number;
  /** Pro-forma fund VaR95 (all proposals) as a fraction of capital, and annualised fund volatility. */
  readonly proFormaVarPct: number;
  readonly proFormaVolAnnual: number;
  /**
   * Fund VaR budget in dollars at `risk.varConfidence`: the VaR of the fund at its risk target,
   * z × risk.targetVolPct / √252 × capital. Agents' budgets and bucket caps are shares of it.
   */
  readonly varBudget: number;
  /** The scale that brings the pro-forma fund back to its risk target (1: within target × (1 + tolerance)). */
  readonly riskTargetScale: number;
  readonly z: number;
  /**
   * Per agent: its largest current pair correlation (and with whom), its mean, and its worst spike:
   * the pair whose current correlation is above its baseline by more than risk.correlationSpikeDelta
   * and above risk.correlationShock (null when none).
   */
  readonly agentCorrelation: ReadonlyMap<string, AgentCorrelationFacts>;
  /** Per universe index: number of agents (proposals or held books) on the long and short side. */
  readonly holdersLong: Int32Array;
  readonly holdersShort: Int32Array;
  readonly bucketOf: ReadonlyMap<string, string>;
}

/** What a check may read: narrow and read-only. The ledger holds the books approved so far this cycle. */
export interface ReviewContext {
  readonly config: FundConfig;
  readonly view: MarketView;
  readonly state: FundState;
  readonly universe: Universe;
  readonly model: RiskModel;
  readonly scratch: RiskScratch;
  readonly ledger: FundLedger;
  readonly fund: FundContext;
  readonly agent: AgentCandidate;
  /** Work vector of length N for checks (overwritten freely). */
  readonly work: Float64Array;
  /** The review's work arrays (work.ts), passed in: no rule keeps arrays of its own between calls. */
  readonly ws: Workspace;
  /** The candidate's closed-form risk terms (computed once per agent, on first use). */
  candidateRisk(): CandidateRisk;
  /** Whether the proposal lowers the fund's risk (`risk-reducing.ts`; computed once per agent, on first use). */
  riskChange(): RiskChange;
}

/**
 * What a rule's scale is, which decides how the committee combines it (by kind, never by name):
 * - `policy`: a discretionary de-risking multiplier (drawdown ladders, regime and circuit breaker,
 *   emergency, correlation). Policies compound: a fund at its first drawdown step in a volatile
 *   regime runs at 0.5 × 0.7. `keel backtest --compare overlay-off` runs without them.
 * - `fit`: the largest scale at which the book fits a limit (a risk budget, a bucket, the risk
 *   target, per-name caps). The book takes the tightest fit.
 * The book's scale is min(Π policies, min fits).
 */
export type RuleKind = 'policy' | 'fit';

/** One rule of the overlay (ARCHITECTURE.md "Key shapes"): a verdict on one agent's proposal. */
export interface OverlayCheck {
  readonly name: string;
  readonly kind: RuleKind;
  /**
   * Its caps record holds a cap for most of the book's names (a gate or a cap on every name), so
   * the committee looks each name up rather than enumerating the record. Absent: a few names.
   */
  readonly capsMostNames?: boolean;
  /**
   * It enforces the fund's trading state (the kill switches' HALTED and REDUCING). A review whose
   * checks have no such rule leaves the trading state where it is: no kill switch trips, no
   * reduction plan (`keel backtest --without trading_state` measures what the kill switches do).
   */
  readonly governsTradingState?: boolean;
  review(p: AgentProposal, ctx: ReviewContext): CheckResult;
}

/** A typed reason (STYLE.md "Decisions are data"); its code is one of the catalogue's (contracts/reason-codes.ts). */
export function reason(
  rule: string,
  code: ReasonCode,
  message: string,
  extra: { limit?: number | null; actual?: number | null; symbol?: string | null; sector?: string | null; bucket?: string | null } = {},
): Reason {
  return {
    code,
    rule,
    message,
    limit: finiteOrNull(extra.limit),
    actual: finiteOrNull(extra.actual),
    symbol: extra.symbol ?? null,
    sector: extra.sector ?? null,
    bucket: extra.bucket ?? null,
  };
}

function finiteOrNull(x: number | null | undefined): number | null {
  return x === undefined || x === null || !Number.isFinite(x) ? null : x;
}

/** A check result builder: status from the worst reason level, scale clamped to [0, 1]. */
export function result(
  check: string,
  parts: { status?: CheckResult['status']; scale?: number; caps?: Record<string, number>; removed?: string[]; block?: boolean; reasons?: Reason[] },
): CheckResult {
  const scale = Math.min(1, Math.max(0, parts.scale ?? 1));
  return {
    check,
    status: parts.status ?? 'OK',
    scale,
    caps: parts.caps ?? table<number>(),
    removed: parts.removed ?? [],
    block: parts.block ?? false,
    reasons: parts.reasons ?? [],
  };
}

/** Tightest cap on |weight| for a name (fractions of the agent's capital); `caps` is a table (see table.ts). */
export function setCap(caps: Record<string, number>, symbol: string, cap: number): void {
  const c = Math.max(0, cap);
  const prev = own(caps, symbol);
  caps[symbol] = prev === undefined ? c : Math.min(prev, c);
}

/** Cap that lets a name only shrink toward zero on its current side: |current| if same sign as proposed, else 0. */
export function reduceOnlyCap(proposed: number, current: number): number {
  return proposed * current > 0 ? Math.abs(current) : 0;
}
