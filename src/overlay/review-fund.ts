import { agentBucket, STRATEGY_BUCKET_MAP, type Alert, type AgentProposal, type CheckResult, type FundConfig, type OverlayDecision, type Reason, type TargetPosition, type TradingState } from '../contracts/index.ts';
import type { MarketView } from '../market/index.ts';
import type { BindingReport } from './binding.ts';
import { candidateRisk, type CandidateRisk } from './budget-math.ts';
import { riskChange, type RiskChange } from './risk-reducing.ts';
import { applyCombined, buildDecision, combineResults, DEFAULT_CHECKS, enforceFinalLimits, type Combined } from './committee.ts';
import { reason, type AgentCandidate, type FundContext, type OverlayCheck, type ReviewContext } from './context.ts';
import type { CorrelationAction } from './correlation.ts';
import type { RiskModel } from './factor-model-local.ts';
import { fundFacts } from './fund-context.ts';
import type { HedgeRecommendation } from './hedger.ts';
import type { KillTrigger, TradingStateOutcome } from './kill-switch.ts';
import { FundLedger } from './ledger.ts';
import type { LiquidityReport } from './liquidity.ts';
import { buildCandidate, holdCandidate, prepare } from './prepare.ts';
import type { RiskReductionPlan } from './reduction-plan.ts';
import { finishReview } from './finish-review.ts';
import { addSparse, type RiskScratch, type SparseBook } from './risk-math.ts';
import type { AgentScore } from './scoring.ts';
import { allocateCapital, applyAllocation, withConfiguredCapital, type Allocation } from './allocation.ts';
import { settleLimits } from './settle.ts';
import type { FundRiskSnapshot } from './snapshot.ts';
import type { StressReport } from './stress.ts';
import type { FundState, HedgePosition } from './types.ts';
import type { Universe } from './universe.ts';
import { table } from './table.ts';
import { Workspace } from './work.ts';

export interface ReviewInput {
  readonly proposals: readonly AgentProposal[];
  readonly state: FundState;
  readonly config: FundConfig;
  readonly view: MarketView;
  readonly cycleId: string;
  /** ISO time stamped on risk actions and alerts; default: the as-of date at 00:00Z (no clock read). */
  readonly timestamp?: string;
  readonly checks?: readonly OverlayCheck[];
  /** Agents that cannot trade the loaded market this cycle: the allocation gives them no capital. */
  readonly unready?: ReadonlySet<string>;
  /**
   * Work arrays to review in (work.ts): a caller that reviews day after day keeps one and passes
   * it, so the arrays are allocated once per run; absent, the review allocates its own.
   */
  readonly workspace?: Workspace;
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
  /**
   * Today's capital allocation across agents (null: nothing moved). The review already sized every
   * book at the new capital; the cycle moves the cash between the agents' books and the fund's.
   */
  readonly allocation: Allocation | null;
  /** What each rule removed from the proposals, in gross dollars and fund VaR (computed when first read). */
  readonly bindingConstraints: BindingReport;
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
  /**
   * Every scale-down applied after the checks, in order (the committee's binding final limit, the
   * bucket settle pass): `postScale` is their product. The binding-constraint report reads them.
   */
  readonly postSteps: { readonly rule: string; readonly scale: number }[];
  readonly blocked: boolean;
}

/**
 * The risk committee (seed fund-overlay-plan §2B): reviews every agent's proposal in order against
 * the fund state, the config and the market view, and returns one OverlayDecision per agent plus
 * the fund snapshot, stress tests, liquidity, hedges, scores, kill-switch outcome and next state.
 * Pure: same input, same output.
 */
export function reviewFund(input: ReviewInput): FundReview {
  const { proposals, config, view, cycleId } = input;
  const allocation = allocateCapital({ state: input.state, config, asOf: view.asOf, ...(input.unready ? { unready: input.unready } : {}) });
  const state = withConfiguredCapital(allocation ? applyAllocation(input.state, allocation) : input.state, config);
  const checks = input.checks ?? DEFAULT_CHECKS;
  const timestamp = input.timestamp ?? `${state.asOf}T00:00:00.000Z`;
  const ws = input.workspace ?? new Workspace();
  const prep = prepare(proposals, state, config, view);
  const { universe, model } = prep;
  const N = universe.N;
  const scratch = workScratch(model, ws);
  const ledger = FundLedger.forReview(universe, ws);
  const proposing = new Set<string>();
  for (const p of proposals) proposing.add(p.agentId);
  for (const [id, b] of prep.currentBooks) if (!proposing.has(id)) ledger.add(id, b);
  const candidates: AgentCandidate[] = [];
  for (const p of proposals) candidates.push(buildCandidate(p, prep, config, ws));
  const pending = ws.f64('review.pending', N);
  const pendingBooks = new Map<string, SparseBook>();
  for (const c of candidates) {
    if (pendingBooks.has(c.agentId)) continue;
    pendingBooks.set(c.agentId, c.proposedBook);
    addSparse(pending, c.proposedBook, 1);
  }
  const bucketOf = bucketsOf(config, candidates, state, prep.outsideIds);
  const facts = fundFacts(state, config, view, prep, ledger, pending, pendingBooks, scratch, prep.problems, bucketOf, ws, checks.some((c) => c.governsTradingState === true));
  const fund = facts.context;
  const work = ws.f64('review.work', N, false);
  const reviewed: Reviewed[] = [];
  const seen = new Set<string>();
  for (let k = 0; k < proposals.length; k++) {
    const proposal = proposals[k];
    const original = candidates[k];
    // a second proposal from the same agent is ignored (and alerted): one decision per agent
    if (!proposal || !original || seen.has(original.agentId)) continue;
    seen.add(original.agentId);
    let ctx: ReviewContext = new BoundContext(config, view, state, universe, model, scratch, ledger, fund, original, work, ws);
    let results = runChecks(checks, proposal, ctx);
    const extra: Reason[] = [];
    if (original.malformed !== null) extra.push(reason('committee', 'MALFORMED_PROPOSAL', original.malformed));
    let blocked = extra.length > 0;
    for (const r of results) if (r.block) blocked = true;
    let effective = original;
    if (blocked) {
      // the proposal is rejected: the current book stands, under the same limits (caps only shrink it)
      effective = holdCandidate(original);
      ctx = new BoundContext(config, view, state, universe, model, scratch, ledger, fund, effective, work, ws);
      results = runChecks(checks, proposal, ctx).map((r) => (r.block ? { ...r, scale: 1, caps: table<number>(), removed: [] } : r));
    }
    const combined = combineResults(effective, checks, results);
    const baseFinal = applyCombined(effective, combined);
    const post = enforceFinalLimits(ctx, baseFinal);
    const val = new Float64Array(baseFinal.length);
    for (let i = 0; i < val.length; i++) val[i] = (baseFinal[i] ?? 0) * post.scale * effective.capital;
    ledger.add(original.agentId, { idx: effective.idx, val });
    const postReasons = extra;
    for (const x of post.reasons) postReasons.push(x);
    const postSteps = post.binding !== null ? [{ rule: post.binding, scale: post.scale }] : [];
    reviewed.push({ proposal, original, effective, ctx, results, combined, baseFinal, postScale: post.scale, postReasons, postSteps, blocked });
  }
  settleLimits(reviewed, ledger, config, fund, model, scratch, state.capital > 0 ? state.capital : 1, ws);
  const decisions: OverlayDecision[] = [];
  const positions = table<TargetPosition[]>();
  for (const r of reviewed) {
    const finalW = new Float64Array(r.baseFinal.length);
    for (let i = 0; i < finalW.length; i++) finalW[i] = (r.baseFinal[i] ?? 0) * r.postScale;
    const out = buildDecision({ ctx: r.ctx, proposal: r.proposal, original: r.original, results: r.results, combined: r.combined, finalW, postScale: r.postScale, postReasons: r.postReasons, blocked: r.blocked, cycleId, timestamp });
    decisions.push(out.decision);
    positions[r.original.agentId] = out.positions;
  }
  return finishReview({ input: state === input.state ? input : { ...input, state }, prep, ledger, scratch, facts, decisions, positions, timestamp, reviewed, allocation });
}

/** The configured agents' buckets, per config object (a config is immutable data). */
const configBuckets = new WeakMap<FundConfig, ReadonlyMap<string, string>>();

/** Each book's bucket: configured, else its proposal's strategy, else (held only: an agent outside the config, a book outside the agents) the committee's. */
function bucketsOf(config: FundConfig, candidates: readonly AgentCandidate[], state: FundState, outsideIds: ReadonlySet<string>): ReadonlyMap<string, string> {
  let base = configBuckets.get(config);
  if (!base) {
    base = new Map(config.agents.map((a) => [a.id, agentBucket(a)]));
    configBuckets.set(config, base);
  }
  let out: Map<string, string> | null = null;
  for (const c of candidates) {
    if ((out ?? base).has(c.agentId)) continue;
    out ??= new Map(base);
    out.set(c.agentId, c.bucket);
  }
  for (const a of state.agents) {
    if ((out ?? base).has(a.agentId)) continue;
    out ??= new Map(base);
    out.set(a.agentId, STRATEGY_BUCKET_MAP.committee);
  }
  for (const id of outsideIds) {
    if ((out ?? base).has(id)) continue;
    out ??= new Map(base);
    out.set(id, STRATEGY_BUCKET_MAP.committee);
  }
  return out ?? base;
}

function runChecks(checks: readonly OverlayCheck[], proposal: AgentProposal, ctx: ReviewContext): CheckResult[] {
  const out: CheckResult[] = [];
  for (const c of checks) out.push(c.review(proposal, ctx));
  return out;
}

/** The risk scratch of a review, in work arrays. */
function workScratch(model: RiskModel, ws: Workspace): RiskScratch {
  return { f: ws.f64('review.f', model.K, false), ff: ws.f64('review.ff', model.K, false), sx: ws.f64('review.sx', model.N, false) };
}

/** One agent's review context; its candidate risk is computed on first use, then kept. */
class BoundContext implements ReviewContext {
  private risk: CandidateRisk | null = null;
  private change: RiskChange | null = null;

  constructor(
    readonly config: FundConfig,
    readonly view: MarketView,
    readonly state: FundState,
    readonly universe: Universe,
    readonly model: RiskModel,
    readonly scratch: RiskScratch,
    readonly ledger: FundLedger,
    readonly fund: FundContext,
    readonly agent: AgentCandidate,
    readonly work: Float64Array,
    readonly ws: Workspace,
  ) {}

  candidateRisk(): CandidateRisk {
    return (this.risk ??= candidateRisk(this));
  }

  riskChange(): RiskChange {
    return (this.change ??= riskChange(this));
  }
}
