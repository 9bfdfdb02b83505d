import { addDays, ShiftedClock, type Clock, type IsoDate } from '../../core/index.ts';
import { PaperBroker, type Broker } from '../../execution/index.ts';
import { lastCompletedSession, sessionCloseMs, tradingDaysBetween, type MarketView } from '../../market/index.ts';

/**
 * The clock a live cycle's orders and fills are stamped by. The paper broker fills at the view's
 * close, so on a session already closed (`keel run --as-of`, a catch-up, a morning run on
 * yesterday's bars) they are stamped from that session's close (16:00 New York) onwards: the
 * positions, the P&L history and the fills page put them on the day whose prices they traded at.
 * A real broker's fills happen now: its clock is the wall clock.
 */
export function paperSessionClock(broker: Broker, clock: Clock, asOf: IsoDate): Clock {
  if (!(broker instanceof PaperBroker)) return clock;
  const close = sessionCloseMs(asOf);
  return clock.now() > close ? new ShiftedClock(clock, close) : clock;
}

/**
 * Readies a broker to trade on `view`: the paper broker gets the view and the session's clock
 * (`paperSessionClock`). Returns the clock the cycle's orders, fills and records are stamped by.
 */
export function tradeOnView(broker: Broker, clock: Clock, view: MarketView): Clock {
  if (!(broker instanceof PaperBroker)) return clock;
  const session = paperSessionClock(broker, clock, view.asOf);
  broker.setMarket(view, session);
  return session;
}

/**
 * Why a cycle may not trade a real broker on the view's prices, or null: Alpaca fills at today's
 * market, so a view older than the last completed session (`keel run --as-of` a past day, or
 * `--no-fetch` on bars not brought up to date) would size real orders on old prices. The paper
 * broker fills at the view's close: any day is fine.
 */
export function staleForBroker(kind: 'paper' | 'alpaca', asOf: IsoDate, now: number): string | null {
  if (kind === 'paper') return null;
  const session = lastCompletedSession(now);
  if (asOf >= session) return null;
  const behind = tradingDaysBetween(addDays(asOf, 1), session).length;
  return `the market data ends ${asOf}, ${behind} session(s) before the last completed one (${session}), and Alpaca fills at today's prices: bring the bars up to date (keel run without --no-fetch, or keel market fetch) and run without --as-of; a past day runs on the paper broker only (execution.broker "paper")`;
}
