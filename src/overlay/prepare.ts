import { FundConfig as FundConfigSchema, agentBucket, resolveAgentRisk, STRATEGY_BUCKET_MAP, type AgentConfig, type AgentProposal, type FundConfig, formatPath } from '../contracts/index.ts';
import type { MarketView } from '../market/index.ts';
import type { AgentCandidate } from './context.ts';
import { buildRiskModel, riskModelFor, type RiskModel } from './factor-model-local.ts';
import type { SparseBook } from './risk-math.ts';
import type { AgentBookState, FundState } from './types.ts';
import { buildUniverse, type Universe } from './universe.ts';

/** Everything a review needs that does not depend on the order of agents. */
export interface Prepared {
  readonly universe: Universe;
  readonly model: RiskModel;
  readonly agentConfigs: ReadonlyMap<string, AgentConfig>;
  readonly agentStates: ReadonlyMap<string, AgentBookState>;
  /** Current books in dollars, marked at the view's close (or the stored price when the view has none). */
  readonly currentBooks: ReadonlyMap<string, SparseBook>;
  /** Problems that force the fail safe (REDUCING, nothing new approved). */
  readonly problems: readonly string[];
}

/** Validation result per config object: a config is immutable data, so it is checked once. */
const configProblems = new WeakMap<FundConfig, string | null>();

function configProblem(config: FundConfig): string | null {
  const known = configProblems.get(config);
  if (known !== undefined) return known;
  const parsed = FundConfigSchema.safeParse(config);
  const i = parsed.success ? undefined : parsed.error.issues[0];
  const problem = parsed.success ? null : `config is inconsistent: ${i ? `${formatPath(i.path)}: ${i.message}` : 'invalid'}`;
  configProblems.set(config, problem);
  return problem;
}

/** Checks the state and config, builds the universe, current books and the risk model. */
export function prepare(proposals: readonly AgentProposal[], state: FundState, config: FundConfig, view: MarketView): Prepared {
  const problems: string[] = [];
  const problem = configProblem(config);
  if (problem) problems.push(problem);
  if (state.asOf !== view.asOf) problems.push(`fund state is as of ${state.asOf} but the market view is as of ${view.asOf}`);
  if (!(Number.isFinite(state.capital) && state.capital > 0)) problems.push(`fund capital is not a positive number (${state.capital})`);
  if (!(Number.isFinite(state.highWaterMark) && state.highWaterMark > 0)) problems.push(`fund high-water mark is not a positive number (${state.highWaterMark})`);
  const agentConfigs = new Map(config.agents.map((a) => [a.id, a]));
  const agentStates = new Map<string, AgentBookState>();
  const names: string[] = [];
  for (const a of state.agents) {
    agentStates.set(a.agentId, a);
    if (!Number.isFinite(a.equity) || !Number.isFinite(a.highWaterMark) || !Number.isFinite(a.allocatedCapital)) problems.push(`agent ${a.agentId}: equity, high-water mark or capital is not finite`);
    for (const p of a.positions) names.push(p.symbol);
    if (a.positions.length === 0) for (const w of a.weights ?? []) names.push(w.symbol);
  }
  for (const p of proposals) for (const t of p.targets) names.push(t.symbol);
  const universe = buildUniverse(view, names);
  const currentBooks = new Map<string, SparseBook>();
  for (const a of state.agents) {
    if (a.positions.length === 0 && (a.weights?.length ?? 0) > 0) {
      const ws = a.weights ?? [];
      const idx = Int32Array.from(ws.map((w) => universe.index.get(w.symbol) ?? 0));
      const val = Float64Array.from(ws.map((w) => w.weight * a.allocatedCapital));
      ws.forEach((w) => {
        if (!Number.isFinite(w.weight)) problems.push(`agent ${a.agentId}: weight of ${w.symbol} is not finite`);
      });
      currentBooks.set(a.agentId, mergeBook(idx, val.map((v) => (Number.isFinite(v) ? v : 0))));
      continue;
    }
    const idx = new Int32Array(a.positions.length);
    const val = new Float64Array(a.positions.length);
    a.positions.forEach((p, k) => {
      const u = universe.index.get(p.symbol) ?? 0;
      const px = universe.price[u] ?? Number.NaN;
      const mark = px > 0 ? px : p.price;
      if (!Number.isFinite(p.qty) || !(mark > 0)) problems.push(`agent ${a.agentId}: position ${p.symbol} cannot be valued (qty ${p.qty}, price ${mark})`);
      idx[k] = u;
      val[k] = Number.isFinite(p.qty) && mark > 0 ? p.qty * mark : 0;
    });
    currentBooks.set(a.agentId, mergeBook(idx, val));
  }
  let model: RiskModel;
  try {
    model = riskModelFor(view, universe.symbols, config);
    problems.push(...model.issues);
  } catch (e) {
    problems.push(`risk model could not be built: ${e instanceof Error ? e.message : String(e)}`);
    model = buildRiskModel(view, [], config);
  }
  return { universe, model, agentConfigs, agentStates, currentBooks, problems };
}

/** Sums duplicate indices of a book. */
function mergeBook(idx: Int32Array, val: Float64Array): SparseBook {
  const m = new Map<number, number>();
  for (let i = 0; i < idx.length; i++) m.set(idx[i] ?? 0, (m.get(idx[i] ?? 0) ?? 0) + (val[i] ?? 0));
  const keys = [...m.keys()].sort((a, b) => a - b);
  return { idx: Int32Array.from(keys), val: Float64Array.from(keys.map((k) => m.get(k) ?? 0)) };
}

/** The agent's proposal and current book aligned on the union of their names. */
export function buildCandidate(p: AgentProposal, prep: Prepared, config: FundConfig): AgentCandidate {
  const cfg = prep.agentConfigs.get(p.agentId) ?? null;
  const st = prep.agentStates.get(p.agentId) ?? null;
  const capital = st?.allocatedCapital ?? cfg?.allocatedCapital ?? 0;
  const risk = cfg ? resolveAgentRisk(config, cfg) : config.defaults;
  const bucket = cfg ? agentBucket(cfg) : STRATEGY_BUCKET_MAP[p.strategy];
  const U = prep.universe;
  const pos = new Map<number, number>();
  const order: number[] = [];
  let malformed: string | null = null;
  const proposed = new Map<number, number>();
  for (const t of p.targets) {
    const u = U.index.get(t.symbol) ?? -1;
    if (u < 0) continue;
    if (!Number.isFinite(t.weight)) malformed = `weight of ${t.symbol} is not finite`;
    if (proposed.has(u)) malformed = `${t.symbol} is proposed twice`;
    proposed.set(u, Number.isFinite(t.weight) ? t.weight : 0);
    if (!pos.has(u)) {
      pos.set(u, order.length);
      order.push(u);
    }
  }
  const cur = prep.currentBooks.get(p.agentId);
  if (cur) {
    for (let i = 0; i < cur.idx.length; i++) {
      const u = cur.idx[i] ?? 0;
      if (!pos.has(u)) {
        pos.set(u, order.length);
        order.push(u);
      }
    }
  }
  order.sort((a, b) => a - b);
  const n = order.length;
  const idx = Int32Array.from(order);
  const proposedW = new Float64Array(n);
  const currentW = new Float64Array(n);
  const curMap = new Map<number, number>();
  if (cur) for (let i = 0; i < cur.idx.length; i++) curMap.set(cur.idx[i] ?? 0, cur.val[i] ?? 0);
  const val = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = idx[i] ?? 0;
    proposedW[i] = proposed.get(u) ?? 0;
    currentW[i] = capital > 0 ? (curMap.get(u) ?? 0) / capital : 0;
    val[i] = (proposedW[i] ?? 0) * capital;
  }
  return {
    agentId: p.agentId,
    config: cfg,
    risk,
    bucket,
    capital,
    state: st,
    names: order.map((u) => U.symbols[u] ?? ''),
    idx,
    proposedW,
    currentW,
    proposedBook: { idx, val },
    malformed,
  };
}

/** The same candidate with its current book as the proposal (a rejected proposal: the current book stands, under the limits). */
export function holdCandidate(a: AgentCandidate): AgentCandidate {
  const proposedW = a.currentW.slice();
  const val = new Float64Array(proposedW.length);
  for (let i = 0; i < val.length; i++) val[i] = (proposedW[i] ?? 0) * a.capital;
  return { ...a, proposedW, proposedBook: { idx: a.idx, val }, malformed: null };
}
