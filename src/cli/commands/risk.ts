import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { KeelError } from '../../core/index.ts';
import { loadMarket } from '../../fund/index.ts';
import { viewAt } from '../../market/index.ts';
import { reviewRisk } from '../../overlay/index.ts';
import type { CliContext } from '../context.ts';
import { emit, table } from '../output.ts';
import { parseDate } from './args.ts';
import { registerRiskAllocation } from './risk-allocation.ts';

export function registerRiskCommands(program: Command, ctx: CliContext): void {
  const risk = program.command('risk').description("the risk service face of the overlay, and the capital it allocated across a fund's agents");
  registerRiskAllocation(risk, ctx);
  risk
    .command('review <input>')
    .description('review proposals against a fund state (docs/risk-service.md) using the stored market; prints the decisions')
    .option('--as-of <date>', 'market date (default: the request asOf, else the latest stored date)', parseDate('--as-of'))
    .option('--config <file>', 'a fund config file instead of .keel/fund.json')
    .option('--json', 'print the response as JSON')
    .action(async (input: string, o: { asOf?: string; config?: string; json?: boolean }) => {
      const file = path.resolve(ctx.io.cwd, input);
      let body: unknown;
      try {
        body = JSON.parse(readFileSync(file, 'utf8'));
      } catch (e) {
        throw new KeelError('KEEL_E_FILE', `${input}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `not valid JSON (${(e as Error).message})`}`);
      }
      const config = await ctx.loadConfig(o.config);
      const store = await ctx.store();
      const requested = o.asOf ?? (body as { asOf?: unknown } | null)?.asOf;
      const market = await loadMarket(store, { cacheDir: ctx.marketCacheDir, ...(typeof requested === 'string' ? { to: requested } : {}) });
      const view = viewAt(market.panel, typeof requested === 'string' ? requested : market.panel.T - 1);
      const withDate = typeof body === 'object' && body !== null ? { ...(body as Record<string, unknown>), asOf: view.asOf } : body;
      const res = reviewRisk(withDate, view, config);
      emit(ctx.io, o.json === true, res, () =>
        [
          `risk review as of ${view.asOf}: trading state ${res.tradingState}`,
          table(
            ['agent', 'action', 'scale', 'reasons'],
            res.decisions.map((d) => [d.agentId, d.action, d.scale.toFixed(2), [...new Set(d.reasons.map((r) => r.code))].join(' ')]),
          ),
        ].join('\n'),
      );
    });
}
