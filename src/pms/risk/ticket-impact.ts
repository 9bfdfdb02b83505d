/**
 * What a proposal's tickets would do to the fund before anyone approves them: per ticket the
 * price, notional and the name's weight in the fund after it; for all of them together the change
 * in the fund's delta-normal VaR and the headroom left to the VaR limit. Pure; VaR as the risk
 * monitor's parametric figure (sample covariance of the returns given, unless a model is passed).
 */
import { invariant } from '../../core/index.ts';
import { parametricVaR, sampleCovariance, type RiskModel } from '../../quant/index.ts';

/** A trade in shares: unsigned `qty` on its `side`, priced at `price` dollars. */
export interface ImpactTicket {
  readonly symbol: string;
  readonly side: 'BUY' | 'SELL';
  readonly qty: number;
  readonly price: number;
}

export interface TicketImpactInput {
  /** Fund NAV, dollars (> 0). */
  readonly nav: number;
  /** The fund's signed shares per name, summed over every book. */
  readonly fundQty: ReadonlyMap<string, number>;
  /** Dollars per share of every held and traded name. */
  readonly prices: ReadonlyMap<string, number>;
  readonly tickets: readonly ImpactTicket[];
  /** Daily simple returns over `symbols` (held ∪ traded), T×U row-major. */
  readonly returns: { readonly panel: Float64Array; readonly symbols: readonly string[] };
  readonly confidence: number;
  /** The one-day VaR limit, a fraction of NAV. */
  readonly varLimitPct: number;
  readonly riskModel?: RiskModel;
}

export interface TicketImpactRow {
  readonly symbol: string;
  readonly side: 'BUY' | 'SELL';
  readonly qty: number;
  readonly price: number;
  /** qty × price, dollars (unsigned). */
  readonly notional: number;
  /** The fund's signed shares in the name before and after this proposal's tickets. */
  readonly currentQty: number;
  readonly resultingQty: number;
  /** Signed fractions of NAV: qty × price / NAV. */
  readonly currentWeight: number;
  readonly resultingWeight: number;
  /** Fund VaR with this ticket alone − fund VaR now, dollars. */
  readonly varChange: number;
}

export interface TicketImpact {
  readonly nav: number;
  readonly confidence: number;
  /** Fund parametric VaR now and after every ticket, dollars (positive = loss). */
  readonly varBefore: number;
  readonly varAfter: number;
  readonly varChange: number;
  /** varLimitPct × NAV, dollars. */
  readonly varLimit: number;
  readonly varLimitPct: number;
  /** varLimit − VaR, dollars (negative: over the limit). */
  readonly headroomBefore: number;
  readonly headroomAfter: number;
  readonly isOverLimitAfter: boolean;
  readonly tickets: TicketImpactRow[];
  /** Names (held or traded) without returns: outside the VaR. */
  readonly missingReturns: string[];
}

const signed = (t: ImpactTicket): number => (t.side === 'BUY' ? t.qty : -t.qty);

/** The impact of `tickets` on the fund (several tickets in one name add up). */
export function ticketImpact(input: TicketImpactInput): TicketImpact {
  const { nav } = input;
  invariant(nav > 0 && Number.isFinite(nav), 'ticket impact needs a positive NAV', { nav });
  const symbols = input.returns.symbols;
  const U = symbols.length;
  const col = new Map(symbols.map((s, i) => [s, i]));
  const priceOf = (s: string): number => input.prices.get(s) ?? Number.NaN;
  const T = U === 0 ? 0 : Math.floor(input.returns.panel.length / U);
  const model = input.riskModel ?? (U > 0 && T > 1 ? sampleCovariance(input.returns.panel, U) : new Float64Array(U * U));
  const missing = new Set<string>();
  const exposures = (qty: ReadonlyMap<string, number>): Float64Array => {
    const w = new Float64Array(U);
    for (const [s, q] of qty) {
      const i = col.get(s);
      if (i === undefined) {
        if (q !== 0) missing.add(s);
      } else w[i] = (w[i] ?? 0) + q * priceOf(s);
    }
    return w;
  };
  const varOf = (qty: ReadonlyMap<string, number>): number => parametricVaR(exposures(qty), model, { confidence: input.confidence }).var + 0;
  const plus = (base: ReadonlyMap<string, number>, ts: readonly ImpactTicket[]): Map<string, number> => {
    const m = new Map(base);
    for (const t of ts) m.set(t.symbol, (m.get(t.symbol) ?? 0) + signed(t));
    return m;
  };
  const varBefore = varOf(input.fundQty);
  const after = plus(input.fundQty, input.tickets);
  const varAfter = varOf(after);
  const varLimit = input.varLimitPct * nav;
  const tickets = input.tickets.map((t) => {
    const currentQty = input.fundQty.get(t.symbol) ?? 0;
    const resultingQty = after.get(t.symbol) ?? 0;
    return {
      symbol: t.symbol,
      side: t.side,
      qty: t.qty,
      price: t.price,
      notional: t.qty * t.price,
      currentQty,
      resultingQty,
      currentWeight: (currentQty * t.price) / nav,
      resultingWeight: (resultingQty * t.price) / nav,
      varChange: varOf(plus(input.fundQty, [t])) - varBefore,
    };
  });
  return {
    nav,
    confidence: input.confidence,
    varBefore,
    varAfter,
    varChange: varAfter - varBefore,
    varLimit,
    varLimitPct: input.varLimitPct,
    headroomBefore: varLimit - varBefore,
    headroomAfter: varLimit - varAfter,
    isOverLimitAfter: varAfter > varLimit,
    tickets,
    missingReturns: [...missing].sort(),
  };
}
