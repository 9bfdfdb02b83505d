import { parseFundConfig, type FundConfig } from '../../contracts/index.ts';
import type { BrokerAccount } from '../../execution/index.ts';

/**
 * How far a trading fund's NAV may stand above the broker account's equity before Keel stops
 * trading: marks at the last stored close differ from the broker's live prices (5%).
 */
export const ACCOUNT_NAV_TOLERANCE = 0.05;

/** Whether a fund fits the broker account it trades in, and what to do when it does not. */
export type AccountFit =
  | { readonly kind: 'fits' }
  | { readonly kind: 'refuse'; readonly reason: string }
  | { readonly kind: 'scale'; readonly config: FundConfig; readonly factor: number; readonly reason: string };

const usd = (x: number): string => `$${x.toLocaleString('en-US', { maximumFractionDigits: 2 })}`;
const floorCents = (x: number): number => Math.floor(x * 100) / 100;

/** The fund at `factor` of its size: total capital and every agent's allocation (cents, rounded down). */
export function scaleFund(config: FundConfig, factor: number): FundConfig {
  return parseFundConfig({
    ...config,
    fund: { ...config.fund, totalCapital: floorCents(config.fund.totalCapital * factor) },
    agents: config.agents.map((a) => ({ ...a, allocatedCapital: floorCents(a.allocatedCapital * factor) })),
  });
}

/**
 * A fund that has not traded yet fits when its total capital is at most the account's equity;
 * otherwise it is refused, or, with `execution.accountMismatch: "scale"`, scaled down to the
 * equity. A fund that trades fits while its NAV is within `ACCOUNT_NAV_TOLERANCE` above the
 * equity; past that it is refused either way (an existing book is never rescaled silently).
 */
export function accountFit(config: FundConfig, account: BrokerAccount, o: { readonly hasTraded: boolean; readonly nav: number }): AccountFit {
  const equity = account.equity;
  if (!(equity > 0)) return { kind: 'refuse', reason: `the broker account has no equity (${usd(equity)}); fund it before trading` };
  if (o.hasTraded) {
    if (o.nav <= equity * (1 + ACCOUNT_NAV_TOLERANCE)) return { kind: 'fits' };
    return {
      kind: 'refuse',
      reason: `the fund's NAV ${usd(o.nav)} is more than ${ACCOUNT_NAV_TOLERANCE * 100}% above the broker account's equity ${usd(equity)}; check the account (deposits, other trading) and the books before trading again`,
    };
  }
  const capital = config.fund.totalCapital;
  if (capital <= equity) return { kind: 'fits' };
  const why = `fund.totalCapital ${usd(capital)} is larger than the broker account's equity ${usd(equity)}`;
  if (config.execution.accountMismatch === 'refuse') {
    return { kind: 'refuse', reason: `${why}; lower fund.totalCapital (keel config apply) or set execution.accountMismatch to "scale"` };
  }
  const factor = equity / capital;
  return { kind: 'scale', config: scaleFund(config, factor), factor, reason: `${why}: the fund and every agent's allocation are scaled by ${factor.toPrecision(4)} to fit` };
}
