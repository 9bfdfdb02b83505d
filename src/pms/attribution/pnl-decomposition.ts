/**
 * P&L decomposed by agent, bucket, sector and name. Exact: each item's P&L is rounded to integer
 * cents once, and every group total is a sum of those integers, so the parts of every dimension
 * add up to the fund total to the cent.
 */
import { toCents } from '../../core/index.ts';

/** One P&L contribution (dollars, signed) of one name in one agent's book over the period. */
export interface PnlItem {
  readonly agentId: string;
  readonly symbol: string;
  readonly pnl: number;
  /** Strategy bucket (e.g. STRATEGY_BUCKET_MAP[strategy]); default `unassigned`. */
  readonly bucket?: string | null;
  /** Default `Unclassified`. */
  readonly sector?: string | null;
}

/** A group's P&L: integer cents (exact) and dollars (cents / 100). */
export interface PnlPart {
  readonly key: string;
  readonly pnlCents: number;
  readonly pnl: number;
}

export interface PnlDecomposition {
  readonly totalCents: number;
  readonly total: number;
  /** Each list is sorted by P&L, largest first (ties by key); Σ pnlCents = totalCents in each. */
  readonly byAgent: PnlPart[];
  readonly byBucket: PnlPart[];
  readonly bySector: PnlPart[];
  readonly byName: PnlPart[];
}

function group(items: readonly { key: string; cents: number }[]): PnlPart[] {
  const m = new Map<string, number>();
  for (const { key, cents } of items) m.set(key, (m.get(key) ?? 0) + cents);
  return [...m.entries()]
    .map(([key, pnlCents]) => ({ key, pnlCents, pnl: pnlCents / 100 }))
    .sort((a, b) => b.pnlCents - a.pnlCents || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Decomposes P&L items (dollars) into exact parts by agent, bucket, sector and name. */
export function decomposePnl(items: readonly PnlItem[]): PnlDecomposition {
  const cents = items.map((i) => ({ i, c: toCents(i.pnl) as number }));
  const totalCents = cents.reduce((s, x) => s + x.c, 0);
  return {
    totalCents,
    total: totalCents / 100,
    byAgent: group(cents.map(({ i, c }) => ({ key: i.agentId, cents: c }))),
    byBucket: group(cents.map(({ i, c }) => ({ key: i.bucket ?? 'unassigned', cents: c }))),
    bySector: group(cents.map(({ i, c }) => ({ key: i.sector ?? 'Unclassified', cents: c }))),
    byName: group(cents.map(({ i, c }) => ({ key: i.symbol, cents: c }))),
  };
}
