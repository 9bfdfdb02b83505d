import type { Command } from 'commander';
import { KeelError } from '../../core/index.ts';
import { runStoredBacktest, type BacktestSummary } from '../../fund/index.ts';
import type { CliContext } from '../context.ts';
import { emit, progressBar, table } from '../output.ts';
import { parseDate, parseList } from './args.ts';
import { formatBacktestSummary } from './backtest-report.ts';

interface RunOptions {
  from: string;
  to: string;
  agents?: string[];
  config?: string;
  json?: boolean;
}

export function registerBacktestCommands(program: Command, ctx: CliContext): void {
  const bt = program.command('backtest').description('backtests: the fund cycle run daily over stored history (same code as live)');

  bt.command('run', { isDefault: true })
    .description('run a backtest over the stored market: keel backtest --from D --to D [--agents a,b] [--json]')
    .requiredOption('--from <date>', 'first trading day YYYY-MM-DD', parseDate('--from'))
    .requiredOption('--to <date>', 'last trading day YYYY-MM-DD', parseDate('--to'))
    .option('--agents <ids>', 'comma-separated agent ids (default: all enabled)', parseList)
    .option('--config <file>', 'a fund config file instead of .keel/fund.json')
    .option('--json', 'print the results as JSON')
    .action(async (o: RunOptions) => {
      if (o.from > o.to) throw new KeelError('KEEL_E_VALIDATION', `--from ${o.from} is after --to ${o.to}`);
      const config = ctx.loadConfig(o.config);
      const store = await ctx.store();
      const bar = progressBar(ctx.io, 'backtest');
      const { result } = await runStoredBacktest(store, { config, from: o.from, to: o.to, onProgress: bar, ...(o.agents ? { agents: o.agents } : {}) });
      if (ctx.io.isTTY) ctx.io.err('');
      emit(ctx.io, o.json === true, result, () => formatBacktestSummary(result));
    });

  bt.command('list')
    .description('stored backtests')
    .option('--json', 'print as JSON')
    .action(async (o: { json?: boolean }) => {
      const store = await ctx.store();
      const list = await store.backtests.list();
      const rows = list.map((b) => ({
        id: b.id,
        status: b.status,
        progress: b.progress,
        from: (b.params as { from?: string }).from ?? '',
        to: (b.params as { to?: string }).to ?? '',
        totalReturn: (b.results as BacktestSummary | null)?.fund?.tearSheet?.totalReturn ?? null,
        sharpe: (b.results as BacktestSummary | null)?.fund?.tearSheet?.sharpe ?? null,
        createdAt: b.createdAt,
      }));
      emit(ctx.io, o.json === true, rows, () =>
        rows.length === 0
          ? 'no backtests yet: keel backtest --from YYYY-MM-DD --to YYYY-MM-DD'
          : table(
              ['id', 'status', 'from', 'to', 'return', 'Sharpe'],
              rows.map((r) => [r.id, r.status, r.from, r.to, r.totalReturn === null ? '—' : `${(r.totalReturn * 100).toFixed(1)}%`, r.sharpe === null ? '—' : r.sharpe.toFixed(2)]),
            ),
      );
    });

  bt.command('show <id>')
    .description('one stored backtest: the summary table (or everything with --json)')
    .option('--json', 'print as JSON')
    .action(async (id: string, o: { json?: boolean }) => {
      const store = await ctx.store();
      const b = await store.backtests.get(id);
      if (!b) throw new KeelError('KEEL_E_NOT_FOUND', `no backtest '${id}'; see keel backtest list`);
      if (b.status !== 'COMPLETED') {
        emit(ctx.io, o.json === true, b, () => `backtest ${id}: ${b.status}${b.error ? ` (${b.error})` : ''}, progress ${(b.progress * 100).toFixed(0)}%`);
        return;
      }
      const s = b.results as BacktestSummary;
      emit(ctx.io, o.json === true, s, () => formatBacktestSummary(s));
    });
}
