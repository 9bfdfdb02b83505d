import { existsSync } from 'node:fs';
import path from 'node:path';
import { createRoster } from '../../agents/index.ts';
import { nullBus, type EventBus } from '../../bus/index.ts';
import { configHash, type AlertCategory, type FundConfig } from '../../contracts/index.ts';
import { KeelError, LiveClock, RandomIds, nullLogger, type Clock, type Logger } from '../../core/index.ts';
import type { TradingState } from '../../contracts/index.ts';
import { defaultRetry, Oms, PaperBroker, type Broker, type RetryPolicy } from '../../execution/index.ts';
import { viewAt, type MarketView } from '../../market/index.ts';
import type { Store } from '../../store/index.ts';
import { AlertManager, type AlertChannel } from '../alerts/alert-manager.ts';
import { dataGates, decisionGates, gate, type GateResult } from '../cycle/gates.ts';
import { runCycle, type CycleResult } from '../cycle/run-cycle.ts';
import type { CycleServices } from '../cycle/runtime.ts';
import { loadMarket } from '../market-loader.ts';
import type { FundMetrics } from '../observability/metrics.ts';
import { reconcileWithBroker } from './broker-reconcile.ts';
import { loadRunState, saveCycle } from './fund-store.ts';
import { marketDataGate, marketDataWarning, type MarketRefresh } from './market-refresh.ts';
import { registerFund } from './register.ts';
import { StoreOrderJournal } from './store-journal.ts';

export interface LiveCycleOptions {
  readonly store: Store;
  readonly config: FundConfig;
  /** paper: the paper broker fills at the latest price; live: the configured broker (Alpaca). */
  readonly mode: 'paper' | 'live';
  /** Keel's home, where the KILL_SWITCH file is looked for. */
  readonly home: string;
  readonly broker?: Broker;
  readonly clock?: Clock;
  readonly logger?: Logger;
  readonly bus?: EventBus;
  readonly metrics?: FundMetrics;
  readonly channels?: readonly AlertChannel[];
  /** Run as of this stored date instead of the latest. */
  readonly asOf?: string;
  /** How broker calls of the reconciliation and the OMS are retried (default `defaultRetry()`). */
  readonly retry?: RetryPolicy;
  /**
   * The approval desk, settled before the cycle: expiries swept, approved proposals executed on
   * this run's broker. Advisory mode: while proposals of the previous cycle wait for a decision no
   * new cycle runs (status WAITING).
   */
  readonly desk?: ProposalDesk;
  /**
   * The pre-cycle market-data step (`refreshMarket`, market-refresh.ts), given the clock's now:
   * fetches the bars of the sessions since the latest stored one. A stale result refuses the cycle
   * with a MARKET_DATA alert naming the sources that failed. Not called with `asOf`.
   */
  readonly refreshMarket?: (now: number) => Promise<MarketRefresh>;
}

/** What the proposal desk did before an advisory cycle. */
export interface DeskReport {
  /** Proposals that had passed their expiry and were moved to EXPIRED. */
  readonly expired: readonly string[];
  /** Approved proposals executed now (or found executed before). */
  readonly executed: readonly { readonly proposalId: string; readonly outcome: string; readonly orderIds: readonly string[]; readonly fillIds: readonly string[] }[];
  /** Proposals of the previous advisory cycle still waiting for a decision (soonest expiry first). */
  readonly waiting: readonly { readonly proposalId: string; readonly agentId: string; readonly expiresAt: string }[];
}

/**
 * The human-approval desk (the PMS implements it): before a cycle it sweeps expired proposals,
 * executes approved ones on the runner's broker and market, and says which decisions of the
 * previous advisory cycle are still awaited.
 */
export interface ProposalDesk {
  settle(x: { readonly view: MarketView; readonly broker: Broker; readonly clock: Clock; readonly mode: 'paper' | 'live' }): Promise<DeskReport>;
}

export type LiveCycleOutcome =
  | { readonly status: 'COMPLETED'; readonly result: CycleResult; readonly gates: readonly GateResult[]; readonly resumedFrom: string | null; readonly desk?: DeskReport }
  | { readonly status: 'REFUSED'; readonly gates: readonly GateResult[]; readonly reason: string; readonly desk?: DeskReport }
  /** Advisory mode: the previous cycle's proposals still wait for decisions, so no new cycle ran. */
  | { readonly status: 'WAITING'; readonly gates: readonly GateResult[]; readonly reason: string; readonly desk: DeskReport };

/** The kill-switch file: its presence halts trading before anything else runs. */
export function killSwitchFile(home: string): string {
  return path.join(home, 'KILL_SWITCH');
}

/**
 * One live or paper cycle: gates (kill switch file, golden config for live, history, data
 * quality), the fund state after the last cycle, reconciliation with the broker, the cycle
 * itself (signal and risk gates before any order), and one transaction that stores it all.
 */
export async function runLiveCycle(o: LiveCycleOptions): Promise<LiveCycleOutcome> {
  const clock = o.clock ?? new LiveClock();
  const logger = o.logger ?? nullLogger;
  const hash = configHash(o.config);
  const fundId = o.config.fund.id;
  const alerts = new AlertManager({ clock, ids: new RandomIds(), channels: o.channels ?? [], logger, dedupWindowSec: o.config.alerts.dedupWindowSec });
  const refuse = async (gates: GateResult[], reason: string, category: AlertCategory = 'TRADING'): Promise<LiveCycleOutcome> => {
    const a = alerts.raise({ severity: 'CRITICAL', category, title: 'cycle refused', message: reason, dedupKey: `refused:${reason.slice(0, 60)}`, fundId });
    if (a) await o.store.alerts.insert(a);
    await alerts.flush();
    return { status: 'REFUSED', gates, reason };
  };
  const gates: GateResult[] = [];
  const killFile = killSwitchFile(o.home);
  gates.push(gate('kill_switch', !existsSync(killFile), existsSync(killFile) ? `${killFile} exists` : 'no kill-switch file'));
  if (!gates[0]?.passed) return refuse(gates, `kill switch file present (${killFile}); remove it to resume trading`);
  if (o.refreshMarket && !o.asOf) {
    const fresh = await o.refreshMarket(clock.now());
    gates.push(marketDataGate(fresh));
    const warning = marketDataWarning(fresh, fundId);
    if (warning) {
      const a = alerts.raise(warning);
      if (a) await o.store.alerts.insert(a);
    }
    if (fresh.status === 'stale') return refuse(gates, `market data is stale: ${fresh.reason}`, 'MARKET_DATA');
  }
  if (o.mode === 'live' && !(await o.store.configVersions.isApproved(hash))) {
    throw new KeelError('KEEL_E_CONFIG_UNAPPROVED', `config ${hash.slice(0, 12)}… is not approved for live trading; review it and run keel config approve`);
  }
  const market = await loadMarket(o.store, o.asOf ? { to: o.asOf } : {});
  const view = viewAt(market.panel, o.asOf ?? market.panel.T - 1);
  gates.push(...dataGates(view, market.quality, o.config.data.minQuality));
  const failed = gates.filter((g) => !g.passed);
  if (failed.length > 0) return refuse(gates, failed.map((g) => `${g.gate}: ${g.detail}`).join('; '));
  await registerFund(o.store, o.config, 'fund-cycle', new Date(clock.now()).toISOString());
  const broker = o.broker ?? new PaperBroker({ clock, config: o.config.execution, mode: 'live', initialCash: o.config.fund.totalCapital });
  if (broker instanceof PaperBroker) broker.setMarket(view);
  const advisory = o.config.fund.mode === 'advisory';
  // Before the state is read: executions of approved proposals change the books the cycle starts from.
  const desk = o.desk ? await o.desk.settle({ view, broker, clock, mode: o.mode }) : undefined;
  if (advisory && desk && desk.waiting.length > 0) {
    const ids = desk.waiting.map((w) => `${w.proposalId} (expires ${w.expiresAt})`).join(', ');
    return { status: 'WAITING', gates, desk, reason: `waiting for ${desk.waiting.length} decision(s) on the previous cycle's proposals: ${ids}` };
  }
  const fund = await o.store.funds.get(fundId);
  const { state, fromCycle } = await loadRunState(o.store, o.config, view.asOf);
  if (fund?.tradingState === 'HALTED' && state.fund.tradingState !== 'HALTED') {
    state.fund = { ...state.fund, tradingState: 'HALTED', tradingStateSince: view.asOf, manualKill: { who: 'store', why: 'fund HALTED in the store (kill switch tripped)', at: view.asOf } };
  }
  const runId = `${fundId}-${o.mode}`;
  if (await o.store.cycles.get(`${runId}-${view.asOf}`)) {
    const refused = await refuse(gates, `a ${o.mode} cycle already ran for ${view.asOf}; import newer bars or pass --as-of`);
    return desk ? { ...refused, desk } : refused;
  }
  const journal = new StoreOrderJournal(o.store, fundId);
  const omsState: { current: TradingState; nav: number } = { current: state.fund.tradingState, nav: state.ledger.fundNavCents() / 100 };
  const retry = o.retry ?? defaultRetry();
  const closeOf = (sym: string): number => {
    const u = view.column(sym);
    return u >= 0 ? view.close(u) : Number.NaN;
  };
  const oms = new Oms({
    journal,
    broker,
    clock,
    retry,
    config: o.config.oms,
    market: {
      tradingState: () => omsState.current,
      nav: () => omsState.nav,
      price: closeOf,
      positionQty: (sym) => state.ledger.fundQty(sym),
    },
  });
  const reconciled = await reconcileWithBroker({ store: o.store, fundId, journal, oms, broker, clock, alerts, cycleId: `${runId}-${view.asOf}`, price: closeOf, retry });
  if (!reconciled.ok) return refuse(gates, reconciled.reason);
  const services: CycleServices = {
    config: o.config,
    configHash: hash,
    agents: createRoster(o.config),
    broker,
    oms,
    journal,
    alerts,
    bus: o.bus ?? nullBus,
    clock,
    ids: new RandomIds(),
    logger,
    metrics: o.metrics ?? null,
    mode: o.mode,
    runId,
    omsState,
    captureInputs: true,
    quality: market.quality,
    gate: (review, proposals) => decisionGates(review, proposals, o.config.killSwitch.fundVar99Pct),
  };
  const startedAt = new Date(clock.now()).toISOString();
  const prevNav = new Map<string, number>();
  for (const id of state.ledger.agentIds()) prevNav.set(id, state.ledger.navCents(id) / 100);
  prevNav.set('', state.ledger.fundNavCents() / 100);
  const t0 = performance.now();
  const result = await runCycle(services, state, view);
  await o.store.transaction((tx) =>
    saveCycle(tx, { fundId, mode: o.mode, configHash: hash, startedAt, result, state, prevNav, ...(advisory ? { advisory: { proposalTtlMs: o.config.pms.proposalTtlHours * 3_600_000 } } : {}) }),
  );
  o.metrics?.cycleDuration.observe({ mode: o.mode }, (performance.now() - t0) / 1000);
  o.metrics?.cycles.inc({ result: 'completed' });
  await alerts.flush();
  await services.bus.publish('cycle.completed', {
    cycleId: result.cycleId,
    asOf: result.asOf,
    fundId,
    nav: result.nav.fund,
    tradingState: result.review.tradingState,
    durationMs: performance.now() - t0,
  });
  logger.log('info', 'cycle completed', { cycleId: result.cycleId, asOf: result.asOf, nav: result.nav.fund, orders: result.orders.length, traceId: result.cycleId });
  return { status: 'COMPLETED', result, gates: [...gates, ...result.gates], resumedFrom: fromCycle, ...(desk ? { desk } : {}) };
}
