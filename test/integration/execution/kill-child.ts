// Child process for the kill -9 test: submits a batch through the OMS (file journal, Alpaca
// adapter against the parent's fake server) and freezes at CRASH_AT, printing CRASHPOINT so the
// parent can kill it with SIGKILL at exactly that step.
import { SimClock } from '../../../src/core/index.ts';
import { OmsConfig, type Order } from '../../../src/contracts/index.ts';
import { AlpacaBroker, Oms, type OrderJournal } from '../../../src/execution/index.ts';
import { FileOrderJournal } from './file-journal.ts';
import { killBatch } from './kill-batch.ts';

const [kind, id] = (process.env.CRASH_AT ?? '').split(':');
const freeze = (): Promise<never> => {
  process.stdout.write('CRASHPOINT\n');
  setInterval(() => {}, 60_000);
  return new Promise<never>(() => {});
};

const file = process.env.JOURNAL_FILE ?? '';
const inner = new FileOrderJournal(file);
const journal: OrderJournal = {
  savePending: async (o: Order) => {
    await inner.savePending(o);
    if (kind === 'after-store' && o.id === id) await freeze();
  },
  appendEvent: (e) => inner.appendEvent(e),
  open: () => inner.open(),
  byClientId: (x) => inner.byClientId(x),
  events: (x) => inner.events(x),
};
const alpaca = new AlpacaBroker({ baseUrl: process.env.ALPACA_BASE_URL ?? '', keyId: process.env.ALPACA_API_KEY_ID ?? '', secretKey: process.env.ALPACA_API_SECRET_KEY ?? '' });
const broker = {
  submit: async (o: Order) => {
    if (kind === 'before-send' && o.id === id) await freeze();
    const ack = await alpaca.submit(o);
    if (kind === 'after-send' && o.id === id) await freeze();
    return ack;
  },
  cancel: (x: string) => alpaca.cancel(x),
  account: () => alpaca.account(),
  positions: () => alpaca.positions(),
  orders: (s?: string) => alpaca.orders(s),
  getOrderByClientId: (x: string) => alpaca.getOrderByClientId(x),
};
const oms = new Oms({
  journal,
  broker,
  clock: new SimClock(Date.parse('2024-01-02T15:00:00.000Z')),
  config: OmsConfig.parse({}),
  market: { tradingState: () => 'ACTIVE', nav: () => 1e8, price: () => 10, positionQty: () => 0 },
});
await oms.submitAll(killBatch());
process.stdout.write('DONE\n');
