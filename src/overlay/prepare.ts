import { FundConfig as FundConfigSchema, agentBucket, resolveAgentRisk, STRATEGY_BUCKET_MAP, type AgentConfig, type AgentProposal, type AgentRiskParams, type FundConfig, formatPath } from '../contracts/index.ts';
import type { MarketView } from '../market/index.ts';
import { isIsoDate } from '../core/index.ts';
import type { AgentCandidate } from './context.ts';
import { buildRiskModel, riskModelFor, type RiskModel } from './factor-model-local.ts';
import type { SparseBook } from './risk-math.ts';
import type { AgentBookState, FundState, OutsideBook, Position } from './types.ts';
import { buildUniverse, type Universe } from './universe.ts';
import type { Workspace } from './work.ts';

/** Everything a review needs that does not depend on the order of agents. */
export interface Prepared {
  readonly universe: Universe;
  readonly model: RiskModel;
  readonly agentConfigs: ReadonlyMap<string, AgentConfig>;
  readonly agentStates: ReadonlyMap<string, AgentBookState>;
  /** Current books in dollars, marked at the view's close (or the stored price when the view has none): the agents' and the outside books'. */
  readonly currentBooks: ReadonlyMap<string, SparseBook>;
  /** Ids of the books outside the agents (`FundState.outsideBooks`) this review counts as held only (none proposes): no budget of their own. */
  readonly outsideIds: ReadonlySet<string>;
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

/** No books outside the agents (shared, so a review without any allocates nothing for them). */
const NO_OUTSIDE_IDS: ReadonlySet<string> = new Set();
const NO_OUTSIDE_BOOKS: readonly OutsideBook[] = [];

/** Checks the state and config, builds the universe, current books (agents' and outside books') and the risk model. */
export function prepare(proposals: readonly AgentProposal[], state: FundState, config: FundConfig, view: MarketView): Prepared {
  const problems: string[] = [];
  const problem = configProblem(config);
  if (problem) problems.push(problem);
  if (state.asOf !== view.asOf) problems.push(`fund state is as of ${state.asOf} but the market view is as of ${view.asOf}`);
  if (!(Number.isFinite(state.capital) && state.capital > 0)) problems.push(`fund capital is not a positive number (${state.capital})`);
  if (!(Number.isFinite(state.highWaterMark) && state.highWaterMark > 0)) problems.push(`fund high-water mark is not a positive number (${state.highWaterMark})`);
  datesProblems(state, problems);
  const agentConfigs = agentConfigsOf(config);
  const agentStates = new Map<string, AgentBookState>();
  // every name held or proposed, repeats included (the universe keeps each once)
  const names: string[] = [];
  for (const a of state.agents) {
    // an id twice would count as one book in every fund-level limit: both books are counted, and the state is refused
    if (agentStates.has(a.agentId)) problems.push(`agent ${a.agentId} appears more than once in the fund state: its books are counted together; list each agent once`);
    else agentStates.set(a.agentId, a);
    if (!Number.isFinite(a.equity) || !Number.isFinite(a.highWaterMark) || !Number.isFinite(a.allocatedCapital)) problems.push(`agent ${a.agentId}: equity, high-water mark or capital is not finite`);
    for (const p of a.positions) names.push(p.symbol);
    if (a.positions.length === 0) for (const w of a.weights ?? []) names.push(w.symbol);
  }
  // books outside the agents count as held books (one that proposes is reviewed on its current
  // book, like an agent outside the state). An id repeated, or also an agent's, would count as one
  // book: both are counted (the outside one apart, as 'outside:<id>') and the state is refused.
  let outsideIds: Set<string> | null = null;
  const outsideKey = new Map<OutsideBook, string>();
  for (const b of state.outsideBooks ?? NO_OUTSIDE_BOOKS) {
    let key = b.bookId;
    if (agentStates.has(key)) {
      problems.push(`book ${key} outside the agents has an agent's id: counted apart as 'outside:${key}'; give it an id of its own`);
      key = `outside:${key}`;
    } else if (outsideIds?.has(key)) problems.push(`book ${key} outside the agents appears more than once: its positions are counted together; list each book once`);
    outsideKey.set(b, key);
    (outsideIds ??= new Set()).add(key);
    for (const p of b.positions) names.push(p.symbol);
  }
  for (const p of proposals) for (const t of p.targets) names.push(t.symbol);
  const universe = buildUniverse(view, names);
  const currentBooks = new Map<string, SparseBook>();
  for (const a of state.agents) {
    const book = agentBook(a, universe, problems);
    const earlier = currentBooks.get(a.agentId);
    currentBooks.set(a.agentId, earlier ? mergeBook(Int32Array.from([...earlier.idx, ...book.idx]), Float64Array.from([...earlier.val, ...book.val])) : book);
  }
  if (outsideIds) {
    for (const b of state.outsideBooks ?? NO_OUTSIDE_BOOKS) {
      const key = outsideKey.get(b) ?? b.bookId;
      const book = heldBook('book', key, b.positions, universe, problems);
      const earlier = currentBooks.get(key);
      currentBooks.set(key, earlier ? mergeBook(Int32Array.from([...earlier.idx, ...book.idx]), Float64Array.from([...earlier.val, ...book.val])) : book);
    }
    for (const p of proposals) outsideIds.delete(p.agentId);
  }
  let model: RiskModel;
  try {
    model = riskModelFor(view, universe.symbols, config, universe.index);
    problems.push(...model.issues);
  } catch (e) {
    problems.push(`risk model could not be built: ${e instanceof Error ? e.message : String(e)}`);
    model = buildRiskModel(view, [], config);
  }
  return { universe, model, agentConfigs, agentStates, currentBooks, outsideIds: outsideIds ?? NO_OUTSIDE_IDS, problems };
}

/** An agent's current book in dollars: its positions, or its weights × allocated capital when it has none. */
function agentBook(a: AgentBookState, universe: Universe, problems: string[]): SparseBook {
  if (a.positions.length === 0 && (a.weights?.length ?? 0) > 0) {
    const ws = a.weights ?? [];
    const idx = Int32Array.from(ws.map((w) => universe.index.get(w.symbol) ?? 0));
    const val = Float64Array.from(ws.map((w) => w.weight * a.allocatedCapital));
    ws.forEach((w) => {
      if (!Number.isFinite(w.weight)) problems.push(`agent ${a.agentId}: weight of ${w.symbol} is not finite`);
    });
    return mergeBook(idx, val.map((v) => (Number.isFinite(v) ? v : 0)));
  }
  return heldBook('agent', a.agentId, a.positions, universe, problems);
}

/**
 * Every date of the state must be a real `YYYY-MM-DD`: a cooldown counted from 'yesterday' is NaN
 * weekdays, which no longer holds a freeze. The state is refused (fail safe) and the cooldowns wait.
 */
function datesProblems(state: FundState, problems: string[]): void {
  const check = (what: string, d: string | null | undefined): void => {
    if (d !== null && d !== undefined && !isIsoDate(d)) problems.push(`${what} '${d}' is not a date (YYYY-MM-DD)`);
  };
  check('fund state asOf', state.asOf);
  check('fund tradingStateSince', state.tradingStateSince);
  check('fund drawdown since', state.fundDrawdown.since);
  check('fund drawdown re-arm date', state.fundDrawdown.rearm?.at);
  check('manual kill date', state.manualKill?.at);
  for (const a of state.agents) {
    check(`agent ${a.agentId} drawdown since`, a.drawdown.since);
    check(`agent ${a.agentId} re-arm date`, a.drawdown.rearm?.at);
  }
}

/** Held positions valued in dollars at the view's close (or the stored price when the view has none), a problem for each that cannot be. */
function heldBook(kind: 'agent' | 'book', id: string, positions: readonly Position[], universe: Universe, problems: string[]): SparseBook {
  const idx = new Int32Array(positions.length);
  const val = new Float64Array(positions.length);
  positions.forEach((p, k) => {
    const u = universe.index.get(p.symbol) ?? 0;
    const px = universe.price[u] ?? Number.NaN;
    const mark = px > 0 ? px : p.price;
    if (!Number.isFinite(p.qty) || !(mark > 0)) problems.push(`${kind} ${id}: position ${p.symbol} cannot be valued (qty ${p.qty}, price ${mark})`);
    idx[k] = u;
    val[k] = Number.isFinite(p.qty) && mark > 0 ? p.qty * mark : 0;
  });
  return mergeBook(idx, val);
}

/** Sums duplicate indices of a book (in the order they appear, from 0) and sorts it by index. */
function mergeBook(idx: Int32Array, val: Float64Array): SparseBook {
  const n = idx.length;
  // the positions by index, duplicates in the order they appear (an insertion sort for a small book)
  const order = new Int32Array(n);
  if (n > 32) {
    const sorted = Array.from({ length: n }, (_, i) => i).sort((x, y) => (idx[x] ?? 0) - (idx[y] ?? 0) || x - y);
    order.set(sorted);
  } else {
    for (let i = 0; i < n; i++) {
      const u = idx[i] ?? 0;
      let k = i;
      while (k > 0 && (idx[order[k - 1] ?? 0] ?? 0) > u) {
        order[k] = order[k - 1] ?? 0;
        k--;
      }
      order[k] = i;
    }
  }
  let m = 0;
  for (let k = 0; k < n; k++) if (k === 0 || idx[order[k] ?? 0] !== idx[order[k - 1] ?? 0]) m++;
  const outIdx = new Int32Array(m);
  const outVal = new Float64Array(m);
  let j = -1;
  for (let k = 0; k < n; k++) {
    const i = order[k] ?? 0;
    if (k === 0 || idx[i] !== idx[order[k - 1] ?? 0]) {
      j++;
      outIdx[j] = idx[i] ?? 0;
      outVal[j] = 0 + (val[i] ?? 0);
      continue;
    }
    outVal[j] = (outVal[j] ?? 0) + (val[i] ?? 0);
  }
  return { idx: outIdx, val: outVal };
}

/** An agent's resolved risk parameters, per (config, agent config) object: both are immutable data. */
const agentRisks = new WeakMap<AgentConfig, { config: FundConfig; risk: AgentRiskParams }>();

export function agentRiskOf(config: FundConfig, cfg: AgentConfig): AgentRiskParams {
  const known = agentRisks.get(cfg);
  if (known && known.config === config) return known.risk;
  const risk = resolveAgentRisk(config, cfg);
  agentRisks.set(cfg, { config, risk });
  return risk;
}

/** Agent configs by id, per config object (a config is immutable data). */
const agentConfigsCache = new WeakMap<FundConfig, ReadonlyMap<string, AgentConfig>>();

function agentConfigsOf(config: FundConfig): ReadonlyMap<string, AgentConfig> {
  let m = agentConfigsCache.get(config);
  if (!m) {
    m = new Map(config.agents.map((a) => [a.id, a]));
    agentConfigsCache.set(config, m);
  }
  return m;
}

/**
 * The agent's proposal and current book aligned on the union of their names (sorted by universe
 * index). Per universe index, the workspace's generation that last proposed / held it, and the
 * value (dense work arrays, stamped rather than cleared for each candidate).
 */
export function buildCandidate(p: AgentProposal, prep: Prepared, config: FundConfig, ws: Workspace): AgentCandidate {
  const cfg = prep.agentConfigs.get(p.agentId) ?? null;
  const st = prep.agentStates.get(p.agentId) ?? null;
  const capital = st?.allocatedCapital ?? cfg?.allocatedCapital ?? 0;
  const risk = cfg ? agentRiskOf(config, cfg) : config.defaults;
  const bucket = cfg ? agentBucket(cfg) : STRATEGY_BUCKET_MAP[p.strategy];
  const U = prep.universe;
  const N = U.N;
  const gen = ws.stamp();
  const m = { proposed: ws.i32('candidate.proposed', N, false), held: ws.i32('candidate.held', N, false), proposedW: ws.f64('candidate.proposedW', N, false), heldV: ws.f64('candidate.heldV', N, false) };
  let malformed: string | null = null;
  for (const t of p.targets) {
    const u = U.index.get(t.symbol) ?? -1;
    if (u < 0) continue;
    if (!Number.isFinite(t.weight)) malformed = `weight of ${t.symbol} is not finite`;
    if (m.proposed[u] === gen) malformed = `${t.symbol} is proposed twice`;
    m.proposed[u] = gen;
    m.proposedW[u] = Number.isFinite(t.weight) ? t.weight : 0;
  }
  const cur = prep.currentBooks.get(p.agentId);
  if (cur) {
    for (let i = 0; i < cur.idx.length; i++) {
      const u = cur.idx[i] ?? 0;
      m.held[u] = gen;
      m.heldV[u] = cur.val[i] ?? 0;
    }
  }
  let n = 0;
  for (let u = 0; u < N; u++) if (m.proposed[u] === gen || m.held[u] === gen) n++;
  const idx = new Int32Array(n);
  const weights = new Float64Array(3 * n);
  const proposedW = weights.subarray(0, n);
  const currentW = weights.subarray(n, 2 * n);
  const val = weights.subarray(2 * n, 3 * n);
  const names: string[] = [];
  let i = 0;
  for (let u = 0; u < N; u++) {
    const isProposed = m.proposed[u] === gen;
    const isHeld = m.held[u] === gen;
    if (!isProposed && !isHeld) continue;
    idx[i] = u;
    names.push(U.symbols[u] ?? '');
    proposedW[i] = isProposed ? (m.proposedW[u] ?? 0) : 0;
    currentW[i] = capital > 0 ? (isHeld ? (m.heldV[u] ?? 0) : 0) / capital : 0;
    val[i] = (proposedW[i] ?? 0) * capital;
    i++;
  }
  return {
    agentId: p.agentId,
    config: cfg,
    risk,
    bucket,
    capital,
    state: st,
    names,
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
