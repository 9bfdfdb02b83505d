import type { RiskDriver } from '../contracts/index.ts';
import type { RiskModel } from './factor-model-local.ts';
import type { SparseBook } from './risk-math.ts';
import { table } from './table.ts';
import { DRIVER_SENSITIVITY, HISTORICAL_SCENARIOS, SEED_SCENARIOS, type StressScenario } from './stress-scenarios.ts';

/** Per-name style loadings used by factor shocks: momentum and value in [-1, 1] (0 when unknown). */
export interface StyleLoadings {
  readonly momentum: Float64Array;
  readonly value: Float64Array;
}

export interface StressBook {
  readonly agentId: string;
  readonly book: SparseBook;
  readonly drivers: readonly RiskDriver[];
}

export interface StressResult {
  readonly scenario: string;
  readonly kind: StressScenario['kind'];
  /** P&L in dollars (negative = loss) and as a fraction of fund capital. */
  readonly fundPnl: number;
  readonly fundPnlPct: number;
  readonly perAgent: Readonly<Record<string, number>>;
}

export interface StressReport {
  readonly results: readonly StressResult[];
  readonly worst: StressResult | null;
  /** Agent pairs that lose together: scenarios where both lose, and their summed losses (dollars, negative). */
  readonly jointLosses: readonly { agents: readonly [string, string]; scenarios: number; jointPnl: number }[];
  readonly text: string;
}

/** A replay of the worst `days`-long window of the model's market history, applying each name's own returns. */
export interface ReplayWindow {
  readonly name: string;
  readonly start: number;
  readonly days: number;
  readonly marketReturn: number;
  /** Compounded return per model name over the window (β × market where the name has no data). */
  readonly nameReturns: Float64Array;
}

/** Finds the worst window of each length in the model's market returns and prepares the per-name replay returns. */
export function worstWindows(model: RiskModel, lengths: readonly number[]): ReplayWindow[] {
  const out: ReplayWindow[] = [];
  const m = model.marketReturns;
  for (const L of lengths) {
    if (L > model.T) continue;
    let best = Number.POSITIVE_INFINITY;
    let bestStart = -1;
    let acc = 0;
    for (let k = 0; k < model.T; k++) {
      acc += Math.log1p(Number.isFinite(m[k] ?? Number.NaN) ? (m[k] ?? 0) : 0);
      if (k >= L) acc -= Math.log1p(Number.isFinite(m[k - L] ?? Number.NaN) ? (m[k - L] ?? 0) : 0);
      if (k >= L - 1 && acc < best) {
        best = acc;
        bestStart = k - L + 1;
      }
    }
    if (bestStart < 0) continue;
    const nameReturns = new Float64Array(model.N);
    for (let u = 0; u < model.N; u++) {
      let g = 1;
      for (let k = bestStart; k < bestStart + L; k++) {
        const e = model.residuals[u * model.T + k] ?? Number.NaN;
        const mk = m[k] ?? Number.NaN;
        const bm = Number.isFinite(mk) ? (model.beta[u] ?? 1) * mk : 0;
        g *= 1 + (Number.isFinite(e) ? e + bm : bm);
      }
      nameReturns[u] = g - 1;
    }
    out.push({ name: `replay_worst_${L}d`, start: bestStart, days: L, marketReturn: Math.expm1(best), nameReturns });
  }
  return out;
}

function factorPnl(s: StressScenario, b: StressBook, model: RiskModel, style: StyleLoadings): number {
  const eq = s.factorShocks.equity_beta ?? 0;
  const mo = s.factorShocks.momentum_factor ?? 0;
  const va = s.factorShocks.value_factor ?? 0;
  let pnl = 0;
  let gross = 0;
  for (let i = 0; i < b.book.idx.length; i++) {
    const u = b.book.idx[i] ?? 0;
    const x = b.book.val[i] ?? 0;
    gross += Math.abs(x);
    pnl += x * ((model.beta[u] ?? 1) * eq + (style.momentum[u] ?? 0) * mo + (style.value[u] ?? 0) * va);
  }
  for (const [factor, shock] of Object.entries(s.factorShocks)) {
    const sens = DRIVER_SENSITIVITY[factor];
    if (!sens) continue;
    for (const d of b.drivers) pnl += gross * shock * (sens[d] ?? 0);
  }
  return pnl;
}

/** Runs the seed, historical and replay scenarios on the agents' books; capital in dollars. */
export function runStress(books: readonly StressBook[], model: RiskModel, style: StyleLoadings, capital: number, replays: readonly ReplayWindow[]): StressReport {
  const results: StressResult[] = [];
  for (const s of [...SEED_SCENARIOS, ...HISTORICAL_SCENARIOS]) {
    const perAgent = table<number>();
    let fund = 0;
    for (const b of books) {
      const p = factorPnl(s, b, model, style);
      perAgent[b.agentId] = p;
      fund += p;
    }
    results.push({ scenario: s.name, kind: s.kind, fundPnl: fund, fundPnlPct: fund / capital, perAgent });
  }
  for (const w of replays) {
    const perAgent = table<number>();
    let fund = 0;
    for (const b of books) {
      let p = 0;
      for (let i = 0; i < b.book.idx.length; i++) p += (b.book.val[i] ?? 0) * (w.nameReturns[b.book.idx[i] ?? 0] ?? 0);
      perAgent[b.agentId] = p;
      fund += p;
    }
    results.push({ scenario: w.name, kind: 'replay', fundPnl: fund, fundPnlPct: fund / capital, perAgent });
  }
  let worst: StressResult | null = null;
  for (const r of results) if (!worst || r.fundPnl < worst.fundPnl) worst = r;
  const jointLosses: { agents: readonly [string, string]; scenarios: number; jointPnl: number }[] = [];
  for (let i = 0; i < books.length; i++) {
    for (let j = i + 1; j < books.length; j++) {
      const a = books[i]?.agentId ?? '';
      const b = books[j]?.agentId ?? '';
      let n = 0;
      let joint = 0;
      for (const r of results) {
        const pa = r.perAgent[a] ?? 0;
        const pb = r.perAgent[b] ?? 0;
        if (pa < 0 && pb < 0) {
          n++;
          joint += pa + pb;
        }
      }
      if (n > 0) jointLosses.push({ agents: [a, b], scenarios: n, jointPnl: joint });
    }
  }
  jointLosses.sort((x, y) => x.jointPnl - y.jointPnl || x.agents[0].localeCompare(y.agents[0]) || x.agents[1].localeCompare(y.agents[1]));
  const top = jointLosses.slice(0, 10);
  return { results, worst, jointLosses: top, text: stressText(results, worst, top, capital) };
}

function money(x: number): string {
  const digits = String(Math.abs(Math.round(x)));
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ',';
    out += digits[i] ?? '';
  }
  return `${x < 0 ? '-' : ''}$${out}`;
}

function stressText(results: readonly StressResult[], worst: StressResult | null, joint: StressReport['jointLosses'], capital: number): string {
  const lines = ['Fund stress test', ''];
  for (const r of results) lines.push(`${r.scenario.padEnd(24)} ${money(r.fundPnl).padStart(16)}  ${(r.fundPnlPct * 100).toFixed(2).padStart(7)}% of ${money(capital)}`);
  lines.push('');
  if (worst) {
    const agents = Object.entries(worst.perAgent).sort((a, b) => a[1] - b[1]).slice(0, 3);
    lines.push(`Worst case: ${worst.scenario}, ${money(worst.fundPnl)} (${(worst.fundPnlPct * 100).toFixed(2)}%); biggest losers: ${agents.map(([id, p]) => `${id} ${money(p)}`).join(', ') || 'none'}.`);
  }
  if (joint.length > 0) {
    lines.push('Agents that lose together:');
    for (const j of joint.slice(0, 5)) lines.push(`  ${j.agents[0]} + ${j.agents[1]}: both lose in ${j.scenarios} scenarios, ${money(j.jointPnl)} together`);
  }
  return lines.join('\n');
}
