/**
 * Correlation monitor (seed fund-overlay-plan §2A): rolling pairwise correlations of agents' daily
 * P&L returns, each agent's factor loadings by OLS on factor returns, and crowding.
 */
export interface AgentCorrelations {
  readonly ids: readonly string[];
  /** n×n Pearson correlations over the last `window` common days; NaN when < 10 common days. */
  readonly matrix: Float64Array;
  /** Mean of the finite off-diagonal pairs (NaN if none). */
  readonly average: number;
}

function pearsonTail(a: readonly number[], b: readonly number[], window: number): number {
  const n = Math.min(window, a.length, b.length);
  if (n < 10) return Number.NaN;
  const oa = a.length - n;
  const ob = b.length - n;
  let sa = 0, sb = 0, m = 0;
  for (let k = 0; k < n; k++) {
    const x = a[oa + k] ?? Number.NaN;
    const y = b[ob + k] ?? Number.NaN;
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    sa += x; sb += y; m++;
  }
  if (m < 10) return Number.NaN;
  const ma = sa / m, mb = sb / m;
  let sab = 0, saa = 0, sbb = 0;
  for (let k = 0; k < n; k++) {
    const x = a[oa + k] ?? Number.NaN;
    const y = b[ob + k] ?? Number.NaN;
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    sab += (x - ma) * (y - mb); saa += (x - ma) ** 2; sbb += (y - mb) ** 2;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : Number.NaN;
}

/** Pairwise correlations of the agents' last `window` daily returns (tails aligned). */
export function agentCorrelations(agents: readonly { agentId: string; returns: readonly number[] }[], window: number): AgentCorrelations {
  const n = agents.length;
  const matrix = new Float64Array(n * n);
  let sum = 0;
  let cnt = 0;
  for (let i = 0; i < n; i++) {
    matrix[i * n + i] = 1;
    for (let j = i + 1; j < n; j++) {
      const r = pearsonTail(agents[i]?.returns ?? [], agents[j]?.returns ?? [], window);
      matrix[i * n + j] = r;
      matrix[j * n + i] = r;
      if (Number.isFinite(r)) {
        sum += r;
        cnt++;
      }
    }
  }
  return { ids: agents.map((a) => a.agentId), matrix, average: cnt > 0 ? sum / cnt : Number.NaN };
}

/** Share of the baseline window's days with non-zero P&L an agent needs to count as trading through it (a holiday or a day flat is allowed). */
const TRADED_SHARE = 0.95;

/** True when the agent has `days` returns and non-zero P&L on at least 95% of the last `days`. */
export function tradedThrough(returns: readonly number[], days: number): boolean {
  if (returns.length < days || days <= 0) return false;
  let live = 0;
  for (let k = returns.length - days; k < returns.length; k++) {
    const r = returns[k] ?? 0;
    if (Number.isFinite(r) && r !== 0) live++;
  }
  return live >= TRADED_SHARE * days;
}

/**
 * Correlation *spikes* (issue 15): each pair's correlation over the current window against its own
 * baseline (the same pair over the longer baseline window). Long-only books sit at ρ ≈ 0.95 for
 * years; what signals a crisis is a pair that moves together much more than it usually does.
 */
export interface CorrelationSpikes {
  readonly ids: readonly string[];
  /** n×n correlations over the current window (as `AgentCorrelations.matrix`). */
  readonly current: Float64Array;
  /** n×n correlations over the baseline window; NaN for a pair that is not eligible (either agent did not trade through it). */
  readonly baseline: Float64Array;
  /** Means over eligible pairs with both figures finite, of the current and the baseline correlation (NaN if none). */
  readonly averageCurrent: number;
  readonly averageBaseline: number;
  /** Eligible pairs counted in the averages. */
  readonly pairs: number;
}

/** Current and baseline correlations of every pair; only pairs of agents that both traded through the baseline window get a baseline. */
export function correlationSpikes(
  agents: readonly { agentId: string; returns: readonly number[] }[],
  window: number,
  baselineWindow: number,
  current: AgentCorrelations = agentCorrelations(agents, window),
): CorrelationSpikes {
  const n = agents.length;
  const baseline = new Float64Array(n * n).fill(Number.NaN);
  const traded = agents.map((a) => tradedThrough(a.returns, baselineWindow));
  let sc = 0, sb = 0, cnt = 0;
  for (let i = 0; i < n; i++) {
    baseline[i * n + i] = 1;
    for (let j = i + 1; j < n; j++) {
      if (!traded[i] || !traded[j]) continue;
      const rb = pearsonTail(agents[i]?.returns ?? [], agents[j]?.returns ?? [], baselineWindow);
      baseline[i * n + j] = rb;
      baseline[j * n + i] = rb;
      const rc = current.matrix[i * n + j] ?? Number.NaN;
      if (Number.isFinite(rb) && Number.isFinite(rc)) {
        sc += rc; sb += rb; cnt++;
      }
    }
  }
  return { ids: current.ids, current: current.matrix, baseline, averageCurrent: cnt > 0 ? sc / cnt : Number.NaN, averageBaseline: cnt > 0 ? sb / cnt : Number.NaN, pairs: cnt };
}

/** The pair of agent `i` with the largest spike that counts: current − baseline > delta and current > shock; null when none. */
export function worstSpike(s: CorrelationSpikes, i: number, delta: number, shock: number): { with: string; current: number; baseline: number } | null {
  const n = s.ids.length;
  let best: { with: string; current: number; baseline: number } | null = null;
  for (let j = 0; j < n; j++) {
    if (j === i) continue;
    const rc = s.current[i * n + j] ?? Number.NaN;
    const rb = s.baseline[i * n + j] ?? Number.NaN;
    if (!(rc - rb > delta) || !(rc > shock)) continue;
    if (best === null || rc > best.current) best = { with: s.ids[j] ?? '', current: rc, baseline: rb };
  }
  return best;
}

/** OLS loadings of y on the columns of X (T×K, row-major) with an intercept; tails aligned. */
export function regress(y: readonly number[], X: Float64Array, K: number): { alpha: number; betas: Float64Array; r2: number } {
  const T = Math.min(y.length, X.length / K);
  const P = K + 1;
  const A = new Float64Array(P * P);
  const b = new Float64Array(P);
  const oy = y.length - T;
  const ox = X.length / K - T;
  let n = 0, sy = 0, syy = 0;
  const row = new Float64Array(P);
  for (let t = 0; t < T; t++) {
    const yt = y[oy + t] ?? Number.NaN;
    row[0] = 1;
    let ok = Number.isFinite(yt);
    for (let k = 0; k < K; k++) {
      const v = X[(ox + t) * K + k] ?? Number.NaN;
      row[k + 1] = v;
      if (!Number.isFinite(v)) ok = false;
    }
    if (!ok) continue;
    n++; sy += yt; syy += yt * yt;
    for (let i = 0; i < P; i++) {
      b[i] = (b[i] ?? 0) + (row[i] ?? 0) * yt;
      for (let j = 0; j < P; j++) A[i * P + j] = (A[i * P + j] ?? 0) + (row[i] ?? 0) * (row[j] ?? 0);
    }
  }
  const coef = solve(A, b, P);
  if (!coef || n <= P) return { alpha: Number.NaN, betas: new Float64Array(K).fill(Number.NaN), r2: Number.NaN };
  let sse = 0;
  for (let t = 0; t < T; t++) {
    const yt = y[oy + t] ?? Number.NaN;
    let fit = coef[0] ?? 0;
    let ok = Number.isFinite(yt);
    for (let k = 0; k < K; k++) {
      const v = X[(ox + t) * K + k] ?? Number.NaN;
      if (!Number.isFinite(v)) ok = false;
      fit += (coef[k + 1] ?? 0) * v;
    }
    if (ok) sse += (yt - fit) ** 2;
  }
  const sst = syy - (sy * sy) / n;
  return { alpha: coef[0] ?? 0, betas: coef.slice(1), r2: sst > 0 ? 1 - sse / sst : Number.NaN };
}

/** Gaussian elimination with partial pivoting; null when singular. */
function solve(A0: Float64Array, b0: Float64Array, n: number): Float64Array | null {
  const A = A0.slice();
  const b = b0.slice();
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(A[r * n + c] ?? 0) > Math.abs(A[p * n + c] ?? 0)) p = r;
    const piv = A[p * n + c] ?? 0;
    if (Math.abs(piv) < 1e-14) return null;
    if (p !== c) {
      for (let k = 0; k < n; k++) {
        const t = A[c * n + k] ?? 0;
        A[c * n + k] = A[p * n + k] ?? 0;
        A[p * n + k] = t;
      }
      const t = b[c] ?? 0;
      b[c] = b[p] ?? 0;
      b[p] = t;
    }
    for (let r = c + 1; r < n; r++) {
      const f = (A[r * n + c] ?? 0) / piv;
      if (f === 0) continue;
      for (let k = c; k < n; k++) A[r * n + k] = (A[r * n + k] ?? 0) - f * (A[c * n + k] ?? 0);
      b[r] = (b[r] ?? 0) - f * (b[c] ?? 0);
    }
  }
  const x = new Float64Array(n);
  for (let r = n - 1; r >= 0; r--) {
    let acc = b[r] ?? 0;
    for (let k = r + 1; k < n; k++) acc -= (A[r * n + k] ?? 0) * (x[k] ?? 0);
    x[r] = acc / (A[r * n + r] ?? 1);
  }
  return x;
}

/** A recommended fund action (seed §2A recommend_actions), as data. */
export interface CorrelationAction {
  readonly kind: 'REDUCE_CLUSTER_CAPITAL' | 'FORCE_DERISK' | 'GATE_CROWDED_NAME';
  readonly agents: readonly string[];
  readonly symbol: string | null;
  readonly value: number;
  readonly message: string;
}

/** Recommendations from correlations and crowding. */
export function recommendActions(
  corr: AgentCorrelations,
  crowded: readonly { symbol: string; agents: readonly string[] }[],
  pairLimit: number,
  averageLimit: number,
): CorrelationAction[] {
  const out: CorrelationAction[] = [];
  const n = corr.ids.length;
  if (corr.average > averageLimit) {
    out.push({ kind: 'FORCE_DERISK', agents: corr.ids, symbol: null, value: corr.average, message: `average agent correlation ${corr.average.toFixed(2)} > ${averageLimit}: de-risk the fund` });
  }
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const r = corr.matrix[i * n + j] ?? Number.NaN;
      if (r > pairLimit) {
        const a = corr.ids[i] ?? '';
        const b = corr.ids[j] ?? '';
        out.push({ kind: 'REDUCE_CLUSTER_CAPITAL', agents: [a, b], symbol: null, value: r, message: `${a} and ${b} move together (ρ = ${r.toFixed(2)}): reduce the cluster's capital` });
      }
    }
  }
  for (const c of crowded) {
    out.push({ kind: 'GATE_CROWDED_NAME', agents: c.agents, symbol: c.symbol, value: c.agents.length, message: `${c.agents.length} agents hold ${c.symbol} on the same side: gate new positions` });
  }
  return out;
}
