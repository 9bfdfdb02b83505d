import { Option, type Command } from 'commander';
import { KeelError, ValidationError } from '../../core/index.ts';
import type { FundConfig } from '../../contracts/index.ts';
import { DEFAULT_CRON, FundDaemon, refreshMarket, storedFundConfig, type CycleResult, type DeskReport, type GateResult, type Kernel, type MarketRefresh } from '../../fund/index.ts';
import type { Store } from '../../store/index.ts';
import { awaitedDecisions } from '../../pms/index.ts';
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
function marketStep(io: CliIo, kernel: Kernel, store: Store, config: FundConfig): { refresh: (now: number) => Promise<MarketRefresh>; active: readonly string[]; note: string } {
  const sources = kernel.marketData(config.data, { logger: kernel.logger });
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
    .description("run one fund cycle now, on the fund's broker (execution.broker: paper or Alpaca)")
    .requiredOption('--once', 'run a single cycle and exit (the daemon runs on a schedule)')
    .addOption(new Option('--mode <mode>', 'paper: any config; live: an approved config only (keel config approve)').choices(['paper', 'live']).default('paper'))
    .option('--fund <id>', "the fund to run (default: fund.json's fund)")
    .option('--as-of <date>', 'run as of a stored date instead of the latest', parseDate('--as-of'))
    .option('--config <file>', 'the config file that seeds a new fund, instead of .keel/fund.json (an existing fund runs with its stored config)')
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
        "The fund runs with its stored config (keel config show); a fund.json that differs is reported and",
        'not applied (keel config apply). The broker is the config\'s execution.broker: "paper" fills at the',
        'latest close; "alpaca" trades on Alpaca (execution.alpaca.endpoint paper|live, APCA_API_KEY_ID,',
        'APCA_API_SECRET_KEY, APCA_API_BASE_URL), after checking the account and the clock, and refuses a fund',
        'larger than the account unless execution.accountMismatch is "scale" (docs/operations.md).',
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
        'On Alpaca, which fills at today\'s prices, a cycle on bars older than the last completed session',
        '(--as-of a past day, or --no-fetch on bars not brought up to date) is refused with a MARKET_DATA alert;',
        'the paper broker fills at the as-of close and runs any stored day, its fills stamped on that session.',
      ].join('\n'),
    )
    .action(async (o: { mode: 'paper' | 'live'; fund?: string; asOf?: string; config?: string; json?: boolean; wait?: number; poll: number; fetch: boolean }) => {
      const kernel = ctx.kernel();
      const { config } = await ctx.fundConfig({ ...(o.fund ? { fund: o.fund } : {}), ...(o.config ? { config: o.config } : {}) });
      const store = await kernel.store();
      const clock = kernel.clock;
      const market = o.fetch && !o.asOf ? marketStep(ctx.io, kernel, store, config) : undefined;
      if (market && market.active.length === 0) ctx.io.err(market.note);
      const runOnce = () => kernel.runCycle({ config, mode: o.mode, ...(o.asOf ? { asOf: o.asOf } : {}), ...(market ? { refreshMarket: market.refresh } : {}) });
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
    .description("run the fund cycle on a cron schedule on market days, on the fund's broker, with a heartbeat and graceful shutdown (SIGINT/SIGTERM)")
    .option('--cron <expr>', 'cron schedule (minute hour day month weekday)', DEFAULT_CRON)
    .option('--timezone <tz>', 'time zone of the schedule', 'America/New_York')
    .addOption(new Option('--mode <mode>', 'paper: any config; live: an approved config only').choices(['paper', 'live']).default('paper'))
    .option('--fund <id>', "the fund to run (default: fund.json's fund)")
    .option('--heartbeat <seconds>', 'heartbeat interval (default HEARTBEAT_INTERVAL, else 3600)', parseInteger('--heartbeat', 1))
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
        '',
        "Each cycle reads the fund's stored config again, so pause, resume and risk changes (keel agent, the API)",
        'take effect at the next cycle. With execution.broker "alpaca" the start refuses (exit 1, one line) when',
        'the keys are missing or Alpaca does not answer GET /v2/account and GET /v2/clock.',
      ].join('\n'),
    )
    .option('--stale-retry <duration>', 'when the data is stale, try again after this long (e.g. 10m)', parseDuration('--stale-retry'), 600_000)
    .option('--stale-give-up <duration>', 'stop retrying a stale cycle after this long (e.g. 2h)', parseDuration('--stale-give-up'), 7_200_000)
    .action(async (o: { cron: string; timezone: string; mode: 'paper' | 'live'; fund?: string; heartbeat?: number; runNow?: boolean; fetch: boolean; staleRetry: number; staleGiveUp: number }) => {
      const kernel = ctx.kernel({ level: 'info' });
      const first = await ctx.fundConfig(o.fund ? { fund: o.fund } : {});
      const config = first.config;
      const fundId = config.fund.id;
      const store = await kernel.store();
      const market = o.fetch ? marketStep(ctx.io, kernel, store, config) : undefined;
      if (market && market.active.length === 0) {
        throw new ValidationError('data.providers', `${market.note.replace('market data: ', '').replace('; running on the stored data', '')}: set the keys, or pass --no-fetch to trade on data you import yourself`);
      }
      // Refuse to start on a broker that does not answer (Alpaca: keys, account, clock).
      await kernel.broker(config, o.mode);
      const logger = kernel.logger.child({ fundId, process: 'daemon' });
      const alerts = kernel.alerts(config);
      const daemon = new FundDaemon({
        cron: o.cron,
        timezone: o.timezone,
        logger,
        heartbeatSec: o.heartbeat ?? kernel.env.heartbeatSec,
        runCycle: async () => {
          // The fund's config as stored now: controls changed since the last cycle take effect.
          const current = await currentConfig(kernel, fundId);
          const step = o.fetch ? marketStep(ctx.io, kernel, store, current) : undefined;
          return kernel.runCycle({ config: current, mode: o.mode, ...(step ? { refreshMarket: step.refresh } : {}) });
        },
        retryRefused: { when: (out) => out.gates.some((g) => g.gate === 'market_data' && !g.passed && g.retryable === true), everyMs: o.staleRetry, forMs: o.staleGiveUp },
        onFailure: (e, attempts) => {
          alerts.raise({ severity: 'CRITICAL', category: 'SYSTEM', title: 'fund cycle failed', message: `${String(e)} after ${attempts} attempt(s)`, dedupKey: 'daemon:failed', fundId });
        },
      });
      daemon.start();
      ctx.io.err(`keel daemon: fund ${fundId} on the ${config.execution.broker} broker, ${o.mode} mode, schedule '${o.cron}' (${o.timezone}), next run ${daemon.nextRun()?.toISOString() ?? 'never'}; ${market?.note ?? 'market data: not fetched (--no-fetch)'}; Ctrl-C to stop`);
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

/** The fund's config as stored now. */
async function currentConfig(kernel: Kernel, fundId: string): Promise<FundConfig> {
  const s = await storedFundConfig(await kernel.store(), fundId);
  if (!s) throw new KeelError('KEEL_E_NOT_FOUND', `fund ${fundId} no longer has a stored config`);
  return s.config;
}
