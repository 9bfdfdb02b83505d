import type { Command } from 'commander';
import type { CliContext } from '../context.ts';
import { emit, table } from '../output.ts';

/** `keel market list`: stored instruments with their bar span and latest quality state. */
export function registerList(market: Command, ctx: CliContext): void {
  market
    .command('list')
    .description('list stored instruments with sector, bar count and span, and latest data-quality state')
    .option('--sector <name>', 'only this sector')
    .option('--json', 'print as JSON')
    .action(async (o: { sector?: string; json?: boolean }) => {
      const store = await ctx.store();
      const instruments = await store.instruments.list(o.sector ? { sector: o.sector } : {});
      const stats = new Map((await store.bars.stats()).map((s) => [s.symbol, s]));
      const quality = new Map((await store.dataQuality.latest()).map((q) => [q.symbol, q]));
      const rows = instruments.map((i) => {
        const s = stats.get(i.symbol);
        const q = quality.get(i.symbol);
        return {
          symbol: i.symbol,
          name: i.name,
          assetClass: i.assetClass,
          sector: i.sector,
          bars: s?.rows ?? 0,
          firstDate: s?.firstDate ?? null,
          lastDate: s?.lastDate ?? null,
          score: q?.score ?? null,
          state: q?.state ?? null,
        };
      });
      emit(ctx.io, o.json === true, rows, () =>
        rows.length === 0
          ? 'no instruments stored: run keel market generate or keel market import first'
          : `${table(
              ['symbol', 'sector', 'class', 'bars', 'first', 'last', 'state'],
              rows.map((r) => [r.symbol, r.sector ?? '', r.assetClass, r.bars, r.firstDate ?? '', r.lastDate ?? '', r.state ?? '']),
            )}\n${rows.length} instruments`,
      );
    });
}
