import { nullBus } from '../../bus/index.ts';
import { configHash, type FundConfig, type TradingState } from '../../contracts/index.ts';
import { SequentialIds, SimClock, dateToMs, nullLogger, type Clock, type IsoDate, type Logger } from '../../core/index.ts';
import { Workspace, type OverlayCheck } from '../../overlay/index.ts';
import { Oms, type Broker, type OmsMarket, type OrderJournal, type PaperBroker, type RetryPolicy } from '../../execution/index.ts';
import { AlertManager } from '../alerts/alert-manager.ts';
import { TappedJournal } from '../cycle/fill-tap.ts';
import type { CycleServices, FundRunState } from '../cycle/runtime.ts';
import { loadRoster } from '../roster/load-roster.ts';
import type { RemoteLinks } from '../roster/transports.ts';
import { paperBroker } from './brokers.ts';

/** The OMS of a cycle or an approval: one journal, one broker, the fund's OMS limits. */
export function cycleOms(o: { readonly journal: OrderJournal; readonly broker: Broker; readonly clock: Clock; readonly config: FundConfig; readonly market: OmsMarket; readonly retry?: RetryPolicy }): Oms {
  return new Oms({ journal: o.journal, broker: o.broker, clock: o.clock, config: o.config.oms, market: o.market, ...(o.retry ? { retry: o.retry } : {}) });
}

export interface BacktestWiringOptions {
  /** The backtest's id: the prefix of its cycle and order ids. */
  readonly id: string;
  readonly from: IsoDate;
  readonly logger?: Logger;
  readonly captureInputs?: boolean;
  /** The overlay checks the review runs (default every check): a comparison run leaves some out. */
  readonly checks?: readonly OverlayCheck[];
  /** How remote agents are reached (NATS: the kernel's connection). */
  readonly remote?: RemoteLinks;
}

/** A backtest's parts: the same cycle as live, with a simulated clock and the paper broker filling at the next open. */
export interface BacktestWiring {
  readonly services: CycleServices;
  readonly broker: PaperBroker;
  readonly clock: SimClock;
  readonly journal: TappedJournal;
  setPrices(f: (s: string) => number): void;
}

/**
 * Wires a backtest (the kernel's backtest mode): simulated clock from `from`, sequential ids,
 * the paper broker in backtest mode, an in-memory journal, the roster of the config's agents, an
 * alert manager without channels, no bus and no metrics. Plug-in agents are imported here.
 */
export async function backtestServices(o: BacktestWiringOptions, config: FundConfig, state: FundRunState): Promise<BacktestWiring> {
  const clock = new SimClock(dateToMs(o.from));
  const ids = new SequentialIds(o.id);
  const broker = paperBroker(config, clock, 'backtest');
  const journal = new TappedJournal();
  const omsState: { current: TradingState; nav: number } = { current: 'ACTIVE', nav: config.fund.totalCapital };
  let priceView: ((s: string) => number) | null = null;
  const oms = cycleOms({
    journal,
    broker,
    clock,
    config,
    market: {
      tradingState: () => omsState.current,
      nav: () => omsState.nav,
      price: (s) => (priceView ? priceView(s) : Number.NaN),
      positionQty: (s) => state.ledger.fundQty(s),
    },
  });
  const logger = o.logger ?? nullLogger;
  const services: CycleServices = {
    config,
    configHash: configHash(config),
    agents: await loadRoster(config, o.remote ? { links: o.remote } : {}),
    broker,
    oms,
    journal,
    alerts: new AlertManager({ clock, ids, channels: [], logger, dedupWindowSec: config.alerts.dedupWindowSec }),
    bus: nullBus,
    clock,
    ids,
    logger,
    metrics: null,
    mode: 'backtest',
    runId: o.id,
    omsState,
    captureInputs: o.captureInputs ?? false,
    quality: new Map(),
    ...(o.checks ? { overlayChecks: o.checks } : {}),
    workspace: new Workspace(),
  };
  const setPrices = (f: (s: string) => number): void => {
    priceView = f;
  };
  return { services, broker, clock, journal, setPrices };
}
