/**
 * Branded numbers where units can be confused. A brand costs nothing at run time; it stops a
 * weight being passed where a notional is expected.
 */
declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };

/** Fraction of a capital base (0.05 = 5%). Signed: negative is short. */
export type Weight = Brand<number, 'Weight'>;
/** Currency amount in dollars (float, risk maths). */
export type Notional = Brand<number, 'Notional'>;
/** Price per share in dollars. */
export type Price = Brand<number, 'Price'>;
/** Share quantity, signed, to 1e-4. */
export type Qty = Brand<number, 'Qty'>;
/** Milliseconds since the Unix epoch, UTC. */
export type UnixMs = Brand<number, 'UnixMs'>;
/** Exact ledger money: integer cents. */
export type Cents = Brand<number, 'Cents'>;

export const weight = (x: number): Weight => x as Weight;
export const notional = (x: number): Notional => x as Notional;
export const price = (x: number): Price => x as Price;
export const unixMs = (x: number): UnixMs => x as UnixMs;

/** Rounds a share quantity to 1e-4 (fractional shares, as Alpaca accepts). */
export function roundQty(q: number): Qty {
  return (Math.round(q * 1e4) / 1e4) as Qty;
}

/** Dollars to integer cents, half away from zero. */
export function toCents(dollars: number): Cents {
  const c = Math.round(Math.abs(dollars) * 100 + 1e-9);
  return (dollars < 0 ? -c : c) as Cents;
}

export const fromCents = (c: Cents): number => c / 100;
