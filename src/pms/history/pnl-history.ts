/**
 * Daily P&L series by fund, agent and name, from NAV snapshots and average-cost position
 * snapshots. Money is summed in integer cents so fund = Σ agents = Σ names exactly, each day.
 */
import { toCents } from '../../core/index.ts';

/** End-of-day NAV (dollars) and the external cash flow that day (subscriptions +, redemptions −). */
export interface NavSnapshot {
  readonly date: string;
  readonly nav: number;
  readonly netFlow?: number;
}

export interface DailyPnl {
  readonly date: string;
  readonly pnlCents: number;
  readonly pnl: number;
}

export interface DailyFundPnl extends DailyPnl {
  /** pnl / previous NAV (simple daily return, flows excluded). */
  readonly return: number;
}

/** Daily fund P&L from consecutive NAV snapshots: pnl_t = NAV_t − NAV_{t−1} − flow_t (sorted by date; the first is the base). */
export function fundPnlFromNav(navs: readonly NavSnapshot[]): DailyFundPnl[] {
  const s = [...navs].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const out: DailyFundPnl[] = [];
  for (let i = 1; i < s.length; i++) {
    const prev = s[i - 1] as NavSnapshot;
    const cur = s[i] as NavSnapshot;
    const pnlCents = (toCents(cur.nav) as number) - (toCents(prev.nav) as number) - (toCents(cur.netFlow ?? 0) as number);
    out.push({ date: cur.date, pnlCents, pnl: pnlCents / 100, return: prev.nav !== 0 ? pnlCents / 100 / prev.nav : Number.NaN });
  }
  return out;
}

/** One holding at the end of a day: signed qty, average cost and closing price (dollars), cumulative realised P&L (dollars, fees included). */
export interface PositionSnapshot {
  readonly date: string;
  readonly agentId: string;
  readonly symbol: string;
  readonly qty: number;
  readonly avgCost: number;
  readonly price: number;
  readonly realizedPnl: number;
}

export interface PnlHistory {
  /** Dates with a P&L (all snapshot dates but the first, which is the base). */
  readonly dates: string[];
  readonly fund: DailyPnl[];
  readonly byAgent: Readonly<Record<string, DailyPnl[]>>;
  readonly byName: Readonly<Record<string, DailyPnl[]>>;
}

/** Cumulative P&L of a holding in cents: realised + qty·(price − avgCost). */
const totalCents = (p: PositionSnapshot): number => (toCents(p.realizedPnl) as number) + (toCents(p.qty * (p.price - p.avgCost)) as number);

/**
 * Daily P&L by fund, agent and name from position snapshots: a holding's P&L on day t is the
 * change in its cumulative (realised + unrealised) P&L. A holding first seen on day t starts from
 * 0. A holding missing on a later day contributes nothing (its P&L since the last mark is
 * unknowable): a holding that closes should appear on its closing day with qty 0 and its final
 * realised P&L. Series cover every date after the first snapshot date, zeros included.
 */
export function pnlHistory(snapshots: readonly PositionSnapshot[]): PnlHistory {
  const dates = [...new Set(snapshots.map((s) => s.date))].sort();
  const byDate = new Map<string, PositionSnapshot[]>();
  for (const s of snapshots) byDate.set(s.date, [...(byDate.get(s.date) ?? []), s]);
  const key = (s: { agentId: string; symbol: string }): string => `${s.agentId}\u0000${s.symbol}`;
  // Last cumulative P&L (cents) per holding.
  const last = new Map<string, { agentId: string; symbol: string; total: number }>();
  const fund: DailyPnl[] = [];
  const agents = new Map<string, Map<string, number>>();
  const names = new Map<string, Map<string, number>>();
  const bump = (m: Map<string, Map<string, number>>, k: string, date: string, c: number): void => {
    const row = m.get(k) ?? new Map<string, number>();
    row.set(date, (row.get(date) ?? 0) + c);
    m.set(k, row);
  };
  dates.forEach((date, di) => {
    const today = new Map((byDate.get(date) ?? []).map((s) => [key(s), s]));
    let fundCents = 0;
    const keys = new Set([...last.keys(), ...today.keys()]);
    for (const k of keys) {
      const s = today.get(k);
      const prev = last.get(k);
      const total = s ? totalCents(s) : (prev?.total ?? 0);
      const agentId = s?.agentId ?? prev?.agentId ?? '';
      const symbol = s?.symbol ?? prev?.symbol ?? '';
      if (di > 0) {
        const d = total - (prev?.total ?? 0);
        fundCents += d;
        bump(agents, agentId, date, d);
        bump(names, symbol, date, d);
      }
      last.set(k, { agentId, symbol, total });
    }
    if (di > 0) fund.push({ date, pnlCents: fundCents, pnl: fundCents / 100 });
  });
  const series = (m: Map<string, Map<string, number>>): Record<string, DailyPnl[]> => {
    const out: Record<string, DailyPnl[]> = {};
    for (const [k, row] of [...m.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
      out[k] = dates.slice(1).map((date) => {
        const c = row.get(date) ?? 0;
        return { date, pnlCents: c, pnl: c / 100 };
      });
    }
    return out;
  };
  return { dates: dates.slice(1), fund, byAgent: series(agents), byName: series(names) };
}
