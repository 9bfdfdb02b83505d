import { agentBucket, bucketNamed, resolveAgentRisk, type FundConfig } from '../contracts/index.ts';
import { equalRiskContribution, kellyWeights, ledoitWolf, riskContributions, sharpeRatio, variance } from '../quant/index.ts';
import type { AgentBookState, FundState } from './types.ts';

/**
 * Capital allocated across agents by risk (issue 15; seed fund-overlay-plan §5A reallocation,
 * mini-quant's capital auction). Pure: the same state, config and date give the same moves, so a
 * replayed review allocates exactly as the live one did.
 *
 * At each rebalance (`allocation.rebalance`, only while the fund is ACTIVE), from the agents' daily
 * returns per dollar of their book (`AgentBookState.returns`):
 * 1. each agent's risk budget is its `riskBudgetPct` × its Sharpe ratio shrunk towards the prior
 *    (`priorSharpe` weighing `priorDays` of record) over the prior, clamped to 0.25–2: an agent
 *    with no edge in its record keeps a quarter of its budget, a proven one up to twice it;
 * 2. weights across agents by equal risk contribution on those budgets (quant's ERC on the
 *    Ledoit–Wolf covariance of their returns), or fractional Kelly (`method: kelly`);
 * 3. the capital they get together is what brings the fund's ex-ante vol to `risk.targetVolPct`,
 *    within `1 − reservePct` of NAV; when the capital runs out first, weights are tilted towards
 *    the more volatile books (w·σ^α) until the target is met or α reaches 3;
 * 4. each agent within `minAgentPct`–`maxAgentPct` of NAV, each bucket's risk within its
 *    `maxRiskAllocationPct` of the fund's target risk;
 * 5. each agent moves `smoothing` of the way to its target, and not at all when the move is within
 *    `bandPct` of its capital; an agent on its way to nothing is given nothing once its capital is
 *    below `minAgentPct` of NAV.
 * An agent with too short a record keeps its capital. An agent that cannot trade the loaded market
 * (its readiness check failed) is given nothing on any day, and its capital goes to the others.
 */
export interface AgentAllocation {
  readonly agentId: string;
  /** The agent's capital (book NAV) before and after, dollars. */
  readonly from: number;
  readonly to: number;
  /** The allocation's target before smoothing and the band, dollars. */
  readonly target: number;
  /** The agent's share of the fund's ex-ante risk at `to` (Euler, the shares sum to 1; null: record too short to estimate). */
  readonly riskShare: number | null;
  /**
   * The agent's own ex-ante vol at `to` (its record's vol per dollar × its capital) as a fraction of
   * the fund's target vol in dollars; its VaR budget is sized from it (`budgetShare`). Null: record
   * too short to estimate.
   */
  readonly standaloneShare: number | null;
  /** Annualised vol of the agent's returns per dollar and its shrunk Sharpe ratio (null: record too short). */
  readonly vol: number | null;
  readonly sharpe: number | null;
  readonly why: string;
}

export interface Allocation {
  readonly asOf: string;
  readonly method: FundConfig['allocation']['method'];
  /** A scheduled rebalance (false: only an unready agent's capital was moved). */
  readonly rebalanced: boolean;
  /** The fund's ex-ante annualised vol from the agents with a record, at the new capital, fraction of NAV. */
  readonly exAnteVol: number;
  /** The tilt towards volatile books that was needed (0: none). */
  readonly tilt: number;
  readonly agents: readonly AgentAllocation[];
}

export interface AllocationInput {
  readonly state: FundState;
  readonly config: FundConfig;
  readonly asOf: string;
  /** Agents that cannot trade the loaded market this cycle. */
  readonly unready?: ReadonlySet<string>;
}

const MAX_TILT = 3;
/**
 * An agent's budget moves with its shrunk Sharpe between a quarter and twice its configured one:
 * a year's record says little about an edge, so no record takes an agent out of the fund (its
 * drawdown ladder, or a person, does that).
 */
const MIN_EDGE = 0.25;
const MAX_EDGE = 2;
const HISTORY_DAYS = 252;

/** The unit capital moves in: $100, or 1/10,000 of NAV's order of magnitude when larger ($10k at $100M). */
export function capitalUnit(nav: number): number {
  return nav > 0 ? Math.max(100, 10 ** Math.floor(Math.log10(nav)) * 1e-4) : 100;
}

/** Whether `asOf` starts a new rebalance period since `last`. */
export function rebalanceDue(last: string | null | undefined, asOf: string, every: FundConfig['allocation']['rebalance']): boolean {
  if (!last) return true;
  if (every === 'weekly') return weekOf(asOf) !== weekOf(last);
  const m = (d: string) => Number(d.slice(0, 4)) * 12 + Number(d.slice(5, 7)) - 1;
  return every === 'monthly' ? m(asOf) !== m(last) : Math.floor(m(asOf) / 3) !== Math.floor(m(last) / 3);
}

function weekOf(d: string): number {
  // days since 1970-01-05 (a Monday), in weeks
  return Math.floor((Date.parse(`${d}T00:00:00Z`) / 86_400_000 - 4) / 7);
}

/** The posterior Sharpe ratio: the record's annualised Sharpe shrunk towards the prior by days. */
export function shrunkSharpe(returns: readonly number[], prior: number, priorDays: number): number {
  const n = returns.length;
  if (n < 2) return prior;
  // quant's annualised Sharpe; a record without variance (no book) says nothing about an edge
  const sr = sharpeRatio(returns);
  const observed = Number.isFinite(sr) ? sr : 0;
  return (n * observed + priorDays * prior) / (n + priorDays);
}

/**
 * Today's allocation, or null when nothing moves (not a rebalance day and no unready agent holds
 * capital). Apply it with `applyAllocation`; the cycle moves the cash with it.
 */
export function allocateCapital(x: AllocationInput): Allocation | null {
  const { state, config, asOf } = x;
  const cfg = config.allocation;
  const unready = x.unready ?? new Set<string>();
  const nav = state.capital;
  if (!(nav > 0)) return null;
  const configured = new Set(config.agents.filter((a) => a.enabled).map((a) => a.id));
  const agents = state.agents.filter((a) => configured.has(a.agentId));
  const idle = agents.some((a) => unready.has(a.agentId) && a.equity > 0);
  const due = cfg.method !== 'fixed' && state.tradingState === 'ACTIVE' && rebalanceDue(state.allocatedOn, asOf, cfg.rebalance);
  const reconfigured = configuredChanges(agents, config, unready);
  if (!due && !idle && reconfigured.size === 0) return null;
  const unit = capitalUnit(nav);
  const target = new Map<string, number>();
  const why = new Map<string, string>();
  const est = due ? estimate(agents, unready, config) : null;
  let exAnteVol = 0;
  let tilt = 0;
  if (est && est.ids.length > 0) {
    // capital for the agents with a record: NAV less the reserve, the unready agents and those without one
    let fixed = 0;
    for (const a of agents) if (!unready.has(a.agentId) && !est.ids.includes(a.agentId)) fixed += Math.max(0, a.equity);
    const room = Math.max(0, (1 - cfg.reservePct) * nav - fixed);
    const fitted = fitCapital(est, config, nav, room);
    tilt = fitted.tilt;
    est.ids.forEach((id, i) => {
      target.set(id, fitted.capital[i] ?? 0);
      why.set(id, (est.budgets[i] ?? 0) > 0 ? `risk budget ${((est.budgets[i] ?? 0) * 100).toFixed(1)}% (Sharpe ${(est.sharpe[i] ?? 0).toFixed(2)} shrunk), vol ${((est.vol[i] ?? 0) * 100).toFixed(1)}%` : 'no risk in its record to size by');
    });
  }
  // move part of the way, outside the band; unready agents to nothing
  const moved = new Map<string, number>();
  let freed = 0;
  for (const a of agents) {
    const from = Math.max(0, a.equity);
    if (unready.has(a.agentId)) {
      moved.set(a.agentId, 0);
      why.set(a.agentId, 'cannot trade the loaded market: no capital until it can');
      freed += from;
      continue;
    }
    const change = reconfigured.get(a.agentId);
    if (change) {
      // a person's change of the configured capital moves at once, whatever the method and the day
      moved.set(a.agentId, Math.max(0, from + change.dollars));
      why.set(a.agentId, `configured capital changed from ${money(change.from)} to ${money(change.to)}`);
      continue;
    }
    const t = target.get(a.agentId);
    if (t === undefined) {
      moved.set(a.agentId, from);
      if (!why.has(a.agentId)) why.set(a.agentId, due ? `record shorter than ${cfg.minHistoryDays} days: keeps its capital` : 'not a rebalance day');
      continue;
    }
    let to = Math.abs(t - from) <= cfg.bandPct * from ? from : t === 0 && from <= cfg.minAgentPct * nav ? 0 : from + cfg.smoothing * (t - from);
    if (to !== from) to = Math.floor(to / unit) * unit;
    moved.set(a.agentId, to);
  }
  // capital freed by unready agents goes to the ready ones with capital, pro rata, within their cap
  // (on a rebalance with estimates the targets already used it: the room included it)
  if (freed > 0 && target.size === 0) {
    let others = 0;
    for (const a of agents) if (!unready.has(a.agentId)) others += moved.get(a.agentId) ?? 0;
    spread(moved, agents, unready, Math.min(freed, (1 - cfg.reservePct) * nav - others), cfg.maxAgentPct * nav, unit);
  }
  const shares = est ? riskShares(est, moved) : null;
  // the fund's ex-ante vol as a fraction of NAV (riskShares works in dollars: it was recorded in dollars, read as a fraction)
  if (shares) exAnteVol = shares.vol / nav;
  const out: AgentAllocation[] = agents.map((a) => {
    const i = est ? est.ids.indexOf(a.agentId) : -1;
    return {
      agentId: a.agentId,
      from: Math.max(0, a.equity),
      to: moved.get(a.agentId) ?? Math.max(0, a.equity),
      target: target.get(a.agentId) ?? (unready.has(a.agentId) ? 0 : Math.max(0, a.equity)),
      riskShare: i >= 0 && shares ? (shares.share[i] ?? 0) : null,
      standaloneShare: i >= 0 && est ? standaloneShare(est.vol[i] ?? 0, moved.get(a.agentId) ?? 0, config.risk.targetVolPct * nav) : null,
      vol: i >= 0 && est ? (est.vol[i] ?? null) : null,
      sharpe: i >= 0 && est ? (est.sharpe[i] ?? null) : null,
      why: why.get(a.agentId) ?? '',
    };
  });
  return { asOf, method: cfg.method, rebalanced: due, exAnteVol, tilt, agents: out };
}

function spread(moved: Map<string, number>, agents: readonly AgentBookState[], unready: ReadonlySet<string>, amount: number, cap: number, unit: number): void {
  let left = amount;
  for (let pass = 0; pass < 4 && left >= unit; pass++) {
    let base = 0;
    for (const a of agents) {
      const c = moved.get(a.agentId) ?? 0;
      if (!unready.has(a.agentId) && c > 0 && c < cap) base += c;
    }
    if (!(base > 0)) return;
    let given = 0;
    for (const a of agents) {
      const c = moved.get(a.agentId) ?? 0;
      if (unready.has(a.agentId) || !(c > 0) || c >= cap) continue;
      const add = Math.floor(Math.min(cap - c, (left * c) / base) / unit) * unit;
      moved.set(a.agentId, c + add);
      given += add;
    }
    left -= given;
    if (given === 0) return;
  }
}

/** What the record says about the agents that have one: covariance per dollar, vol, Sharpe, budgets. */
interface Estimate {
  readonly ids: string[];
  /** Daily covariance of returns per dollar, n×n. */
  readonly cov: Float64Array;
  readonly vol: number[];
  readonly sharpe: number[];
  readonly budgets: number[];
  readonly buckets: string[];
  readonly bucketCaps: number[];
  readonly mean: number[];
}

function estimate(agents: readonly AgentBookState[], unready: ReadonlySet<string>, config: FundConfig): Estimate | null {
  const cfg = config.allocation;
  const ready = agents.filter((a) => !unready.has(a.agentId) && a.returns.length >= cfg.minHistoryDays);
  if (ready.length === 0) return null;
  const T = Math.min(HISTORY_DAYS, ...ready.map((a) => a.returns.length));
  const n = ready.length;
  const panel = new Float64Array(T * n);
  const mean: number[] = [];
  ready.forEach((a, j) => {
    const r = a.returns;
    let s = 0;
    for (let t = 0; t < T; t++) {
      const v = r[r.length - T + t] ?? 0;
      panel[t * n + j] = v;
      s += v;
    }
    mean.push(s / T);
  });
  const cov = n === 1 ? single(panel, T) : shrunkCovariance(panel, T, n);
  withPriorRisk(cov, n);
  const byId = new Map(config.agents.map((a) => [a.id, a]));
  const vol: number[] = new Array<number>(n).fill(0);
  const sharpe: number[] = [];
  const budgets: number[] = [];
  const buckets: string[] = [];
  const bucketCaps: number[] = [];
  ready.forEach((a) => {
    const ac = byId.get(a.agentId);
    const sr = shrunkSharpe(a.returns.slice(-T), cfg.priorSharpe, cfg.priorDays);
    sharpe.push(sr);
    const bucket = ac ? agentBucket(ac) : 'committee';
    buckets.push(bucket);
    bucketCaps.push(bucketNamed(config, bucket)?.maxRiskAllocationPct ?? 1);
    const budget = ac ? resolveAgentRisk(config, ac).riskBudgetPct : 0;
    // a book without risk (nothing held through the window) cannot be sized by risk
    budgets.push(budget > 0 ? budget * Math.min(MAX_EDGE, Math.max(MIN_EDGE, sr / cfg.priorSharpe)) : 0);
  });
  for (let j = 0; j < n; j++) vol[j] = Math.sqrt(Math.max(0, cov[j * n + j] ?? 0) * 252);
  return { ids: ready.map((a) => a.agentId), cov, vol, sharpe, budgets, buckets, bucketCaps, mean };
}

/**
 * Covariance with the correlations shrunk (Ledoit–Wolf on the standardised returns, towards no
 * correlation) and each agent's own variance kept: shrinking the covariance itself towards the
 * average variance would give a market-neutral book the vol of a long-only one.
 */
function shrunkCovariance(panel: Float64Array, T: number, n: number): Float64Array {
  const sd = new Float64Array(n);
  const z = new Float64Array(T * n);
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let t = 0; t < T; t++) s += panel[t * n + j] ?? 0;
    const m = s / T;
    let ss = 0;
    for (let t = 0; t < T; t++) ss += ((panel[t * n + j] ?? 0) - m) ** 2;
    sd[j] = Math.sqrt(ss / Math.max(1, T - 1));
    for (let t = 0; t < T; t++) z[t * n + j] = (sd[j] ?? 0) > 0 ? ((panel[t * n + j] ?? 0) - m) / (sd[j] ?? 1) : 0;
  }
  const r = ledoitWolf(z, n).covariance;
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const di = r[i * n + i] ?? 0;
      const dj = r[j * n + j] ?? 0;
      const rho = i === j ? 1 : di > 0 && dj > 0 ? (r[i * n + j] ?? 0) / Math.sqrt(di * dj) : 0;
      out[i * n + j] = rho * (sd[i] ?? 0) * (sd[j] ?? 0);
    }
  }
  return out;
}

/**
 * An agent that held nothing through the window (given no capital a while) has no risk in its
 * record: it is sized as the median agent, uncorrelated, so it can be given capital again.
 */
function withPriorRisk(cov: Float64Array, n: number): void {
  const vars: number[] = [];
  for (let i = 0; i < n; i++) if ((cov[i * n + i] ?? 0) > 0) vars.push(cov[i * n + i] ?? 0);
  if (vars.length === 0) return;
  vars.sort((a, b) => a - b);
  const median = vars[Math.floor(vars.length / 2)] ?? 0;
  for (let i = 0; i < n; i++) if (!((cov[i * n + i] ?? 0) > 0)) cov[i * n + i] = median;
}

function single(panel: Float64Array, T: number): Float64Array {
  return Float64Array.of(T > 1 ? variance(panel.subarray(0, T)) : 0);
}

/** Annualised vol of Σ c_i r_i, dollars. */
function dollarVol(cov: Float64Array, c: ArrayLike<number>, n: number): number {
  let v = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) v += (c[i] as number) * (cov[i * n + j] ?? 0) * (c[j] as number);
  return Math.sqrt(Math.max(0, v) * 252);
}

/** Weights (sum 1) over the agents with a budget, by the method; zero for the others. */
function baseWeights(e: Estimate, config: FundConfig): Float64Array {
  const n = e.ids.length;
  const live = e.budgets.map((b, i) => (b > 0 ? i : -1)).filter((i) => i >= 0);
  const w = new Float64Array(n);
  if (live.length === 0) return w;
  const m = live.length;
  const sub = new Float64Array(m * m);
  for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) sub[a * m + b] = e.cov[(live[a] ?? 0) * n + (live[b] ?? 0)] ?? 0;
  let x: Float64Array;
  if (config.allocation.method === 'kelly') {
    try {
      x = kellyWeights(live.map((i) => e.mean[i] ?? 0), sub, m, config.allocation.kellyFraction).map((v) => Math.max(0, v));
    } catch {
      x = new Float64Array(m).fill(1);
    }
    const s = x.reduce((p, v) => p + v, 0);
    x = s > 0 ? x.map((v) => v / s) : new Float64Array(m).fill(1 / m);
  } else {
    x = equalRiskContribution(sub, m, { budgets: live.map((i) => e.budgets[i] ?? 0) });
  }
  live.forEach((i, k) => {
    w[i] = x[k] ?? 0;
  });
  return w;
}

/**
 * Dollars per agent that bring the fund's ex-ante vol to the target within `room`: the weights
 * scaled up to the target; when room runs out first, tilted towards the volatile books; each agent
 * within its bounds and each bucket within its share of the risk.
 */
function fitCapital(e: Estimate, config: FundConfig, nav: number, room: number): { capital: Float64Array; tilt: number } {
  const n = e.ids.length;
  const cfg = config.allocation;
  const goal = config.risk.targetVolPct * nav;
  const w0 = baseWeights(e, config);
  const tilted = (alpha: number): Float64Array => {
    const w = w0.map((v, i) => v * (e.vol[i] ?? 0) ** alpha);
    const s = w.reduce((p, v) => p + v, 0);
    return s > 0 ? w.map((v) => v / s) : w;
  };
  const atRoom = (w: Float64Array): Float64Array => bounded(w.map((v) => v * room), cfg.maxAgentPct * nav, cfg.minAgentPct * nav);
  const unitVol = dollarVol(e.cov, w0, n);
  if (!(unitVol > 0)) return { capital: new Float64Array(n), tilt: 0 };
  let tilt = 0;
  let c: Float64Array;
  if (goal / unitVol <= room) {
    c = bounded(w0.map((v) => (v * goal) / unitVol), cfg.maxAgentPct * nav, cfg.minAgentPct * nav);
  } else if (dollarVol(e.cov, atRoom(tilted(MAX_TILT)), n) <= goal) {
    tilt = MAX_TILT;
    c = atRoom(tilted(MAX_TILT));
  } else {
    let lo = 0;
    let hi = MAX_TILT;
    for (let k = 0; k < 30; k++) {
      const mid = (lo + hi) / 2;
      if (dollarVol(e.cov, atRoom(tilted(mid)), n) < goal) lo = mid;
      else hi = mid;
    }
    tilt = hi;
    c = atRoom(tilted(hi));
  }
  // bounds may have lifted the total past the room or the vol past the goal: scale back
  const total = c.reduce((p, v) => p + v, 0);
  if (total > room && total > 0) c = c.map((v) => (v * room) / total);
  const vol = dollarVol(e.cov, c, n);
  if (vol > goal && vol > 0) c = c.map((v) => (v * goal) / vol);
  // buckets: a bucket whose risk is above its cap (a share of the fund's target risk, as the
  // overlay's bucket check reads it) gives up capital in proportion
  const fundVol = dollarVol(e.cov, c, n);
  const shares = riskShareOf(e.cov, c, n, fundVol);
  const byBucket = new Map<string, number>();
  e.buckets.forEach((b, i) => byBucket.set(b, (byBucket.get(b) ?? 0) + (shares[i] ?? 0) * fundVol));
  c = c.map((v, i) => {
    const risk = byBucket.get(e.buckets[i] ?? '') ?? 0;
    const cap = (e.bucketCaps[i] ?? 1) * goal;
    return risk > cap && risk > 0 ? (v * cap) / risk : v;
  });
  return { capital: c, tilt };
}

/** Clamps each positive capital to [min, max] (zero stays zero). */
function bounded(c: Float64Array, max: number, min: number): Float64Array {
  return c.map((v) => (v > 0 ? Math.min(max, Math.max(min, v)) : 0));
}

/** Euler risk shares of dollars `c` whose vol is `vol` (quant's risk contributions, sum 1); zeros when there is no risk. */
function riskShareOf(cov: Float64Array, c: ArrayLike<number>, n: number, vol: number): Float64Array {
  return vol > 0 ? riskContributions(c, cov, n) : new Float64Array(n);
}

/** An agent's own vol in dollars (vol per dollar × capital) over the fund's target vol in dollars. */
function standaloneShare(volPerDollar: number, capital: number, goal: number): number {
  return goal > 0 ? (volPerDollar * capital) / goal : 0;
}

/** Each estimated agent's share of the fund's risk at its new capital, and that risk as a fraction of NAV. */
function riskShares(e: Estimate, moved: ReadonlyMap<string, number>): { share: Float64Array; vol: number } {
  const n = e.ids.length;
  const c = Float64Array.from(e.ids, (id) => moved.get(id) ?? 0);
  const vol = dollarVol(e.cov, c, n);
  return { share: riskShareOf(e.cov, c, n, vol), vol };
}

/**
 * The fund state with the allocation applied: each agent's allocated capital and equity at its new
 * capital (the cycle moves the cash between its book and the fund's), its high-water mark scaled
 * with it (a move of capital is not a gain or a loss), its standalone risk (its VaR budget's size); `allocatedOn` on a rebalance.
 */
export function applyAllocation(state: FundState, a: Allocation): FundState {
  const by = new Map(a.agents.map((x) => [x.agentId, x]));
  return {
    ...state,
    allocatedOn: a.rebalanced ? a.asOf : (state.allocatedOn ?? null),
    agents: state.agents.map((s) => {
      const x = by.get(s.agentId);
      if (!x) return s;
      const moved = x.to !== x.from;
      const standaloneRisk = x.standaloneShare ?? s.standaloneRisk;
      if (!moved) return standaloneRisk === undefined ? s : { ...s, standaloneRisk };
      const hwm = s.equity > 0 ? s.highWaterMark * (x.to / s.equity) : x.to;
      return { ...s, allocatedCapital: x.to, equity: x.to, highWaterMark: hwm, ...(standaloneRisk === undefined ? {} : { standaloneRisk }) };
    }),
  };
}

/** Agents whose configured capital changed since the fund last applied it: the dollars to move into each (negative: out). */
function configuredChanges(agents: readonly AgentBookState[], config: FundConfig, unready: ReadonlySet<string>): Map<string, { from: number; to: number; dollars: number }> {
  const out = new Map<string, { from: number; to: number; dollars: number }>();
  const configured = new Map(config.agents.map((c) => [c.id, c.allocatedCapital]));
  for (const a of agents) {
    const to = configured.get(a.agentId);
    const from = a.configuredCapital;
    if (to === undefined || from === undefined || to === from || unready.has(a.agentId)) continue;
    out.set(a.agentId, { from, to, dollars: to - from });
  }
  return out;
}

/** The state with each agent's configured capital as the config gives it (allocation.ts moves a change once). */
export function withConfiguredCapital(state: FundState, config: FundConfig): FundState {
  const cap = new Map(config.agents.map((a) => [a.id, a.allocatedCapital]));
  if (state.agents.every((a) => !cap.has(a.agentId) || a.configuredCapital === cap.get(a.agentId))) return state;
  return { ...state, agents: state.agents.map((a) => { const c = cap.get(a.agentId); return c === undefined || a.configuredCapital === c ? a : { ...a, configuredCapital: c }; }) };
}

function money(x: number): string {
  return `$${Math.round(x).toLocaleString('en-US')}`;
}

/** The cash each agent's book gains (negative: gives back to the fund's book), dollars. */
export function capitalMoves(a: Allocation | null): { agentId: string; dollars: number }[] {
  if (!a) return [];
  return a.agents.filter((x) => x.to !== x.from).map((x) => ({ agentId: x.agentId, dollars: x.to - x.from }));
}
