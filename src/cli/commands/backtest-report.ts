import type { BacktestSummary } from '../../fund/index.ts';
import { table } from '../output.ts';

const pct = (x: number | null, d = 1): string => (x === null || !Number.isFinite(x) ? '—' : `${(x * 100).toFixed(d)}%`);
const num = (x: number | null, d = 2): string => (x === null || !Number.isFinite(x) ? '—' : x.toFixed(d));

/** The summary table: the fund and each agent — return, volatility, Sharpe, max drawdown, VaR budget used, overlay actions. */
export function formatBacktestSummary(s: BacktestSummary): string {
  const f = s.fund.tearSheet;
  const actions = (a: { APPROVE: number; SCALE: number; MODIFY: number; BLOCK: number }) =>
    `${a.APPROVE}/${a.SCALE}/${a.MODIFY}/${a.BLOCK}`;
  const rows: (string | number)[][] = [
    ['FUND', 'fund', pct(f.totalReturn), pct(f.annualReturn), pct(f.annualVolatility), num(f.sharpe), pct(f.maxDrawdown), '—', actions(s.overlayActions)],
    ...s.agents.map((a) => [
      a.id,
      a.strategy,
      pct(a.tearSheet.totalReturn),
      pct(a.tearSheet.annualReturn),
      pct(a.tearSheet.annualVolatility),
      num(a.tearSheet.sharpe),
      pct(a.tearSheet.maxDrawdown),
      `${pct(a.varBudgetUsedMean, 0)} (max ${pct(a.varBudgetUsedMax, 0)})`,
      actions(a.overlayActions),
    ]),
  ];
  const rules = Object.entries(s.overlayActionsByRule)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const b = s.fund.benchmark;
  return [
    `backtest ${s.id}: ${s.from} … ${s.to}, ${s.days} trading days, config ${s.configHash.slice(0, 12)}`,
    '',
    table(['book', 'strategy', 'total', 'annual', 'vol', 'Sharpe', 'max DD', 'VaR budget used', 'approve/scale/modify/block'], rows),
    '',
    `fund: Sortino ${num(f.sortino)}, Calmar ${num(f.calmar)}, daily VaR95 ${pct(f.dailyVaR95, 2)}, CVaR95 ${pct(f.dailyCVaR95, 2)}, beta ${num(f.beta)}, deflated Sharpe ${num(f.deflatedSharpe, 3)} over ${f.trials} trials`,
    ...(b ? [`benchmark (market index): total ${pct(b.totalReturn)}, Sharpe ${num(b.sharpe)}, max DD ${pct(b.maxDrawdown)}`] : []),
    `overlay reasons by rule: ${rules || 'none'}`,
    `kill-switch events: ${s.killSwitchEvents.length}${s.killSwitchEvents.length ? ` (first ${s.killSwitchEvents[0]?.date}: ${s.killSwitchEvents[0]?.triggers.join(', ') || s.killSwitchEvents[0]?.cause})` : ''}; re-arms: ${s.rearms.length}`,
    ...(s.unready ?? []).map((u) => `agent ${u.agentId} could not trade this market on ${u.days} of ${s.days} days (from ${u.from}): ${u.reason}`),
    `orders ${s.costs.orders}, fills ${s.costs.fills}, commissions $${s.costs.commissions.toFixed(0)}, turnover ${s.turnover.annualisedTurnover.toFixed(1)}×/year`,
    `ledger reconciled to the cent every day: ${s.ledgerReconciled ? 'yes' : 'NO'}`,
    `${s.days} cycles in ${(s.performance.durationMs / 1000).toFixed(1)} s (${s.performance.cyclesPerSecond.toFixed(1)} cycles/s)`,
  ].join('\n');
}
