import type { Command } from 'commander';
import type { AgentAllocation, Allocation } from '../../overlay/index.ts';
import type { CliContext } from '../context.ts';
import { emit, table } from '../output.ts';
import { parseDate, parseInteger } from './args.ts';
import { num, pct, usd } from './backtest-report.ts';
import { fundIdOf } from './kill-switch.ts';

/** A stored allocation: the review's `Allocation` with the cycle that made it. */
type StoredAllocation = Allocation & { readonly cycleId: string | null };

/** Dollars moved between the agents by one allocation: half the sum of the changes (a dollar given is a dollar taken). */
function movedDollars(a: Pick<Allocation, 'agents'>): number {
  let s = 0;
  for (const x of a.agents) s += Math.abs(x.to - x.from);
  return s / 2;
}

function agentRows(agents: readonly AgentAllocation[]): string[][] {
  return agents.map((x) => [x.agentId, usd(x.from), usd(x.to), usd(x.to - x.from), usd(x.target), pct(x.riskShare), pct(x.vol), num(x.sharpe), x.why]);
}

/** The text of `keel risk allocation`: the reallocations, one line each, then the latest per agent. */
function formatAllocations(fundId: string, list: readonly StoredAllocation[]): string {
  const last = list[list.length - 1];
  if (!last) {
    return `no capital allocation stored for fund ${fundId}: its agents keep their capital until a cycle reallocates (on the allocation.rebalance schedule once they have allocation.minHistoryDays of record), or an agent cannot trade the market and its capital goes to the others`;
  }
  return [
    `capital allocations of fund ${fundId} (${list.length}, date order; the cycles that moved capital)`,
    table(
      ['as of', 'kind', 'method', 'fund ex-ante vol', 'tilt', 'moved'],
      list.map((a) => [a.asOf, a.rebalanced ? 'rebalance' : 'readiness', a.method, pct(a.exAnteVol > 0 ? a.exAnteVol : null), num(a.tilt), usd(movedDollars(a))]),
    ),
    '',
    `the latest, ${last.asOf}${last.cycleId ? ` (cycle ${last.cycleId})` : ''}:`,
    table(['agent', 'before', 'after', 'change', 'target', 'risk share', 'vol', 'Sharpe (shrunk)', 'why'], agentRows(last.agents)),
    '(risk share: the agent\'s Euler share of the fund\'s ex-ante risk at its new capital; vol and Sharpe: of its daily returns per dollar; — : record too short)',
  ].join('\n');
}

/** `keel risk allocation`: the capital the overlay allocated across a fund's agents, as GET /v1/funds/:fundId/allocation. */
export function registerRiskAllocation(risk: Command, ctx: CliContext): void {
  risk
    .command('allocation')
    .description("the capital the overlay allocated across a fund's agents, per cycle that moved it (as GET /v1/funds/:fundId/allocation)")
    .option('--fund <id>', "the fund (default: fund.json's)")
    .option('--from <date>', 'first day YYYY-MM-DD', parseDate('--from'))
    .option('--to <date>', 'last day YYYY-MM-DD', parseDate('--to'))
    .option('--limit <n>', 'the latest n allocations', parseInteger('--limit', 1), 20)
    .option('--json', 'print them as JSON')
    .action(async (o: { fund?: string; from?: string; to?: string; limit: number; json?: boolean }) => {
      const fundId = await fundIdOf(ctx, o.fund);
      const store = await ctx.store();
      const rows = await store.risk.allocations(fundId, { from: o.from, to: o.to, limit: o.limit });
      const list = rows.map((r) => ({ cycleId: r.cycleId, ...(r.allocation as unknown as Allocation) }));
      emit(ctx.io, o.json === true, { fundId, allocations: list }, () => formatAllocations(fundId, list));
    });
}
