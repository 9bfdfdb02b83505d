import { HEDGE_BOOK } from '../contracts/index.ts';
import type { SparseBook } from './risk-math.ts';
import type { Universe } from './universe.ts';
import type { Workspace } from './work.ts';

/**
 * The running fund book during one review: books already approved this cycle plus the current
 * books of agents that did not propose. Per name and per sector, long and short dollars are kept
 * apart, so scaling any agent toward zero can never push a fund limit over (no netting credit).
 *
 * The fund's hedge book (`HEDGE_BOOK`: an index or sector instrument sized against the whole
 * fund) counts in the net per name (so in fund VaR, beta and net exposure) and in the gross, not in
 * the single-name and sector long/short sums nor in Σ |net| of the books: it is not a name or a
 * sector bet, and counting its size there would scale the agents down for being hedged.
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

  /** `arrays`: zeroed storage of 3·N + 2·S entries to work in (default: its own). */
  constructor(
    private readonly u: Universe,
    arrays: Float64Array = new Float64Array(3 * u.N + 2 * u.sectorNames.length),
    private readonly ws: Workspace | null = null,
  ) {
    const N = u.N;
    const S = u.sectorNames.length;
    this.long = arrays.subarray(0, N);
    this.short = arrays.subarray(N, 2 * N);
    this.net = arrays.subarray(2 * N, 3 * N);
    this.sectorLong = arrays.subarray(3 * N, 3 * N + S);
    this.sectorShort = arrays.subarray(3 * N + S, 3 * N + 2 * S);
  }

  /** A ledger for one review that works in reused arrays: valid until the next review (nothing the review returns points into them). */
  static forReview(u: Universe, ws: Workspace): FundLedger {
    return new FundLedger(u, ws.f64('ledger.arrays', 3 * u.N + 2 * u.sectorNames.length), ws);
  }

  add(agentId: string, book: SparseBook): void {
    this.books.set(agentId, book);
    this.apply(book, 1, agentId === HEDGE_BOOK);
  }

  remove(agentId: string): void {
    const b = this.books.get(agentId);
    if (!b) return;
    this.apply(b, -1, agentId === HEDGE_BOOK);
    this.books.delete(agentId);
  }

  private apply(book: SparseBook, sign: number, isHedge: boolean): void {
    let gross = 0;
    let net = 0;
    for (let i = 0; i < book.idx.length; i++) {
      const u = book.idx[i] ?? 0;
      const v = book.val[i] ?? 0;
      const s = this.u.sector[u] ?? 0;
      gross += Math.abs(v);
      net += v;
      this.net[u] = (this.net[u] ?? 0) + sign * v;
      if (isHedge) continue;
      if (v > 0) {
        this.long[u] = (this.long[u] ?? 0) + sign * v;
        this.sectorLong[s] = (this.sectorLong[s] ?? 0) + sign * v;
      } else {
        this.short[u] = (this.short[u] ?? 0) - sign * v;
        this.sectorShort[s] = (this.sectorShort[s] ?? 0) - sign * v;
      }
    }
    this.sumGross += sign * gross;
    if (!isHedge) this.sumAbsNet += sign * Math.abs(net);
  }

  /**
   * s ↦ sum of the `n` largest per-name exposures max(long, short) in dollars once `extra` (scaled
   * by s) is added. The names outside `extra` are ranked once, so each evaluation is O(|extra|·n).
   * `extra` is read at each evaluation.
   */
  topNWith(n: number, extra: SparseBook): TopN {
    return new TopN(this.long, this.short, n, extra, this.ws?.i32('ledger.inExtra', this.long.length) ?? new Int32Array(this.long.length));
  }
}

/** See FundLedger.topNWith. */
export class TopN {
  private readonly base: Float64Array;
  private readonly buf: Float64Array;

  constructor(
    private readonly long: Float64Array,
    private readonly short: Float64Array,
    private readonly n: number,
    private readonly extra: SparseBook,
    /** N zeroed ints to mark the names of `extra` in. */
    inExtra: Int32Array,
  ) {
    const N = long.length;
    for (let i = 0; i < extra.idx.length; i++) inExtra[extra.idx[i] ?? 0] = 1;
    this.base = new Float64Array(n); // descending top-n of names outside extra
    for (let u = 0; u < N; u++) {
      if (inExtra[u] === 1) continue;
      insertTop(this.base, Math.max(long[u] ?? 0, short[u] ?? 0));
    }
    this.buf = new Float64Array(n);
  }

  at(s: number): number {
    const { buf, extra, long, short, n } = this;
    buf.set(this.base);
    for (let i = 0; i < extra.idx.length; i++) {
      const u = extra.idx[i] ?? 0;
      const v = (extra.val[i] ?? 0) * s;
      insertTop(buf, Math.max((long[u] ?? 0) + (v > 0 ? v : 0), (short[u] ?? 0) + (v < 0 ? -v : 0)));
    }
    let acc = 0;
    for (let k = 0; k < n; k++) acc += buf[k] ?? 0;
    return acc;
  }
}

/** Inserts x into a descending fixed-size array of the largest values seen. */
function insertTop(top: Float64Array, x: number): void {
  const n = top.length;
  if (n === 0 || !(x > (top[n - 1] ?? 0))) return;
  let k = n - 1;
  while (k > 0 && (top[k - 1] ?? 0) < x) {
    top[k] = top[k - 1] ?? 0;
    k--;
  }
  top[k] = x;
}
