// The world of the live-path tests: the fake Alpaca trading and market-data servers (one key pair
// for both, as Alpaca has), a market tape, a Keel home with a shifted clock, and the sessions that
// move them together. The store is the home's PGlite, or PostgreSQL when `databaseUrl` is given.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../../src/cli/main.ts';
import type { CliIo } from '../../../src/cli/output.ts';
import type { Order } from '../../../src/contracts/index.ts';
import { openStore, type Store } from '../../../src/store/index.ts';
import { FakeAlpacaMarketData } from '../../fakes/alpaca-market-data.ts';
import { FakeAlpacaTrading } from '../../fakes/alpaca-trading.ts';
import { writeClock } from '../../fakes/fake-clock.ts';
import { marketTape, type Tape } from '../../fakes/market-tape.ts';

export const DAY0 = '2024-03-01';
export const DAY = ['2024-03-04', '2024-03-05', '2024-03-06', '2024-03-07', '2024-03-08'] as const;
const NEXT: Record<string, string> = { [DAY0]: DAY[0], [DAY[0]]: DAY[1], [DAY[1]]: DAY[2], [DAY[2]]: DAY[3], [DAY[3]]: DAY[4], [DAY[4]]: '2024-03-11' };
/** 17:00 New York (EST until 10 March 2024): after the session of `date`. */
export const evening = (date: string) => `${date}T22:00:00Z`;

/** The daemon as the tests run it: a cycle at start, then every 3 s (each day's evening comes when the test moves the clock). */
export const DAEMON_ARGS = ['daemon', '--run-now', '--cron', '*/3 * * * * *', '--stale-retry', '2s', '--stale-give-up', '10m', '--heartbeat', '3600'];
export const cycleCompleted = (date: string) => new RegExp(`"cycle completed".*${date}`);

export interface LiveWorldOptions {
  readonly fundId: string;
  /** Names in the market, SPY first. */
  readonly names: number;
  /** Sessions of history before the first traded day. */
  readonly history: number;
  readonly seed: number;
  /** Starting cash of the Alpaca account. */
  readonly cash: number;
  /** postgres://… for the store instead of the home's PGlite. */
  readonly databaseUrl?: string;
}

export class LiveWorld {
  readonly data = new FakeAlpacaMarketData();
  readonly broker: FakeAlpacaTrading;
  readonly tape: Tape;
  readonly home = mkdtempSync(path.join(os.tmpdir(), 'keel-live-path-'));
  readonly clockFile = path.join(this.home, 'clock.json');
  /** Bar requests the data fake had seen before each day was published. */
  readonly barRequestsBefore: Record<string, number> = {};
  env: Record<string, string> = {};

  constructor(readonly o: LiveWorldOptions) {
    const symbols = ['SPY', ...Array.from({ length: o.names - 1 }, (_, i) => `TKR${String(i + 1).padStart(3, '0')}`)];
    this.tape = marketTape({ symbols, end: DAY[4], days: o.history + DAY.length, seed: o.seed });
    for (const [s, bars] of this.tape.bars) this.data.addBars(s, bars);
    this.data.publishedThrough = DAY0;
    this.broker = new FakeAlpacaTrading({ cash: o.cash, prices: this.pricesAt(DAY0, 'close'), keys: { keyId: this.data.keyId, secret: this.data.secret } });
    this.broker.now = evening(DAY0);
  }

  /** Starts the fakes and writes `fund` as the home's fund.json; the environment the `keel` processes get. */
  async start(fund: unknown): Promise<void> {
    await Promise.all([this.data.start(), this.broker.start()]);
    writeFileSync(path.join(this.home, 'fund.json'), JSON.stringify(fund, null, 2));
    this.env = {
      KEEL_HOME: this.home,
      KEEL_TEST_CLOCK_FILE: this.clockFile,
      APCA_API_KEY_ID: this.data.keyId,
      APCA_API_SECRET_KEY: this.data.secret,
      APCA_API_DATA_URL: this.data.url,
      APCA_API_BASE_URL: this.broker.url,
      ...(this.o.databaseUrl ? { DATABASE_URL: this.o.databaseUrl } : {}),
    };
  }

  stop(): Promise<void> {
    return Promise.all([this.data.stop(), this.broker.stop()]).then(() => undefined);
  }

  pricesAt(date: string, field: 'open' | 'close'): Record<string, number> {
    return Object.fromEntries(
      this.tape.symbols.map((s) => {
        const b = this.tape.bars.get(s)?.find((x) => x.date === date);
        if (!b) throw new Error(`no bar ${s} ${date}`);
        return [s, b[field]];
      }),
    );
  }

  /**
   * The session of `date` at the broker: the orders queued since the last close fill at its open,
   * the close marks the book and ends the session; Keel's clock is then that evening and the
   * session's bars are published.
   */
  session(date: string): void {
    this.broker.openMarket(this.pricesAt(date, 'open'), `${date}T14:30:00Z`);
    Object.assign(this.broker.prices, this.pricesAt(date, 'close'));
    const next = NEXT[date] ?? '';
    this.broker.closeMarket(`${date}T21:00:00Z`, { open: `${next}T14:30:00Z`, close: `${next}T21:00:00Z` });
    this.barRequestsBefore[date] = this.data.barRequests();
    this.data.publishedThrough = date;
    writeClock(writeFileSync, this.clockFile, evening(date));
  }

  /** The CLI in this process, with the world's environment. */
  async keel(args: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const io: CliIo = { out: (t) => void (out += `${t}\n`), err: (t) => void (err += `${t}\n`), isTTY: false, env: this.env, cwd: process.cwd() };
    const code = await main(args, io);
    return { code, out, err };
  }

  async withStore<T>(f: (s: Store) => Promise<T>): Promise<T> {
    const store = await openStore(this.o.databaseUrl ? { url: this.o.databaseUrl } : { home: this.home });
    try {
      return await f(store);
    } finally {
      await store.close();
    }
  }

  /** The daemon's default mode is paper (any config, not only an approved one); the broker is the config's: Alpaca. */
  cycleOf(date: string): string {
    return `${this.o.fundId}-paper-${date}`;
  }

  /** The orders of the cycle of `date`, as stored. */
  ordersOf(s: Store, date: string): Promise<Order[]> {
    return s.orders.listByCycle(this.cycleOf(date));
  }

  /** Signed shares per symbol over every book Keel stores (non-zero only). */
  async storedHoldings(s: Store): Promise<Record<string, number>> {
    const by = new Map<string, number>();
    for (const p of await s.positions.list(this.o.fundId)) by.set(p.symbol, (by.get(p.symbol) ?? 0) + p.qty);
    return Object.fromEntries([...by].map(([k, q]) => [k, Math.round(q * 1e4) / 1e4] as const).filter(([, q]) => q !== 0));
  }
}
