import { agentBucket, STRATEGY_BUCKET_MAP, type Alert, type AgentProposal, type CheckResult, type FundConfig, type OverlayDecision, type Reason, type TargetPosition } from '../contracts/index.ts';
import { InvariantError } from '../core/index.ts';
import type { MarketView } from '../market/index.ts';
import { candidateRisk, type CandidateRisk } from './budget-math.ts';
import { applyCombined, buildDecision, combineResults, DEFAULT_CHECKS, enforceFinalLimits, type Combined } from './committee.ts';
import { reason, type AgentCandidate, type OverlayCheck, type ReviewContext } from './context.ts';
import type { CorrelationAction } from './correlation.ts';
import { fundFacts } from './fund-context.ts';
import type { HedgeRecommendation } from './hedger.ts';
import type { KillTrigger, TradingStateOutcome } from './kill-switch.ts';
import { FundLedger } from './ledger.ts';
import type { LiquidityReport } from './liquidity.ts';
import { buildCandidate, holdCandidate, prepare } from './prepare.ts';
import type { RiskReductionPlan } from './reduction-plan.ts';
import { finishReview } from './finish-review.ts';
import { addSparse, riskScratch, type SparseBook } from './risk-math.ts';
import type { AgentScore, Reallocation } from './scoring.ts';
import { settleBuckets } from './settle.ts';
import type { FundRiskSnapshot } from './snapshot.ts';
import type { StressReport } from './stress.ts';
import { DEFAULT_OVERLAY_OPTIONS, type FundState, type HedgePosition, type OverlayOptions, type TradingState } from './types.ts';

export interface ReviewInput {
  readonly proposals: readonly AgentProposal[];
  readonly state: FundState;
  readonly config: FundConfig;
  readonly view: MarketView;
  readonly cycleId: string;
  /** ISO time stamped on risk actions and alerts; default: the as-of date at 00:00Z (no clock read). */
  readonly timestamp?: string;
  readonly options?: Partial<OverlayOptions>;
  readonly checks?: readonly OverlayCheck[];
}

/** Everything one review decides, as data for the cycle to persist and execute. */
export interface FundReview {
  readonly cycleId: string;
  readonly asOf: string;
  readonly tradingState: TradingState;
  readonly transition: TradingStateOutcome;
  readonly triggers: readonly KillTrigger[];
  readonly failSafe: { readonly active: boolean; readonly problems: readonly string[] };
  readonly regime: string;
  readonly decisions: readonly OverlayDecision[];
  /** Final target positions per agent (weights of allocated capital and dollars), de-risking first. */
  readonly positions: Readonly<Record<string, readonly TargetPosition[]>>;
  readonly snapshot: FundRiskSnapshot;
  readonly stress: StressReport;
  readonly liquidity: LiquidityReport;
  readonly hedges: readonly HedgeRecommendation[];
  readonly hedgePositions: readonly HedgePosition[];
  readonly correlationActions: readonly CorrelationAction[];
  readonly scores: readonly AgentScore[];
  readonly reallocation: readonly Reallocation[];
  readonly reductionPlan: RiskReductionPlan | null;
  readonly alerts: readonly Alert[];
  readonly nextState: FundState;
}

/** Working record of one reviewed agent (kept so the bucket settle pass can rebuild its decision). */
export interface Reviewed {
  readonly proposal: AgentProposal;
  readonly original: AgentCandidate;
  readonly effective: AgentCandidate;
  readonly ctx: ReviewContext;
  readonly results: readonly CheckResult[];
  readonly combined: Combined;
  readonly baseFinal: Float64Array;
  postScale: number;
  readonly postReasons: Reason[];
  readonly blocked: boolean;
}

/**
 * The risk committee (seed fund-overlay-plan §2B): reviews every agent's proposal in order against
 * the fund state, the config and the market view, and returns one OverlayDecision per agent plus
 * the fund snapshot, stress tests, liquidity, hedges, scores, kill-switch outcome and next state.
 * Pure: same input, same output.
 */
export function reviewFund(input: ReviewInput): FundReview {
  const { proposals, state, config, view, cycleId } = input;
  const options: OverlayOptions = { ...DEFAULT_OVERLAY_OPTIONS, ...input.options };
  const checks = input.checks ?? DEFAULT_CHECKS;
  const timestamp = input.timestamp ?? `${state.asOf}T00:00:00.000Z`;
  const prep = prepare(proposals, state, config, view);
  const { universe, model } = prep;
  const scratch = riskScratch(model);
  const ledger = new FundLedger(universe);
  const proposing = new Set(proposals.map((p) => p.agentId));
  for (const [id, b] of prep.currentBooks) if (!proposing.has(id)) ledger.add(id, b);
  const candidates = proposals.map((p) => buildCandidate(p, prep, config));
  const pending = new Float64Array(universe.N);
  const pendingBooks = new Map<string, SparseBook>();
  candidates.forEach((c) => {
    if (pendingBooks.has(c.agentId)) return;
    pendingBooks.set(c.agentId, c.proposedBook);
    addSparse(pending, c.proposedBook, 1);
  });
  const bucketOf = new Map<string, string>();
  for (const a of config.agents) bucketOf.set(a.id, agentBucket(a));
  for (const c of candidates) if (!bucketOf.has(c.agentId)) bucketOf.set(c.agentId, c.bucket);
  for (const a of state.agents) if (!bucketOf.has(a.agentId)) bucketOf.set(a.agentId, STRATEGY_BUCKET_MAP.committee);
  const failSafe = prep.problems.length > 0;
  const facts = fundFacts(state, config, view, options, prep, ledger, pending, pendingBooks, scratch, failSafe, bucketOf);
  const fund = facts.context;
  const work = new Float64Array(universe.N);
  const reviewed: Reviewed[] = [];
  const seen = new Set<string>();
  const mk = (agent: AgentCandidate): ReviewContext =>
    bindCtx({ config, options, view, state, universe, model, scratch, ledger, fund, agent, work, candidateRisk: unbound });
  proposals.forEach((proposal, k) => {
    const original = candidates[k];
    // a second proposal from the same agent is ignored (and alerted): one decision per agent
    if (!original || seen.has(original.agentId)) return;
    seen.add(original.agentId);
    let ctx = mk(original);
    let results = checks.map((c) => c.review(proposal, ctx));
    const extra: Reason[] = [];
    if (original.malformed !== null) extra.push(reason('committee', 'MALFORMED_PROPOSAL', original.malformed));
    const blocked = extra.length > 0 || results.some((r) => r.block);
    let effective = original;
    if (blocked) {
      // the proposal is rejected: the current book stands, under the same limits (caps only shrink it)
      effective = holdCandidate(original);
      ctx = mk(effective);
      results = checks.map((c) => c.review(proposal, ctx)).map((r) => (r.block ? { ...r, scale: 1, caps: {}, removed: [] } : r));
    }
    const combined = combineResults(effective, results);
    const baseFinal = applyCombined(effective, combined);
    const post = enforceFinalLimits(ctx, baseFinal);
    const val = new Float64Array(baseFinal.length);
    for (let i = 0; i < val.length; i++) val[i] = (baseFinal[i] ?? 0) * post.scale * effective.capital;
    ledger.add(original.agentId, { idx: effective.idx, val });
    reviewed.push({ proposal, original, effective, ctx, results, combined, baseFinal, postScale: post.scale, postReasons: [...extra, ...post.reasons], blocked });
  });
  settleBuckets(reviewed, ledger, config, fund, model, scratch, universe.N);
  const decisions: OverlayDecision[] = [];
  const positions: Record<string, TargetPosition[]> = {};
  for (const r of reviewed) {
    const finalW = r.baseFinal.map((w) => w * r.postScale);
    const out = buildDecision({ ctx: r.ctx, proposal: r.proposal, original: r.original, results: r.results, combined: r.combined, finalW, postScale: r.postScale, postReasons: r.postReasons, blocked: r.blocked, cycleId, timestamp });
    decisions.push(out.decision);
    positions[r.original.agentId] = [...out.positions];
  }
  return finishReview({ input, options, prep, ledger, scratch, facts, decisions, positions, timestamp, reviewed });
}

function unbound(): CandidateRisk {
  throw new InvariantError('candidate risk read before the review context was bound');
}

function bindCtx(ctx: ReviewContext): ReviewContext {
  let cr: CandidateRisk | null = null;
  const bound: ReviewContext = { ...ctx, candidateRisk: () => (cr ??= candidateRisk(bound)) };
  return bound;
}
