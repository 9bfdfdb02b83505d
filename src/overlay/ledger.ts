import type { SparseBook } from './risk-math.ts';
import type { Universe } from './universe.ts';

/**
 * The running fund book during one review: books already approved this cycle plus the current
 * books of agents that did not propose. Per name and per sector, long and short dollars are kept
 * apart, so scaling any agent toward zero can never push a fund limit over (no netting credit).
 */
export class FundLedger {
  readonly long: Float64Array;
  readonly short: Float64Array;
  readonly sectorLong: Float64Array;
  readonly sectorShort: Float64Array;
  /** Net dollars per name. */
  readonly net: Float64Array;
  /** Σ over agents of gross and of |net| dollars. */
  sumGross = 0;
  sumAbsNet = 0;
  readonly books = new Map<string, SparseBook>();

  constructor(private readonly u: Universe) {
    this.long = new Float64Array(u.N);
    this.short = new Float64Array(u.N);
    this.net = new Float64Array(u.N);
    this.sectorLong = new Float64Array(u.sectorNames.length);
    this.sectorShort = new Float64Array(u.sectorNames.length);
  }

  add(agentId: string, book: SparseBook): void {
    this.books.set(agentId, book);
    this.apply(book, 1);
  }

  remove(agentId: string): void {
    const b = this.books.get(agentId);
    if (!b) return;
    this.apply(b, -1);
    this.books.delete(agentId);
  }

  private apply(book: SparseBook, sign: number): void {
    let gross = 0;
    let net = 0;
    for (let i = 0; i < book.idx.length; i++) {
      const u = book.idx[i] ?? 0;
      const v = book.val[i] ?? 0;
      const s = this.u.sector[u] ?? 0;
      gross += Math.abs(v);
      net += v;
      this.net[u] = (this.net[u] ?? 0) + sign * v;
      if (v > 0) {
        this.long[u] = (this.long[u] ?? 0) + sign * v;
        this.sectorLong[s] = (this.sectorLong[s] ?? 0) + sign * v;
      } else {
        this.short[u] = (this.short[u] ?? 0) - sign * v;
        this.sectorShort[s] = (this.sectorShort[s] ?? 0) - sign * v;
      }
    }
    this.sumGross += sign * gross;
    this.sumAbsNet += sign * Math.abs(net);
  }

  /** Sum of the `n` largest per-name exposures max(long, short), dollars; optionally with `extra` added. */
  topN(n: number, extra?: SparseBook, scale = 1): number {
    const N = this.long.length;
    const sideMax = new Float64Array(N);
    for (let u = 0; u < N; u++) sideMax[u] = Math.max(this.long[u] ?? 0, this.short[u] ?? 0);
    if (extra) {
      for (let i = 0; i < extra.idx.length; i++) {
        const u = extra.idx[i] ?? 0;
        const v = (extra.val[i] ?? 0) * scale;
        const l = (this.long[u] ?? 0) + (v > 0 ? v : 0);
        const s = (this.short[u] ?? 0) + (v < 0 ? -v : 0);
        sideMax[u] = Math.max(l, s);
      }
    }
    sideMax.sort();
    let acc = 0;
    for (let k = 0; k < n && k < N; k++) acc += sideMax[N - 1 - k] ?? 0;
    return acc;
  }
}

/** Gross and net dollars of a sparse book. */
export function grossNet(book: SparseBook): { gross: number; net: number } {
  let gross = 0;
  let net = 0;
  for (let i = 0; i < book.val.length; i++) {
    const v = book.val[i] ?? 0;
    gross += Math.abs(v);
    net += v;
  }
  return { gross, net };
}
