import { ShiftedClock, type Clock, type IsoDate } from '../../core/index.ts';
import { PaperBroker, type Broker } from '../../execution/index.ts';
import { sessionCloseMs } from '../../market/index.ts';

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
