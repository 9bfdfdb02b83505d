import { Option, type Command } from 'commander';
import { InProcessBus } from '../../bus/index.ts';
import { JsonLogger, LiveClock, RandomIds, ValidationError } from '../../core/index.ts';
import type { FundConfig } from '../../contracts/index.ts';
import { AlertManager, channelsFromEnv, createFundMetrics, DEFAULT_CRON, FundDaemon, refreshMarket, runLiveCycle, type CycleResult, type DeskReport, type GateResult, type MarketRefresh } from '../../fund/index.ts';
import { buildMarketDataSources } from '../../market/index.ts';
import type { Store } from '../../store/index.ts';
import type { Logger } from '../../core/index.ts';
import { awaitedDecisions, proposalDesk } from '../../pms/index.ts';
import type { CliContext } from '../context.ts';
import { emit, table, type CliIo } from '../output.ts';
import { stepProgress } from '../market/progress.ts';
import { parseDate, parseDuration, parseInteger, parsePositive } from './args.ts';

function cycleText(r: CycleResult): string {
  return [
    `cycle ${r.cycleId} as of ${r.asOf}: trading state ${r.review.tradingState}, regime ${r.review.regime}`,
    `NAV $${r.nav.fund.toLocaleString('en-US', { maximumFractionDigits: 0 })}; ${r.orders.length} orders, ${r.fills.length} fills, ${r.alerts.length} alerts`,
    '',
    table(
      ['agent', 'action', 'scale', 'reasons'],
      r.decisions.map((d) => [d.agentId, d.action, d.scale.toFixed(2), [...new Set(d.reasons.map((x) => x.code))].slice(0, 4).join(' ')]),
    ),
    '',
    `gates: ${r.gates.map((g) => `${g.gate} ${g.passed ? 'ok' : 'FAILED'}`).join(', ') || 'none'}`,
    ...r.unready.map((u) => `agent ${u.agentId} cannot trade this market: ${u.reason}`),
  ].join('\n');
}

function deskText(d: DeskReport, reason: string | null): string {
  const lines = [
    `proposals: ${d.expired.length} expired, ${d.executed.length} executed, ${d.waiting.length} awaiting a decision`,
    ...d.executed.map((e) => `  ${e.proposalId}: ${e.outcome} (${e.orderIds.length} orders, ${e.fillIds.length} fills)`),
    ...d.expired.map((id) => `  ${id}: EXPIRED`),
  ];
  if (d.waiting.length > 0) {
    lines.push('', reason ?? 'waiting for decisions:', table(['proposal', 'agent', 'expires'], d.waiting.map((w) => [w.proposalId, w.agentId, w.expiresAt])));
    lines.push('', 'decide them (dashboard Proposals page or POST /v1/funds/:fundId/proposals/:id/approve|reject), or run with --wait 30m');
  }
  return lines.join('\n');
}

/**
 * The pre-cycle market-data step of `keel run --once` and the daemon, or undefined with
 * --no-fetch. Providers without keys are skipped; with none left, the cycle runs on stored data.
 */
function marketStep(io: CliIo, store: Store, config: FundConfig, logger: Logger): { refresh: (now: number) => Promise<MarketRefresh>; active: readonly string[]; note: string } {
  const sources = buildMarketDataSources(config.data, io.env, { logger });
  const progress = stepProgress(io, 'fetching');
  const note =
    sources.active.length > 0
      ? `market data: ${sources.active.join(', ')}${sources.skipped.length ? ` (skipped ${sources.skipped.map((s) => `${s.provider}: ${s.reason}`).join('; ')})` : ''}`
      : `market data: no source configured (${sources.skipped.map((s) => `${s.provider}: ${s.reason}`).join('; ') || 'data.providers is empty'}); running on the stored data`;
  return {
    refresh: (now) => refreshMarket(store, sources, config.data.macroSeries, now, { onProgress: (p) => progress(p.done, p.total), quality: config.data }),
    active: sources.active,
    note,
  };
}

function marketLine(gates: readonly GateResult[]): string {
  const g = gates.find((x) => x.gate === 'market_data');
  return g ? `market data: ${g.detail}` : '';
}

export function registerRunCommands(program: Command, ctx: CliContext): void {
  program
    .command('run')
    .description('run one fund cycle now on the stored market (paper: the paper broker; live: needs an approved config)')
    .requiredOption('--once', 'run a single cycle and exit (the daemon runs on a schedule)')
    .addOption(new Option('--mode <mode>', 'paper or live').choices(['paper', 'live']).default('paper'))
    .option('--as-of <date>', 'run as of a stored date instead of the latest', parseDate('--as-of'))
    .option('--config <file>', 'a fund config file instead of .keel/fund.json')
    .option(
      '--wait <duration>',
      "advisory mode: while the previous cycle's proposals are undecided, poll until they are decided or expire (e.g. 30m, 2h), then run",
      parseDuration('--wait'),
    )
    .option('--poll <seconds>', 'with --wait: seconds between checks', parsePositive('--poll'), 10)
    .option('--no-fetch', 'do not fetch new market data first: run on the stored data as it is')
    .option('--json', 'print the cycle as JSON')
    .addHelpText(
      'after',
      [
        '',
        'Before the cycle, proposals past their expiry are moved to EXPIRED and approved ones that have not',
        'executed are executed (orders, fills, positions), on this run\'s broker. Advisory funds',
        "(fund.mode = advisory): if proposals of the previous cycle still wait for a decision, no new cycle",
        'runs: the run reports them (status WAITING, exit code 0), or with --wait polls until they are',
        'decided or expire.',
        '',
        'Market data: unless --as-of or --no-fetch is given, the run first fetches the bars of every session',
        'since the latest stored one, up to the last completed session (16:00 New York), for the stored',
        'universe, the index and the volatility index, and the FRED series of data.macroSeries, through',
        'data.providers (keys from APCA_API_KEY_ID/APCA_API_SECRET_KEY, POLYGON_API_KEY, FRED_API_KEY). If the',
        'universe still has no bar of that session, the cycle is refused with a MARKET_DATA alert naming the',
        'sources that failed and why. With no provider keys set, it runs on the stored data (docs/market-data.md).',
      ].join('\n'),
    )
    .action(async (o: { mode: 'paper' | 'live'; asOf?: string; config?: string; json?: boolean; wait?: number; poll: number; fetch: boolean }) => {
      const config = ctx.loadConfig(o.config);
      const store = await ctx.store();
      const logger = new JsonLogger((l) => ctx.io.err(l), { fundId: config.fund.id }, ctx.io.env.KEEL_LOG_LEVEL === 'debug' ? 'debug' : 'warn');
      const clock = new LiveClock();
      const desk = proposalDesk(store, config);
      const market = o.fetch && !o.asOf ? marketStep(ctx.io, store, config, logger) : undefined;
      if (market && market.active.length === 0) ctx.io.err(market.note);
      const runOnce = () =>
        runLiveCycle({
          store,
          config,
          mode: o.mode,
          home: ctx.home,
          logger,
          clock,
          channels: channelsFromEnv(ctx.io.env, logger),
          desk,
          ...(o.asOf ? { asOf: o.asOf } : {}),
          ...(market ? { refreshMarket: market.refresh } : {}),
        });
      let out = await runOnce();
      if (out.status === 'WAITING' && o.wait !== undefined) {
        const deadline = clock.now() + o.wait;
        ctx.io.err(`${out.reason}; waiting up to ${Math.round(o.wait / 1000)} s`);
        let left = (await awaitedDecisions(store, config.fund.id, new Date(clock.now()).toISOString())).waiting.length;
        while (left > 0 && clock.now() < deadline) {
          await new Promise((r) => setTimeout(r, Math.max(1, Math.min(o.poll * 1000, deadline - clock.now()))));
          left = (await awaitedDecisions(store, config.fund.id, new Date(clock.now()).toISOString())).waiting.length;
        }
        out = await runOnce();
      }
      if (out.status === 'WAITING') {
        emit(ctx.io, o.json === true, { status: out.status, reason: out.reason, desk: out.desk }, () => deskText(out.desk, out.reason));
        return;
      }
      if (out.status === 'REFUSED') {
        emit(ctx.io, o.json === true, out, () => [out.desk ? deskText(out.desk, null) : '', marketLine(out.gates), `cycle refused: ${out.reason}`].filter((x) => x !== '').join('\n'));
        throw new Error(`cycle refused: ${out.reason}`);
      }
      const r = out.result;
      emit(
        ctx.io,
        o.json === true,
        { cycleId: r.cycleId, asOf: r.asOf, nav: r.nav, tradingState: r.review.tradingState, decisions: r.decisions, orders: r.orders, gates: out.gates, unready: r.unready, desk: out.desk ?? null },
        () => [out.desk ? deskText(out.desk, null) : '', marketLine(out.gates), cycleText(r)].filter((x) => x !== '').join('\n\n'),
      );
    });

  program
    .command('daemon')
    .description('run the fund cycle on a cron schedule on market days, with a heartbeat and graceful shutdown (SIGINT/SIGTERM)')
    .option('--cron <expr>', 'cron schedule (minute hour day month weekday)', DEFAULT_CRON)
    .option('--timezone <tz>', 'time zone of the schedule', 'America/New_York')
    .addOption(new Option('--mode <mode>', 'paper or live').choices(['paper', 'live']).default('paper'))
    .option('--heartbeat <seconds>', 'heartbeat interval', parseInteger('--heartbeat', 1), Number(process.env.HEARTBEAT_INTERVAL ?? 3600))
    .option('--run-now', 'run one cycle at start, then follow the schedule')
    .option('--no-fetch', 'do not fetch market data before each cycle (you import it yourself)')
    .addHelpText(
      'after',
      [
        '',
        'Before each cycle the daemon fetches the bars of every session since the latest stored one (the',
        'universe, the index, the volatility index) and the FRED series of data.macroSeries, through',
        'data.providers; a cycle whose universe still lacks the last completed session is refused with a',
        'MARKET_DATA alert naming the failed sources, and retried every --stale-retry until --stale-give-up.',
        'It will not start without a provider key unless --no-fetch is given (docs/market-data.md).',
      ].join('\n'),
    )
    .option('--stale-retry <duration>', 'when the data is stale, try again after this long (e.g. 10m)', parseDuration('--stale-retry'), 600_000)
    .option('--stale-give-up <duration>', 'stop retrying a stale cycle after this long (e.g. 2h)', parseDuration('--stale-give-up'), 7_200_000)
    .action(async (o: { cron: string; timezone: string; mode: 'paper' | 'live'; heartbeat: number; runNow?: boolean; fetch: boolean; staleRetry: number; staleGiveUp: number }) => {
      const config = ctx.loadConfig();
      const store = await ctx.store();
      const logger = new JsonLogger((l) => ctx.io.err(l), { fundId: config.fund.id, process: 'daemon' });
      const market = o.fetch ? marketStep(ctx.io, store, config, logger) : undefined;
      if (market && market.active.length === 0) {
        throw new ValidationError('data.providers', `${market.note.replace('market data: ', '').replace('; running on the stored data', '')}: set the keys, or pass --no-fetch to trade on data you import yourself`);
      }
      const bus = new InProcessBus(logger);
      const metrics = createFundMetrics();
      const channels = channelsFromEnv(ctx.io.env, logger);
      const desk = proposalDesk(store, config);
      const alerts = new AlertManager({ clock: new LiveClock(), ids: new RandomIds(), channels, logger });
      const daemon = new FundDaemon({
        cron: o.cron,
        timezone: o.timezone,
        logger,
        heartbeatSec: o.heartbeat,
        runCycle: () => runLiveCycle({ store, config, mode: o.mode, home: ctx.home, logger, bus, metrics, channels, desk, ...(market ? { refreshMarket: market.refresh } : {}) }),
        retryRefused: { when: (out) => out.gates.some((g) => g.gate === 'market_data' && !g.passed && g.retryable === true), everyMs: o.staleRetry, forMs: o.staleGiveUp },
        onFailure: (e, attempts) => {
          alerts.raise({ severity: 'CRITICAL', category: 'SYSTEM', title: 'fund cycle failed', message: `${String(e)} after ${attempts} attempt(s)`, dedupKey: 'daemon:failed', fundId: config.fund.id });
        },
      });
      daemon.start();
      ctx.io.err(`keel daemon: ${o.mode} mode, schedule '${o.cron}' (${o.timezone}), next run ${daemon.nextRun()?.toISOString() ?? 'never'}; ${market?.note ?? 'market data: not fetched (--no-fetch)'}; Ctrl-C to stop`);
      if (o.runNow) await daemon.tick();
      await new Promise<void>((resolve) => {
        const stop = (sig: string) => {
          ctx.io.err(`${sig}: finishing the cycle in progress, then stopping`);
          void daemon.stop().then(resolve);
        };
        process.once('SIGINT', () => stop('SIGINT'));
        process.once('SIGTERM', () => stop('SIGTERM'));
      });
      await alerts.flush();
    });
}
