/**
 * Benchmark harness. Method: each case runs `warmup` times untimed, then `runs` timed samples;
 * we report the median and p99 per operation. Cases within a suite run interleaved round by
 * round, so machine noise hits them alike. No timings ever live in unit tests.
 */
export interface BenchCase {
  /** Short name, e.g. `sample covariance U=500`. */
  readonly name: string;
  /** Called once before timing; its result is passed to `run`. */
  setup?(): unknown | Promise<unknown>;
  /** The timed operation. Return a value so it is not optimised away. */
  run(state: unknown): unknown | Promise<unknown>;
  /** Called once after the suite (close connections, stop child processes). */
  teardown?(state: unknown): unknown;
  /**
   * When set, the case times itself: `run` returns the milliseconds it measured (e.g. a child
   * process reporting the part that is the operation, without its start-up).
   */
  readonly selfTimed?: boolean;
  /** Operations performed by one `run` call (e.g. orders), for throughput. Default 1. */
  readonly opsPerRun?: number;
  /** Optional reference figure to print beside ours (e.g. `numpy 7 ms`). */
  readonly baseline?: string;
  readonly warmup?: number;
  readonly runs?: number;
}

export interface BenchSuite {
  readonly name: string;
  readonly cases: readonly BenchCase[];
}

export interface BenchResult {
  suite: string;
  name: string;
  medianMs: number;
  p99Ms: number;
  minMs: number;
  runs: number;
  opsPerSec: number;
  baseline?: string;
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] ?? Number.NaN;
  const b = sorted[hi] ?? Number.NaN;
  return a + (b - a) * (pos - lo);
}

export async function runSuite(suite: BenchSuite, onProgress?: (msg: string) => void): Promise<BenchResult[]> {
  const states = new Map<BenchCase, unknown>();
  for (const c of suite.cases) {
    onProgress?.(`${suite.name}: setting up ${c.name}`);
    states.set(c, c.setup ? await c.setup() : undefined);
    for (let i = 0; i < (c.warmup ?? 3); i++) await c.run(states.get(c));
  }
  const samples = new Map<BenchCase, number[]>(suite.cases.map((c) => [c, []]));
  const maxRuns = Math.max(...suite.cases.map((c) => c.runs ?? 15));
  for (let r = 0; r < maxRuns; r++) {
    for (const c of suite.cases) {
      if (r >= (c.runs ?? 15)) continue;
      const t0 = process.hrtime.bigint();
      const ran = await c.run(states.get(c));
      const dt = Number(process.hrtime.bigint() - t0) / 1e6;
      samples.get(c)?.push(c.selfTimed ? Number(ran) : dt);
    }
  }
  for (const c of suite.cases) await c.teardown?.(states.get(c));
  return suite.cases.map((c) => {
    const s = (samples.get(c) ?? []).slice().sort((a, b) => a - b);
    const median = quantile(s, 0.5);
    const result: BenchResult = {
      suite: suite.name,
      name: c.name,
      medianMs: median,
      p99Ms: quantile(s, 0.99),
      minMs: s[0] ?? Number.NaN,
      runs: s.length,
      opsPerSec: ((c.opsPerRun ?? 1) * 1000) / median,
    };
    if (c.baseline) result.baseline = c.baseline;
    return result;
  });
}

export function formatTable(results: readonly BenchResult[]): string {
  const rows = results.map((r) => [
    r.suite,
    r.name,
    r.medianMs < 1 ? r.medianMs.toFixed(4) : r.medianMs.toFixed(2),
    r.p99Ms < 1 ? r.p99Ms.toFixed(4) : r.p99Ms.toFixed(2),
    r.opsPerSec >= 1000 ? Math.round(r.opsPerSec).toLocaleString('en-US') : r.opsPerSec.toFixed(1),
    r.baseline ?? '',
  ]);
  const header = ['suite', 'case', 'median ms', 'p99 ms', 'ops/s', 'baseline'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const fmt = (row: string[]) => row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(' | ');
  return [fmt(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map(fmt)].join('\n');
}
