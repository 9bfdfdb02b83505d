import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { buildServer, newApiKey } from '../../api/index.ts';
import { configHash, defaultFundConfigInput, type FundConfig } from '../../contracts/index.ts';
import { ValidationError, addDays, type IsoDate } from '../../core/index.ts';
import { adoptBacktest, loadMarket, type BacktestSummary } from '../../fund/index.ts';
import type { Store } from '../../store/index.ts';
import type { CliContext } from '../context.ts';
import { formatSyntheticMarket, storeSyntheticMarket } from '../market/generate.ts';
import { emit, progressBar } from '../output.ts';
import { parseInteger } from './args.ts';
import { formatBacktestSummary } from './backtest-report.ts';

interface DemoOptions {
  symbols: number;
  years: number;
  seed: number;
  backtestYears: number;
  port: number;
  host: string;
  serve: boolean;
  json?: boolean;
}

const WEB_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../web/dist');

/** Finds the demo's backtest if it already ran with this config and window. */
async function existingBacktest(store: Store, cfg: FundConfig, from: IsoDate, to: IsoDate): Promise<BacktestSummary | null> {
  const hash = configHash(cfg);
  for (const b of await store.backtests.list(200)) {
    const p = b.params as { from?: string; to?: string; configHash?: string; agents?: unknown };
    if (b.status === 'COMPLETED' && p.from === from && p.to === to && p.agents === null && (b.results as BacktestSummary | null)?.configHash === hash) {
      return b.results as BacktestSummary;
    }
  }
  return null;
}

/** A local admin for the dashboard: created once, its key printed once. */
async function ensureAdmin(store: Store, fundId: string): Promise<{ name: string; key: string | null }> {
  const users = await store.users.list();
  const admin = users.find((u) => u.name === 'admin');
  if (admin) return { name: 'admin', key: null };
  const key = newApiKey();
  await store.users.create({ id: 'user-admin', name: 'admin', role: 'admin', fundIds: [fundId, '*'], apiKey: key, createdAt: new Date().toISOString() });
  return { name: 'admin', key };
}

/**
 * The synthetic history must be long enough for the fund's data-quality gate and longer than the
 * backtest: with fewer days than `data.minHistoryRows` no name is tradable and the demo backtested
 * a fund that never traded, printing a table of zeros.
 */
function checkDemoYears(o: Pick<DemoOptions, 'years' | 'backtestYears'>, config: FundConfig, configPath: string): void {
  const days = Math.round(o.years * 252);
  const need = config.data.minHistoryRows;
  if (days < need) {
    throw new ValidationError(
      '--years',
      `${o.years} years of synthetic history is ${days} trading days, fewer than data.minHistoryRows (${need}) in ${configPath}: no name would pass the data-quality gate and no agent could trade. ` +
        `Use --years ${Math.ceil(need / 252)} or more, or lower data.minHistoryRows and data.degradedMinRows in the config`,
    );
  }
  if (o.backtestYears >= o.years) {
    throw new ValidationError('--backtest-years', `${o.backtestYears} is not less than --years ${o.years}: the backtest needs history before its first day for the agents' signals; use --backtest-years ${Math.max(1, o.years - 1)} or a longer --years`);
  }
}

export function registerDemoCommand(program: Command, ctx: CliContext): void {
  program
    .command('demo')
    .description('the main job (npm start): the synthetic market, a 3-year backtest of the whole fund, a summary table, then the API and dashboard')
    .option('--symbols <n>', 'names in the synthetic market', parseInteger('--symbols', 10), 500)
    .option('--years <y>', 'years of synthetic history', parseInteger('--years', 2), 6)
    .option('--seed <s>', 'seed of the synthetic market', parseInteger('--seed', 0), 42)
    .option('--backtest-years <y>', 'years to backtest (the most recent)', parseInteger('--backtest-years', 1), 3)
    .option('--port <port>', 'HTTP port of the API and dashboard', parseInteger('--port', 0), 8080)
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--no-serve', 'print the summary and exit instead of serving the dashboard')
    .option('--json', 'print the backtest summary as JSON')
    .action(async (o: DemoOptions) => {
      const io = ctx.io;
      const t0 = performance.now();
      mkdirSync(ctx.home, { recursive: true });
      if (!existsSync(ctx.configPath)) writeFileSync(ctx.configPath, `${JSON.stringify(defaultFundConfigInput(), null, 2)}\n`);
      const { config } = await ctx.fundConfig();
      const store = await ctx.store();
      const equities = (await store.instruments.list()).filter((i) => i.assetClass === 'equity').length;
      if (equities === 0) {
        checkDemoYears(o, config, ctx.configPath);
        io.err(`generating the synthetic market: ${o.symbols} names × ${o.years} years (seed ${o.seed})…`);
        const m = await storeSyntheticMarket(ctx, { symbols: o.symbols, years: o.years, seed: o.seed });
        io.err(formatSyntheticMarket(m));
      }
      io.err('loading the market…');
      const market = await loadMarket(store, { cacheDir: ctx.marketCacheDir });
      const last = market.panel.dates[market.panel.T - 1] ?? '';
      const from = market.panel.dates.find((d) => d >= addDays(last, -Math.round(365.25 * o.backtestYears))) ?? last;
      let summary = await existingBacktest(store, config, from, last);
      if (summary) io.err(`reusing backtest ${summary.id} (${summary.from} … ${summary.to})`);
      else {
        io.err(`backtesting ${from} … ${last} with ${config.agents.length} agents under the fund overlay…`);
        const bar = progressBar(io, 'backtest');
        const out = await adoptBacktest(store, { config, from, to: last, market, onProgress: bar });
        if (io.isTTY) io.err('');
        summary = out.result;
      }
      emit(io, o.json === true, summary, () => formatBacktestSummary(summary));
      io.err(`demo ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      if (!o.serve) return;
      const admin = await ensureAdmin(store, config.fund.id);
      const kernel = ctx.kernel();
      const server = await buildServer({
        store,
        config,
        bus: await kernel.bus(),
        metrics: kernel.metrics,
        clock: kernel.clock,
        kernel,
        warmMarket: true,
        validateResponses: kernel.env.api.validateResponses,
        ...(kernel.env.api.jobConcurrency !== null ? { jobConcurrency: kernel.env.api.jobConcurrency } : {}),
        ...(kernel.env.api.jobQueueMax !== null ? { jobQueueMax: kernel.env.api.jobQueueMax } : {}),
        ...(existsSync(WEB_DIST) ? { webDist: WEB_DIST } : {}),
      });
      let port = o.port;
      for (let attempt = 0; ; attempt++) {
        try {
          await server.listen({ port, host: o.host });
          break;
        } catch (e) {
          if ((e as { code?: string }).code !== 'EADDRINUSE' || attempt >= 10 || port === 0) throw e;
          port += 1;
        }
      }
      const url = `http://${o.host}:${port}`;
      io.err(
        [
          '',
          `Keel is serving the API and dashboard at ${url}`,
          existsSync(WEB_DIST) ? `  dashboard: ${url}/` : '  (dashboard not built: npm run build:web)',
          `  API docs:  ${url}/docs`,
          admin.key ? `  log in as 'admin' with the key ${admin.key} (shown once; rotate with keel user key admin)` : `  log in as 'admin' (key shown at the first start; rotate with: npx keel user key admin)`,
          'Ctrl-C to stop.',
        ].join('\n'),
      );
      await new Promise<void>((resolve) => {
        const stop = () => void server.close().then(() => resolve());
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
