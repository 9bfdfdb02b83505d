import { nullBus, type EventBus } from '../../bus/index.ts';
import { configHash, type AlertCategory, type AlertSeverity, type FundConfig } from '../../contracts/index.ts';
import { loadRoster } from '../roster/load-roster.ts';
import type { RemoteLinks } from '../roster/transports.ts';
import { KeelError, RandomIds, nullLogger, type Clock, type Logger } from '../../core/index.ts';
import type { TradingState } from '../../contracts/index.ts';
import { defaultRetry, type Broker, type RetryPolicy } from '../../execution/index.ts';
import { viewAt, type MarketView } from '../../market/index.ts';
import type { Store } from '../../store/index.ts';
import type { AlertManager } from '../alerts/alert-manager.ts';
import { dataGates, decisionGates, gate, type GateResult } from '../cycle/gates.ts';
import { runCycle, type CycleResult } from '../cycle/run-cycle.ts';
import type { CycleServices } from '../cycle/runtime.ts';
import { accountFit } from '../kernel/account-fit.ts';
import type { BrokerSession } from '../kernel/brokers.ts';
import { seedFund } from '../kernel/fund-configs.ts';
import { presentKillSwitchFiles } from '../kernel/kill-switch-files.ts';
import { cycleOms } from '../kernel/wiring.ts';
import { marketCacheDir } from '../market-cache.ts';
import { loadMarket } from '../market-loader.ts';
import type { FundMetrics } from '../observability/metrics.ts';
import { reconcileWithBroker } from './broker-reconcile.ts';
import { loadRunState, saveCycle, withOperatorState } from './fund-store.ts';
import { marketDataGate, marketDataWarning, type MarketRefresh } from './market-refresh.ts';
import { applyConfigIn } from './register.ts';
import { staleForBroker, tradeOnView } from './session-clock.ts';
import { StoreOrderJournal } from './store-journal.ts';

/**
 * A live or paper cycle's parts; the kernel builds them (`Kernel.runCycle`), nothing else does.
 */
export interface LiveCycleOptions {
  readonly store: Store;
  /** How remote agents are reached (NATS: the kernel's connection). */
  readonly remote?: RemoteLinks;
  /** The fund's config (its stored version; a fund that does not exist yet is seeded from it). */
  readonly config: FundConfig;
  /** paper: any config; live: an approved config only. The broker is the config's (execution.broker). */
  readonly mode: 'paper' | 'live';
  /** Keel's home, where the kill-switch files are looked for. */
  readonly home: string;
  /** Opens the config's broker (paper, or Alpaca after its start-up checks), once the gates have passed. */
  readonly openBroker: (config: FundConfig) => Promise<BrokerSession>;
  /** The fund's alert manager (channels, dedup window). */
  readonly alerts: AlertManager;
  readonly clock: Clock;
  readonly logger?: Logger;
  readonly bus?: EventBus;
  readonly metrics?: FundMetrics;
  /** Run as of this stored date instead of the latest. */
  readonly asOf?: string;
  /** How broker calls of the reconciliation and the OMS are retried (default `defaultRetry()`). */
  readonly retry?: RetryPolicy;
  /**
   * The approval desk of the fund's config, settled before the cycle: expiries swept, approved
   * proposals executed on this run's broker. Advisory mode: while proposals of the previous cycle
   * wait for a decision no new cycle runs (status WAITING).
   */
  readonly desk?: (config: FundConfig) => ProposalDesk;
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

/**
 * One live or paper cycle: gates (kill switch file, golden config for live, history, data
 * quality), the fund state after the last cycle, reconciliation with the broker, the cycle
 * itself (signal and risk gates before any order), and one transaction that stores it all.
 */
export async function runLiveCycle(o: LiveCycleOptions): Promise<LiveCycleOutcome> {
  const { clock, alerts } = o;
  const logger = o.logger ?? nullLogger;
  const fundId = o.config.fund.id;
  const refuse = async (gates: GateResult[], reason: string, category: AlertCategory = 'TRADING', severity: AlertSeverity = 'CRITICAL'): Promise<LiveCycleOutcome> => {
    const a = alerts.raise({ severity, category, title: 'cycle refused', message: reason, dedupKey: `refused:${reason.slice(0, 60)}`, fundId });
    if (a) await o.store.alerts.insert(a);
    await alerts.flush();
    return { status: 'REFUSED', gates, reason };
  };
  const gates: GateResult[] = [];
  const killFiles = presentKillSwitchFiles(o.home, fundId);
  gates.push(gate('kill_switch', killFiles.length === 0, killFiles.length > 0 ? `${killFiles.join(', ')} exists` : 'no kill-switch file'));
  if (!gates[0]?.passed) return refuse(gates, `kill switch file present (${killFiles.join(', ')}); re-arm with keel kill-switch rearm (or remove it) to resume trading`);
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
  if (o.mode === 'live' && !(await o.store.configVersions.isApproved(configHash(o.config)))) {
    throw new KeelError('KEEL_E_CONFIG_UNAPPROVED', `config ${configHash(o.config).slice(0, 12)}… is not approved for live trading; review it and run keel config approve`);
  }
  // after any fetch above, so a cached load is of the market as it is now (market-cache.ts)
  const market = await loadMarket(o.store, { cacheDir: marketCacheDir(o.home), ...(o.asOf ? { to: o.asOf } : {}) });
  const view = viewAt(market.panel, o.asOf ?? market.panel.T - 1);
  gates.push(...dataGates(view, market.quality, o.config.data.minQuality));
  const failed = gates.filter((g) => !g.passed);
  if (failed.length > 0) return refuse(gates, failed.map((g) => `${g.gate}: ${g.detail}`).join('; '));
  const startedAtIso = new Date(clock.now()).toISOString();
  await seedFund(o.store, o.config, 'fund-cycle', startedAtIso);
  const session = await o.openBroker(o.config);
  // a real broker trades today's market: the cycle's prices must be of the last completed session
  // (checked here when no fetch judged the data: --as-of, --no-fetch)
  if (session.kind !== 'paper' && !gates.some((g) => g.gate === 'market_data')) {
    const stale = staleForBroker(session.kind, view.asOf, clock.now());
    gates.push(gate('market_data', stale === null, stale ?? `the stored bars are of the last completed session (${view.asOf})`));
    if (stale) return refuse(gates, stale, 'MARKET_DATA');
  }
  const broker = session.broker;
  const fitted = await fitAccount(o, session, view.asOf, startedAtIso);
  if (fitted.kind === 'refuse') return refuse(gates, fitted.reason);
  const config = fitted.config;
  const hash = configHash(config);
  // the paper broker fills at the view's close: its orders and fills, and the cycle's records, are stamped from that session
  const marketClock = tradeOnView(broker, clock, view);
  const advisory = config.fund.mode === 'advisory';
  // Before the state is read: executions of approved proposals change the books the cycle starts from.
  const desk = o.desk ? await o.desk(config).settle({ view, broker, clock, mode: o.mode }) : undefined;
  if (advisory && desk && desk.waiting.length > 0) {
    const ids = desk.waiting.map((w) => `${w.proposalId} (expires ${w.expiresAt})`).join(', ');
    return { status: 'WAITING', gates, desk, reason: `waiting for ${desk.waiting.length} decision(s) on the previous cycle's proposals: ${ids}` };
  }
  const { state, fromCycle, savedAt } = await loadRunState(o.store, config, view.asOf);
  // a trip or re-arm since the state was stored (the CLI's and the API's kill switch write the row)
  state.fund = await withOperatorState(o.store, fundId, state.fund, view.asOf, savedAt);
  const runId = `${fundId}-${o.mode}`;
  // a fund's cycles move forward in time, whatever their mode: a second cycle on a day (paper after
  // live) or one on an earlier day would trade its books on prices older than those they are marked at
  // (daily cycles only: an approved proposal's execution is stored as a cycle row, <fund>-exec-<proposal>, on the day it ran)
  const latest = (await o.store.cycles.list(fundId, 20)).filter((c) => c.status === 'COMPLETED' && c.id === `${fundId}-${c.mode}-${c.asOf}`).reduce<string | null>((m, c) => (m === null || c.asOf > m ? c.asOf : m), null);
  if (latest !== null && view.asOf <= latest) {
    // nothing is wrong (a restart with --run-now on a day whose cycle is done): information, not an alarm
    const again = view.asOf === latest;
    const next = o.asOf ? 'pick a later --as-of' : 'import newer bars (keel market fetch or import)';
    const why = again ? `a cycle already ran for ${view.asOf}` : `the fund's last cycle ran for ${latest}, after ${view.asOf}: its books are marked at later prices`;
    const refused = await refuse(gates, `${why}; ${next}`, 'TRADING', 'LOW');
    return desk ? { ...refused, desk } : refused;
  }
  const journal = new StoreOrderJournal(o.store, fundId);
  const omsState: { current: TradingState; nav: number } = { current: state.fund.tradingState, nav: state.ledger.fundNavCents() / 100 };
  const retry = o.retry ?? defaultRetry();
  const closeOf = (sym: string): number => {
    const u = view.column(sym);
    return u >= 0 ? view.close(u) : Number.NaN;
  };
  const oms = cycleOms({
    journal,
    broker,
    clock: marketClock,
    retry,
    config,
    market: {
      tradingState: () => omsState.current,
      nav: () => omsState.nav,
      price: closeOf,
      positionQty: (sym) => state.ledger.fundQty(sym),
    },
  });
  const reconciled = await reconcileWithBroker({ store: o.store, fundId, journal, oms, broker, clock: marketClock, alerts, cycleId: `${runId}-${view.asOf}`, price: closeOf, retry });
  if (!reconciled.ok) return refuse(gates, reconciled.reason);
  const services: CycleServices = {
    config,
    configHash: hash,
    agents: await loadRoster(config, o.remote ? { links: o.remote } : {}),
    broker,
    oms,
    journal,
    alerts,
    bus: o.bus ?? nullBus,
    clock: marketClock,
    ids: new RandomIds(),
    logger,
    metrics: o.metrics ?? null,
    mode: o.mode,
    runId,
    omsState,
    captureInputs: true,
    quality: market.quality,
    gate: (review, proposals) => decisionGates(review, proposals, config.killSwitch.fundVar99Pct),
  };
  const startedAt = startedAtIso;
  const prevNav = new Map<string, number>();
  for (const id of state.ledger.agentIds()) prevNav.set(id, state.ledger.navCents(id) / 100);
  prevNav.set('', state.ledger.fundNavCents() / 100);
  const t0 = performance.now();
  const result = await runCycle(services, state, view);
  await o.store.transaction((tx) =>
    saveCycle(tx, { fundId, mode: o.mode, configHash: hash, startedAt, result, state, prevNav, ...(advisory ? { advisory: { proposalTtlMs: config.pms.proposalTtlHours * 3_600_000 } } : {}) }),
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

/**
 * The account check of a live broker (Alpaca): a fund larger than the account is refused, or
 * scaled down to it by its config (`execution.accountMismatch`); the scaled config is stored as
 * the fund's new config version (approved when the one it came from was: the approved config
 * asked for the scaling), audited and alerted. The paper broker always fits.
 */
async function fitAccount(o: LiveCycleOptions, session: BrokerSession, asOf: string, at: string): Promise<{ kind: 'fits'; config: FundConfig } | { kind: 'refuse'; reason: string }> {
  if (session.alpaca === null) return { kind: 'fits', config: o.config };
  const fundId = o.config.fund.id;
  const traded = (await o.store.cycles.list(fundId, 1)).length > 0;
  const nav = traded ? (await loadRunState(o.store, o.config, asOf)).state.ledger.fundNavCents() / 100 : o.config.fund.totalCapital;
  const fit = accountFit(o.config, session.alpaca.account, { hasTraded: traded, nav });
  if (fit.kind === 'fits') return { kind: 'fits', config: o.config };
  if (fit.kind === 'refuse') return fit;
  const from = configHash(o.config);
  const wasApproved = await o.store.configVersions.isApproved(from);
  await o.store.transaction(async (tx) => {
    const applied = await applyConfigIn(tx, fit.config, 'kernel:account-fit', at, { note: `scaled ×${fit.factor.toPrecision(4)} from ${from.slice(0, 12)} to the broker account's equity $${session.alpaca?.account.equity ?? 0}` });
    if (wasApproved) await tx.configVersions.approve(applied.hash, `kernel:account-fit (scaled from approved ${from.slice(0, 12)})`, at);
    await tx.audit.append({ at, actor: 'kernel:account-fit', action: 'ConfigScaledToAccount', entity: 'fund', entityId: fundId, payload: { from, to: applied.hash, factor: fit.factor, equity: session.alpaca?.account.equity ?? null } });
  });
  const a = o.alerts.raise({ severity: 'HIGH', category: 'TRADING', title: 'fund scaled to the broker account', message: fit.reason, dedupKey: `account-scale:${fundId}`, fundId });
  if (a) await o.store.alerts.insert(a);
  o.logger?.log('warn', 'fund scaled to the broker account', { fundId, factor: fit.factor, reason: fit.reason });
  return { kind: 'fits', config: fit.config };
}
