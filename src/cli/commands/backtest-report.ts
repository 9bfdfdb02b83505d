import type { BacktestComparison, BacktestSummary, BindingSummary, CompareSide, HedgeSummary, StopExitSummary } from '../../fund/index.ts';
import { table } from '../output.ts';

export const pct = (x: number | null, d = 1): string => (x === null || !Number.isFinite(x) ? '—' : `${(x * 100).toFixed(d)}%`);
export const num = (x: number | null, d = 2): string => (x === null || !Number.isFinite(x) ? '—' : x.toFixed(d));
/** Dollars, short: $1.23M, $45.6k, $789. */
export function usd(x: number | null): string {
  if (x === null || !Number.isFinite(x)) return '—';
  const a = Math.abs(x);
  const sign = x < 0 ? '−' : '';
  if (a >= 1e9) return `${sign}$${(a / 1e9).toFixed(2)}B`;
  if (a >= 1e6) return `${sign}$${(a / 1e6).toFixed(2)}M`;
  if (a >= 1e3) return `${sign}$${(a / 1e3).toFixed(1)}k`;
  return `${sign}$${a.toFixed(0)}`;
}

/** The binding constraints: what each rule removed from the proposals, per day on average (docs/overlay.md "Binding constraints"). */
export function formatBinding(b: BindingSummary): string {
  if (b.days === 0) return 'binding constraints: no reviews';
  const removedGross = b.proposedGross - b.finalGross;
  const removedVar = b.proposedVar - b.finalVar;
  const rows = b.rules.map((r) => [r.rule, r.policy ? 'policy' : 'limit', usd(r.gross), pct(r.grossPct), usd(r.var), pct(r.varPct), `${pct(r.agentDaysPct)} (${r.agentDays})`]);
  rows.push(['total', '', usd(removedGross), pct(b.proposedGross > 0 ? removedGross / b.proposedGross : 0), usd(removedVar), pct(b.proposedVar > 0 ? removedVar / b.proposedVar : 0), '']);
  return [
    `binding constraints, per day on average: proposed gross ${usd(b.proposedGross)}, final ${usd(b.finalGross)}; fund VaR of the proposals ${usd(b.proposedVar)}, final ${usd(b.finalVar)}`,
    table(['rule', 'kind', 'gross removed', 'of proposed', 'VaR removed', 'of proposed', 'agent-days'], rows),
  ].join('\n');
}

function meanOf(xs: readonly number[]): number | null {
  return xs.length > 0 ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
}

function money(x: number | null): string {
  return x === null ? '—' : `$${(x / 1e6).toFixed(1)}m`;
}

/** The summary table: the fund and each agent — return, volatility, Sharpe, max drawdown, VaR budget used, overlay actions. */
export function formatBacktestSummary(s: BacktestSummary): string {
  const f = s.fund.tearSheet;
  const actions = (a: { APPROVE: number; SCALE: number; MODIFY: number; BLOCK: number }) =>
    `${a.APPROVE}/${a.SCALE}/${a.MODIFY}/${a.BLOCK}`;
  const rows: (string | number)[][] = [
    ['FUND', 'fund', money(meanOf(s.fund.equity)), pct(f.totalReturn), pct(f.annualReturn), pct(f.annualVolatility), num(f.sharpe), pct(f.maxDrawdown), '—', `${num(s.turnover.oneWayPerGross ?? null, 1)}×`, actions(s.overlayActions)],
    ...s.agents.map((a) => [
      a.id,
      a.strategy,
      // results stored before the capital allocation have no capital series: the configured capital
      money(meanOf((a as { capital?: number[] }).capital ?? []) ?? a.allocatedCapital),
      pct(a.tearSheet.totalReturn),
      pct(a.tearSheet.annualReturn),
      pct(a.tearSheet.annualVolatility),
      num(a.tearSheet.sharpe),
      pct(a.tearSheet.maxDrawdown),
      `${pct(a.varBudgetUsedMean, 0)} (max ${pct(a.varBudgetUsedMax, 0)})`,
      `${num((a.trading as typeof a.trading | undefined)?.oneWayPerGross ?? null, 1)}×`,
      actions(a.overlayActions),
    ]),
  ];
  const b = s.fund.benchmark;
  return [
    `backtest ${s.id}: ${s.from} … ${s.to}, ${s.days} trading days, config ${s.configHash.slice(0, 12)}`,
    '',
    table(['book', 'strategy', 'capital', 'total', 'annual', 'vol', 'Sharpe', 'max DD', 'VaR budget used', 'turnover/gross', 'approve/scale/modify/block'], rows),
    '(capital: mean over the run, moved between agents by the risk allocation; turnover/gross: one-way turnover per unit of gross exposure, a year)',
    '',
    `fund: Sortino ${num(f.sortino)}, Calmar ${num(f.calmar)}, daily VaR95 ${pct(f.dailyVaR95, 2)}, CVaR95 ${pct(f.dailyCVaR95, 2)}, beta ${num(f.beta)}, deflated Sharpe ${num(f.deflatedSharpe, 3)} over ${f.trials} trials`,
    ...(b ? [`benchmark (market index): total ${pct(b.totalReturn)}, Sharpe ${num(b.sharpe)}, max DD ${pct(b.maxDrawdown)}`] : []),
    '',
    // results stored before the binding report and the trading figures existed have neither
    (s.binding as BindingSummary | undefined) ? formatBinding(s.binding) : 'binding constraints: not recorded (a backtest stored by an earlier version)',
    '',
    `kill-switch events: ${s.killSwitchEvents.length}${s.killSwitchEvents.length ? ` (first ${s.killSwitchEvents[0]?.date}: ${s.killSwitchEvents[0]?.triggers.join(', ') || s.killSwitchEvents[0]?.cause})` : ''}; re-arms: ${s.rearms.length}`,
    ...(s.unready ?? []).map((u) => `agent ${u.agentId} could not trade this market on ${u.days} of ${s.days} days (from ${u.from}): ${u.reason}`),
    `orders ${s.costs.orders}, fills ${s.costs.fills}, commissions ${usd(s.costs.commissions)}, slippage and impact ${usd(s.costs.slippage ?? null)}; turnover one-way ${num(s.turnover.oneWay ?? null, 1)}× NAV, ${num(s.turnover.oneWayPerGross ?? null, 1)}× gross a year (orders sent ${s.turnover.annualisedTurnover.toFixed(1)}× NAV)`,
    ...(s.hedge ? [formatHedge(s.hedge, s.days)] : []),
    // results stored before stops existed have no field
    ...(s.stopExits ? [formatStopExits(s.stopExits)] : []),
    `ledger reconciled to the cent every day: ${s.ledgerReconciled ? 'yes' : 'NO'}`,
    `${s.days} cycles in ${(s.performance.durationMs / 1000).toFixed(1)} s (${s.performance.cyclesPerSecond.toFixed(1)} cycles/s)`,
  ].join('\n');
}

/** The fund hedge book in one line: days hedged, fills, traded, mean and largest size, P&L, what it holds at the end. */
export function formatHedge(h: HedgeSummary, days: number): string {
  const held = h.positions.length > 0 ? h.positions.map((p) => `${p.qty.toFixed(0)} ${p.instrument} (${usd(p.notional)})`).join(', ') : 'nothing';
  return `hedge book: hedged ${h.daysHedged} of ${days} days, ${h.fills} fills, traded ${usd(h.tradedNotional)}, mean ${usd(h.meanGross)} (max ${usd(h.maxGross)}), P&L ${usd(h.pnl)} after ${usd(h.commissions)} commissions; holds ${held}`;
}

/** Stop exits in one line: positions closed at their ATR stop and at their take-profit, in all and per agent with stops. */
export function formatStopExits(x: StopExitSummary): string {
  const per = Object.entries(x.byAgent).map(([id, n]) => `${id} ${n.atrStop}/${n.takeProfit}`);
  return `ATR stops (risk.atrStops): ${x.atrStop + x.takeProfit} exits, ${x.atrStop} at the stop, ${x.takeProfit} at the take-profit (per agent stop/target: ${per.join(', ')})`;
}

/** The comparison table: both runs gross and net of costs, and what the overlay kept (docs/fund-cycle.md "Backtests"). */
export function formatComparison(c: BacktestComparison): string {
  const side = (name: string, x: CompareSide) =>
    (['gross', 'net'] as const).map((k) => {
      const s = x[k];
      return [
        name,
        k,
        pct(s.totalReturn),
        pct(s.annualReturn),
        pct(s.annualVolatility),
        num(s.sharpe),
        pct(s.maxDrawdown),
        pct(s.worst20d),
        `${num(x.turnover.oneWay, 2)}×`,
        `${num(x.turnover.oneWayPerGross, 1)}×`,
        usd(x.costs.total),
        pct(x.costs.ofGrossPnl, 0),
      ];
    });
  const kept = (k: 'gross' | 'net') => {
    const x = c.kept[k];
    return [`${k} of costs`, pct(x.returnKept, 0), pct(x.sharpeKept, 0), pct(x.drawdownReduction, 0), pct(x.worst20dReduction, 0)];
  };
  return [
    `comparison: overlay on vs ${c.label} (off in the comparison run: ${c.disabled.join(', ')})`,
    table(
      ['run', 'costs', 'total', 'annual', 'vol', 'Sharpe', 'max DD', 'worst 20d', 'turnover', 'per gross', 'costs', 'of gross P&L'],
      [...side('overlay on', c.on), ...side(c.label, c.off)],
    ),
    '(turnover: one-way, a year, per unit of NAV and of gross exposure; costs: commissions + modelled slippage and impact)',
    '',
    table([`kept (overlay on ÷ ${c.label})`, 'annual return', 'Sharpe', 'max DD smaller by', 'worst 20d smaller by'], [kept('gross'), kept('net')]),
    '',
    `${c.label}: ${formatBinding(c.variant.binding)}`,
  ].join('\n');
}

/** A backtest's summary, with its comparison when one was run. */
export function formatBacktest(s: BacktestSummary): string {
  return s.comparison ? `${formatBacktestSummary(s)}\n\n${formatComparison(s.comparison)}` : formatBacktestSummary(s);
}
