import type { Fundamentals } from '../../contracts/index.ts';
import { growth, num, type FundamentalsCross } from '../fundamentals-cross.ts';
import type { Feature, RowData, StateShape } from './incremental.ts';

/**
 * Point-in-time fundamentals per name, re-read on a staggered schedule: name u is refreshed on
 * rows where (row + u) % refreshDays === 0, so a new release is seen within `refreshDays` rows and
 * each row costs U / refreshDays reads (MarketView.fundamentals is a linear scan per call).
 * With `lastOnly` (the state is a snapshot, nobody needs its past), a replay reads each name only
 * at its last refresh row, which gives the same state as stepping row by row.
 * Growth is YoY: the latest record against the one visible 252 rows earlier.
 */
export class FundamentalsFeature implements Feature, FundamentalsCross {
  count = 0;
  pe = new Float64Array(0);
  pb = new Float64Array(0);
  dividendYield = new Float64Array(0);
  quality = new Float64Array(0);
  value = new Float64Array(0);
  epsGrowth = new Float64Array(0);
  revenueGrowth = new Float64Array(0);
  cashFlowGrowth = new Float64Array(0);
  private has = new Uint8Array(0);

  constructor(
    readonly o: { readonly withGrowth: boolean; readonly refreshDays: number; readonly lastOnly: boolean; readonly lagRows?: number },
  ) {}

  reset(s: StateShape): void {
    const mk = () => new Float64Array(s.U).fill(Number.NaN);
    this.pe = mk();
    this.pb = mk();
    this.dividendYield = mk();
    this.quality = mk();
    this.value = mk();
    this.epsGrowth = mk();
    this.revenueGrowth = mk();
    this.cashFlowGrowth = mk();
    this.has = new Uint8Array(s.U);
    this.count = 0;
  }

  step(d: RowData): void {
    const N = this.o.refreshDays;
    if (this.o.lastOnly && d.row <= d.target - N) return;
    const lag = this.o.lagRows ?? 252;
    const past = this.o.withGrowth && d.row >= lag ? d.view.at(d.row - lag) : null;
    const U = this.pe.length;
    for (let u = (N - (d.row % N)) % N; u < U; u += N) {
      const f: Fundamentals | undefined = d.view.fundamentals(u);
      if (!f) {
        if (this.has[u]) {
          this.has[u] = 0;
          this.count--;
        }
        continue;
      }
      if (!this.has[u]) {
        this.has[u] = 1;
        this.count++;
      }
      this.pe[u] = num(f.pe);
      this.pb[u] = num(f.pb);
      this.dividendYield[u] = num(f.dividendYield);
      this.quality[u] = num(f.quality);
      this.value[u] = num(f.value);
      const g = past?.fundamentals(u);
      const ok = g !== undefined && g.periodEnd !== f.periodEnd;
      this.epsGrowth[u] = ok ? growth(f.eps, g.eps) : Number.NaN;
      this.revenueGrowth[u] = ok ? growth(f.revenue, g.revenue) : Number.NaN;
      this.cashFlowGrowth[u] = ok ? growth(f.cashFlow, g.cashFlow) : Number.NaN;
    }
  }
}
