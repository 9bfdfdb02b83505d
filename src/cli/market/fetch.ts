import type { Command } from 'commander';
import { LiveClock, ValidationError } from '../../core/index.ts';
import { fetchRange, type MarketFetchReport } from '../../fund/index.ts';
import { describeFailures, lastCompletedSession } from '../../market/index.ts';
import { parseDate, parseList } from '../commands/args.ts';
import type { CliContext } from '../context.ts';
import { emit, table } from '../output.ts';
import { stepProgress } from './progress.ts';

interface FetchOptions {
  from: string;
  to?: string;
  symbols?: string[];
  macro: boolean;
  config?: string;
  json?: boolean;
}

function reportText(r: MarketFetchReport): string {
  const rows = Object.entries(r.bySource).map(([source, t]) => [source, t.bars.new, t.bars.stored, t.observations.new, t.observations.stored]);
  const lines = [
    rows.length > 0 ? table(['source', 'bars new', 'already stored', 'observations new', 'already stored'], rows) : 'nothing fetched',
  ];
  for (const g of r.groups) {
    if (g.symbols.length === 0) continue;
    if (g.failures.length > 0) lines.push(`${g.name}: failed: ${describeFailures(g.failures)}`);
    if (g.missing.length > 0) lines.push(`${g.name}: no bar of the last session for ${g.missing.length} symbol(s): ${g.missing.slice(0, 20).join(' ')}${g.missing.length > 20 ? ' …' : ''}`);
  }
  for (const m of r.macro) if (m.failures.length > 0) lines.push(`${m.series}: failed: ${describeFailures(m.failures)}`);
  if (r.newInstruments.length > 0) lines.push(`new instruments: ${r.newInstruments.join(' ')}`);
  if (r.dropped > 0) lines.push(`${r.dropped} bar(s) after the range dropped`);
  lines.push(`${(r.durationMs / 1000).toFixed(1)} s`);
  return lines.join('\n');
}

/** `keel market fetch`: bars (and FRED series) for a date range through the configured providers. */
export function registerFetch(market: Command, ctx: CliContext): void {
  market
    .command('fetch')
    .description('fetch daily bars and macro series for a date range from the configured providers (data.providers) into the store; re-fetching stores nothing twice')
    .requiredOption('--from <date>', 'first date (YYYY-MM-DD)', parseDate('--from'))
    .option('--to <date>', 'last date (default: the last completed session, 16:00 New York)', parseDate('--to'))
    .option('--symbols <list>', 'comma-separated symbols (default: every stored equity, index and volatility index); unknown ones are registered', parseList)
    .option('--no-macro', 'skip the FRED series of data.macroSeries (fetched only when FRED is configured)')
    .option('--config <file>', 'a fund config file instead of .keel/fund.json (for data.providers, data.macroSeries, data.symbolMap)')
    .option('--json', 'print the report as JSON')
    .addHelpText(
      'after',
      [
        '',
        'Sources are tried in the order of data.providers; a source without its keys is skipped:',
        '  alpaca  APCA_API_KEY_ID, APCA_API_SECRET_KEY (APCA_API_DATA_URL, default https://data.alpaca.markets)',
        '  polygon POLYGON_API_KEY (POLYGON_BASE_URL)',
        '  fred    FRED_API_KEY (FRED_BASE_URL): macro series, and the index/volatility index as close-only bars',
        'Symbols one source lacks are asked of the next; a source that fails (bad key, outage after retries)',
        'is not asked again in this fetch. Nothing dated after --to is stored. The summary counts, per source,',
        'bars and observations new and already stored. Exit code 1 when nothing could be fetched.',
      ].join('\n'),
    )
    .action(async (o: FetchOptions) => {
      const to = o.to ?? lastCompletedSession(new LiveClock().now());
      if (o.from > to) throw new ValidationError('--from', `${o.from} is after --to ${to}`);
      if (o.symbols?.length === 0) throw new ValidationError('--symbols', 'lists no symbol');
      const config = await ctx.loadConfig(o.config);
      const sources = ctx.kernel().marketData(config.data);
      if (sources.active.length === 0) {
        const why = sources.skipped.map((s) => `${s.provider}: ${s.reason}`).join('; ') || 'the list is empty';
        throw new ValidationError('data.providers', `no provider can be used (${why}); set the keys (docs/market-data.md)`);
      }
      const store = await ctx.store();
      const bar = stepProgress(ctx.io, 'fetching');
      const report = await fetchRange(
        store,
        sources.router,
        { from: o.from, to, ...(o.symbols ? { symbols: o.symbols } : {}), macroSeries: o.macro && sources.active.includes('fred') ? config.data.macroSeries : [] },
        { onProgress: (p) => bar(p.done, p.total) },
      );
      emit(ctx.io, o.json === true, { from: o.from, to, sources: sources.active, skipped: sources.skipped, ...report }, () =>
        [`${o.from} .. ${to} from ${sources.active.join(', ')}`, reportText(report)].join('\n'),
      );
      const asked = report.groups.reduce((n, g) => n + g.symbols.length, 0) + report.macro.length;
      const delivered = Object.values(report.bySource).reduce((n, t) => n + t.bars.new + t.bars.stored + t.observations.new + t.observations.stored, 0);
      const failed = report.groups.some((g) => g.failures.length > 0) || report.macro.some((m) => m.failures.length > 0);
      if (asked > 0 && delivered === 0 && failed) throw new Error('nothing could be fetched (see the failures above)');
    });
}
