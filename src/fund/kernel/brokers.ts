import type { FundConfig } from '../../contracts/index.ts';
import { isKeelError, KeelError, ValidationError, type Clock } from '../../core/index.ts';
import { ALPACA_LIVE_URL, ALPACA_PAPER_URL, AlpacaBroker, PaperBroker, type Broker, type BrokerAccount } from '../../execution/index.ts';
import type { KeelEnv } from './env.ts';

/**
 * The paper broker: the one place it is built. `backtest` fills at the next bar's open, `live`
 * at the view's latest close (a paper cycle of `keel run`, an approval on a paper fund).
 */
export function paperBroker(config: FundConfig, clock: Clock, mode: 'backtest' | 'live'): PaperBroker {
  return new PaperBroker({ clock, config: config.execution, mode, initialCash: config.fund.totalCapital });
}

/** Which Alpaca endpoint a fund trades on: APCA_API_BASE_URL when set, else the config's endpoint. */
export function alpacaBaseUrl(config: FundConfig, env: KeelEnv): string {
  if (env.alpaca.baseUrl !== null) return env.alpaca.baseUrl.replace(/\/+$/, '');
  return config.execution.alpaca.endpoint === 'live' ? ALPACA_LIVE_URL : ALPACA_PAPER_URL;
}

/** Whether a base URL is Alpaca's live (real money) endpoint. */
export const isAlpacaLive = (baseUrl: string): boolean => /^https:\/\/api\.alpaca\.markets\/?$/.test(baseUrl);

/** What Alpaca said at start: the account and the market clock. */
export interface AlpacaStart {
  readonly baseUrl: string;
  readonly account: BrokerAccount;
  readonly marketOpen: boolean;
  readonly nextOpen: string;
}

/** The broker a fund runs with, and, for Alpaca, what the start-up checks read. */
export interface BrokerSession {
  readonly broker: Broker;
  readonly kind: 'paper' | 'alpaca';
  readonly alpaca: AlpacaStart | null;
}

export interface OpenBrokerOptions {
  readonly config: FundConfig;
  readonly env: KeelEnv;
  readonly clock: Clock;
  /** `live` runs on an approved config only; Alpaca's live endpoint needs it. */
  readonly mode: 'paper' | 'live';
  readonly fetchFn?: typeof fetch;
  /** Injected so tests do not wait on Alpaca's back-off. */
  readonly sleep?: (ms: number) => Promise<void>;
}

function answerOf(e: unknown): string {
  if (isKeelError(e)) return e.message;
  return e instanceof Error ? e.message : String(e);
}

/**
 * The broker `execution.broker` names. Alpaca: the keys must be set (APCA_API_KEY_ID,
 * APCA_API_SECRET_KEY), the live endpoint needs mode `live`, and Alpaca must answer
 * GET /v2/account and GET /v2/clock; otherwise it throws one line saying why and what to do.
 * The paper broker is never built for a fund configured for Alpaca.
 */
export async function openBroker(o: OpenBrokerOptions): Promise<BrokerSession> {
  const { config, env } = o;
  switch (config.execution.broker) {
    case 'paper':
      return { broker: paperBroker(config, o.clock, 'live'), kind: 'paper', alpaca: null };
    case 'alpaca': {
      const { keyId, secretKey } = env.alpaca;
      if (keyId === null || secretKey === null) {
        throw new ValidationError('APCA_API_KEY_ID', `the fund trades on Alpaca (execution.broker "alpaca"): set APCA_API_KEY_ID and APCA_API_SECRET_KEY to your Alpaca keys`);
      }
      const baseUrl = alpacaBaseUrl(config, env);
      if (isAlpacaLive(baseUrl) && o.mode !== 'live') {
        throw new ValidationError('execution.alpaca.endpoint', `${baseUrl} is Alpaca's live (real money) endpoint: run with --mode live on an approved config, or use the paper endpoint`);
      }
      const broker = new AlpacaBroker({ baseUrl, keyId, secretKey, ...(o.fetchFn ? { fetchFn: o.fetchFn } : {}), ...(o.sleep ? { sleep: o.sleep } : {}) });
      let account: BrokerAccount;
      let clock: Awaited<ReturnType<AlpacaBroker['clock']>>;
      try {
        account = await broker.account();
      } catch (e) {
        throw new KeelError('KEEL_E_BROKER', `Alpaca did not answer GET /v2/account at ${baseUrl} (${answerOf(e)}); check APCA_API_KEY_ID, APCA_API_SECRET_KEY and APCA_API_BASE_URL`);
      }
      try {
        clock = await broker.clock();
      } catch (e) {
        throw new KeelError('KEEL_E_BROKER', `Alpaca did not answer GET /v2/clock at ${baseUrl} (${answerOf(e)}); try again later`);
      }
      return { broker, kind: 'alpaca', alpaca: { baseUrl, account, marketOpen: clock.is_open, nextOpen: clock.next_open } };
    }
    default: {
      const never: never = config.execution.broker;
      throw new ValidationError('execution.broker', `unknown broker ${String(never)}`);
    }
  }
}
