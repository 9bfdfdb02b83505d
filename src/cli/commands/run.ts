import { Option, type Command } from 'commander';
import { InProcessBus } from '../../bus/index.ts';
import { JsonLogger, LiveClock, RandomIds } from '../../core/index.ts';
import { AlertManager, channelsFromEnv, createFundMetrics, DEFAULT_CRON, FundDaemon, runLiveCycle, type CycleResult } from '../../fund/index.ts';
import type { CliContext } from '../context.ts';
import { emit, table } from '../output.ts';
import { parseDate, parseInteger } from './args.ts';

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
  ].join('\n');
}

export function registerRunCommands(program: Command, ctx: CliContext): void {
  program
    .command('run')
    .description('run one fund cycle now on the stored market (paper: the paper broker; live: needs an approved config)')
    .requiredOption('--once', 'run a single cycle and exit (the daemon runs on a schedule)')
    .addOption(new Option('--mode <mode>', 'paper or live').choices(['paper', 'live']).default('paper'))
    .option('--as-of <date>', 'run as of a stored date instead of the latest', parseDate('--as-of'))
    .option('--config <file>', 'a fund config file instead of .keel/fund.json')
    .option('--json', 'print the cycle as JSON')
    .action(async (o: { mode: 'paper' | 'live'; asOf?: string; config?: string; json?: boolean }) => {
      const config = ctx.loadConfig(o.config);
      const store = await ctx.store();
      const logger = new JsonLogger((l) => ctx.io.err(l), { fundId: config.fund.id }, ctx.io.env.KEEL_LOG_LEVEL === 'debug' ? 'debug' : 'warn');
      const out = await runLiveCycle({ store, config, mode: o.mode, home: ctx.home, logger, channels: channelsFromEnv(ctx.io.env, logger), ...(o.asOf ? { asOf: o.asOf } : {}) });
      if (out.status === 'REFUSED') {
        emit(ctx.io, o.json === true, out, () => `cycle refused: ${out.reason}`);
        throw new Error(`cycle refused: ${out.reason}`);
      }
      const r = out.result;
      emit(ctx.io, o.json === true, { cycleId: r.cycleId, asOf: r.asOf, nav: r.nav, tradingState: r.review.tradingState, decisions: r.decisions, orders: r.orders, gates: out.gates }, () => cycleText(r));
    });

  program
    .command('daemon')
    .description('run the fund cycle on a cron schedule on market days, with a heartbeat and graceful shutdown (SIGINT/SIGTERM)')
    .option('--cron <expr>', 'cron schedule (minute hour day month weekday)', DEFAULT_CRON)
    .option('--timezone <tz>', 'time zone of the schedule', 'America/New_York')
    .addOption(new Option('--mode <mode>', 'paper or live').choices(['paper', 'live']).default('paper'))
    .option('--heartbeat <seconds>', 'heartbeat interval', parseInteger('--heartbeat', 1), Number(process.env.HEARTBEAT_INTERVAL ?? 3600))
    .option('--run-now', 'run one cycle at start, then follow the schedule')
    .action(async (o: { cron: string; timezone: string; mode: 'paper' | 'live'; heartbeat: number; runNow?: boolean }) => {
      const config = ctx.loadConfig();
      const store = await ctx.store();
      const logger = new JsonLogger((l) => ctx.io.err(l), { fundId: config.fund.id, process: 'daemon' });
      const bus = new InProcessBus(logger);
      const metrics = createFundMetrics();
      const channels = channelsFromEnv(ctx.io.env, logger);
      const alerts = new AlertManager({ clock: new LiveClock(), ids: new RandomIds(), channels, logger });
      const daemon = new FundDaemon({
        cron: o.cron,
        timezone: o.timezone,
        logger,
        heartbeatSec: o.heartbeat,
        runCycle: () => runLiveCycle({ store, config, mode: o.mode, home: ctx.home, logger, bus, metrics, channels }),
        onFailure: (e, attempts) => {
          alerts.raise({ severity: 'CRITICAL', category: 'SYSTEM', title: 'fund cycle failed', message: `${String(e)} after ${attempts} attempt(s)`, dedupKey: 'daemon:failed', fundId: config.fund.id });
        },
      });
      daemon.start();
      ctx.io.err(`keel daemon: ${o.mode} mode, schedule '${o.cron}' (${o.timezone}), next run ${daemon.nextRun()?.toISOString() ?? 'never'}; Ctrl-C to stop`);
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
