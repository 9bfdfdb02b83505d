import { InvalidArgumentError, type Command } from 'commander';
import { KeelError } from '../../core/index.ts';
import { configDifferences, describeDifferences, overlayRules, runStoredBacktest, storedFundConfig, type BacktestSummary } from '../../fund/index.ts';
import type { CliContext } from '../context.ts';
import { emit, progressBar, table } from '../output.ts';
import { parseDate, parseList } from './args.ts';
import { formatBacktest } from './backtest-report.ts';

interface RunOptions {
  from: string;
  to: string;
  agents?: string[];
  config?: string;
  compare?: 'overlay-off';
  without: string[];
  json?: boolean;
}

function parseCompare(v: string): 'overlay-off' {
  if (v !== 'overlay-off') throw new InvalidArgumentError(`--compare takes overlay-off (the overlay's policy rules off, hard limits on), got '${v}'`);
  return v;
}

const collect = (v: string, list: string[]): string[] => [...list, ...parseList(v)];

export function registerBacktestCommands(program: Command, ctx: CliContext): void {
  const rules = overlayRules();
  const bt = program.command('backtest').description('backtests: the fund cycle run daily over stored history (same code as live)');

  bt.command('run', { isDefault: true })
    .description('run a backtest over the stored market: keel backtest --from D --to D [--agents a,b] [--compare overlay-off] [--without rule] [--json]')
    .requiredOption('--from <date>', 'first trading day YYYY-MM-DD', parseDate('--from'))
    .requiredOption('--to <date>', 'last trading day YYYY-MM-DD', parseDate('--to'))
    .option('--agents <ids>', 'comma-separated agent ids (default: all enabled)', parseList)
    .option('--config <file>', 'a fund config file instead of .keel/fund.json (a file that differs from the fund\'s stored config is noted)')
    .option(
      '--compare <variant>',
      `run it again with the overlay's policy rules off (${rules.policy.join(', ')}; budgets, caps and kill switches stay) and print both side by side: overlay-off`,
      parseCompare,
    )
    .option('--without <rule>', `switch this overlay rule off in the comparison run (repeatable or comma-separated; implies a comparison): ${rules.all.join(', ')}`, collect, [])
    .option('--json', 'print the results as JSON (with --compare: the comparison and both runs\' daily NAVs, gross and net of costs)')
    .addHelpText(
      'after',
      [
        '',
        'The table shows each book\'s return, risk, VaR budget used and one-way turnover per unit of gross, and the',
        'binding constraints: what each overlay rule removed from the proposals (gross dollars and fund VaR, per day).',
        'With --compare overlay-off or --without, both runs share one market load and run one after the other; the',
        'comparison (return, vol, Sharpe, drawdowns, turnover, costs, gross and net of costs, and what the overlay kept)',
        'is stored with the backtest: keel backtest show <id>. Rules: docs/overlay.md "Policy rules and hard limits".',
      ].join('\n'),
    )
    .action(async (o: RunOptions) => {
      if (o.from > o.to) throw new KeelError('KEEL_E_VALIDATION', `--from ${o.from} is after --to ${o.to}`);
      const config = await ctx.loadConfig(o.config);
      const store = await ctx.store();
      // keel run and the API's backtests use the fund's stored config: say when the file tested differs from it
      const stored = await storedFundConfig(store, config.fund.id);
      const drift = stored ? configDifferences(stored.config, config) : [];
      if (drift.length > 0) {
        ctx.io.err(`note: backtesting ${o.config ?? ctx.configPath}, which differs from fund ${config.fund.id}'s stored config (the one keel run and the API's backtests use) in ${drift.length} field(s) (${describeDifferences(drift)}); keel config apply makes it the fund's`);
      }
      const compare = o.compare !== undefined || o.without.length > 0 ? { policyOff: o.compare === 'overlay-off', without: o.without } : null;
      if (compare) ctx.io.err(`backtest ${o.from} … ${o.to}, then the comparison run (${compare.policyOff ? 'overlay-off' : ''}${o.without.length > 0 ? `${compare.policyOff ? ', ' : ''}without ${o.without.join(', ')}` : ''})`);
      const bar = progressBar(ctx.io, 'backtest');
      const { result } = await runStoredBacktest(store, {
        config,
        from: o.from,
        to: o.to,
        onProgress: (done, total) => {
          bar(done, total);
          if (compare && done === total && ctx.io.isTTY) ctx.io.err(''); // the comparison's bar on a line of its own
        },
        ...(o.agents ? { agents: o.agents } : {}),
        marketCacheDir: ctx.marketCacheDir,
        remote: ctx.kernel().remote,
        ...(compare ? { compare, onCompareProgress: progressBar(ctx.io, compare.policyOff ? 'overlay-off' : 'comparison') } : {}),
      });
      if (ctx.io.isTTY) ctx.io.err('');
      emit(ctx.io, o.json === true, result, () => formatBacktest(result));
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
    .description('one stored backtest: the summary table, binding constraints and the comparison if one was run (or everything with --json)')
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
      emit(ctx.io, o.json === true, s, () => formatBacktest(s));
    });
}
