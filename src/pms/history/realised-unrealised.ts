/** Realised vs unrealised P&L of average-cost positions (the Position contract), in exact cents. */
import { toCents } from '../../core/index.ts';
import type { Position } from '../../contracts/index.ts';

export interface PnlSplitRow {
  readonly agentId: string;
  readonly symbol: string;
  readonly realizedCents: number;
  /** qty · (lastPrice − avgCost): positive when a long is above cost or a short below it. */
  readonly unrealizedCents: number;
  readonly totalCents: number;
  /** True when the position has no lastPrice (unrealised taken as 0). */
  readonly isUnmarked: boolean;
}

export interface PnlSplit {
  readonly rows: PnlSplitRow[];
  readonly realizedCents: number;
  readonly unrealizedCents: number;
  readonly totalCents: number;
  /** Dollars (cents / 100). */
  readonly realized: number;
  readonly unrealized: number;
  readonly total: number;
}

/** Splits each position's P&L into realised (from the ledger) and unrealised (mark vs average cost). */
export function realisedUnrealised(positions: readonly Pick<Position, 'agentId' | 'symbol' | 'qty' | 'avgCost' | 'lastPrice' | 'realizedPnl'>[]): PnlSplit {
  const rows = positions.map((p) => {
    const realizedCents = toCents(p.realizedPnl) as number;
    const unrealizedCents = p.lastPrice === null ? 0 : (toCents(p.qty * (p.lastPrice - p.avgCost)) as number);
    return { agentId: p.agentId, symbol: p.symbol, realizedCents, unrealizedCents, totalCents: realizedCents + unrealizedCents, isUnmarked: p.lastPrice === null };
  });
  const r = rows.reduce((s, x) => s + x.realizedCents, 0);
  const u = rows.reduce((s, x) => s + x.unrealizedCents, 0);
  return { rows, realizedCents: r, unrealizedCents: u, totalCents: r + u, realized: r / 100, unrealized: u / 100, total: (r + u) / 100 };
}
