import { useMemo } from 'react';
import type { BacktestComparison, BindingSummary, CompareSide, Kept } from '../api/types.ts';
import { Chart } from '../charts/chart.tsx';
import { lineOption } from '../charts/options.ts';
import { Card, Grid, Table, money, num, pct } from '../design/index.ts';
import { palette } from '../design/tokens.ts';

/** What each overlay rule removed from the proposals, per day on average. */
export function BindingCard(p: { b: BindingSummary; title?: string }) {
  const { b } = p;
  return (
    <Card span={12} title={p.title ?? 'Binding constraints'} extra={`per day: proposed gross ${money(b.proposedGross, true)} → ${money(b.finalGross, true)}, fund VaR ${money(b.proposedVar, true)} → ${money(b.finalVar, true)}`} testId="binding-constraints">
      <Table
        rows={b.rules}
        rowKey={(r) => r.rule}
        empty="No rule removed anything"
        columns={[
          { key: 'r', header: 'Rule', render: (r) => r.rule },
          { key: 'k', header: 'Kind', render: (r) => (r.policy ? 'policy' : 'limit') },
          { key: 'g', header: 'Gross removed / day', num: true, render: (r) => money(r.gross, true) },
          { key: 'gp', header: 'of proposed', num: true, render: (r) => pct(r.grossPct, 1) },
          { key: 'v', header: 'VaR removed / day', num: true, render: (r) => money(r.var, true) },
          { key: 'vp', header: 'of proposed', num: true, render: (r) => pct(r.varPct, 1) },
          { key: 'd', header: 'Agent-days', num: true, render: (r) => pct(r.agentDaysPct, 1) },
        ]}
      />
    </Card>
  );
}

const ROWS = (label: string, s: CompareSide) =>
  (['gross', 'net'] as const).map((k) => ({ key: `${label}-${k}`, run: label, costs: k, x: s[k], side: s }));

/** The overlay beside the comparison run: both NAVs, the side-by-side table and what the overlay kept. */
export function ComparisonCard(p: { c: BacktestComparison; dates: string[]; equity: number[] }) {
  const { c } = p;
  const chart = useMemo(
    () => lineOption(p.dates, [{ name: 'overlay on', data: p.equity, colour: palette.accent }, { name: c.label, data: c.variant.fund.equity, colour: palette.down }], { legend: true }),
    [p.dates, p.equity, c],
  );
  const kept = (['gross', 'net'] as const).map((k) => ({ k, x: c.kept[k] }));
  const keptCol = (key: keyof Kept, header: string) => ({ key, header, num: true, render: (r: { x: Kept }) => pct(r.x[key], 0) });
  return (
    <Grid>
      <Card span={12} title={`Overlay on vs ${c.label}`} extra={`off in the comparison run: ${c.disabled.join(', ')}`} testId="backtest-comparison">
        <Chart option={chart} height={220} testId="backtest-comparison-chart" />
        <Table
          rows={[...ROWS('overlay on', c.on), ...ROWS(c.label, c.off)]}
          rowKey={(r) => r.key}
          columns={[
            { key: 'r', header: 'Run', render: (r) => r.run },
            { key: 'c', header: 'Costs', render: (r) => r.costs },
            { key: 't', header: 'Total', num: true, render: (r) => pct(r.x.totalReturn, 1) },
            { key: 'a', header: 'Annual', num: true, render: (r) => pct(r.x.annualReturn, 1) },
            { key: 'v', header: 'Vol', num: true, render: (r) => pct(r.x.annualVolatility, 1) },
            { key: 's', header: 'Sharpe', num: true, render: (r) => num(r.x.sharpe) },
            { key: 'd', header: 'Max DD', num: true, render: (r) => pct(r.x.maxDrawdown, 1) },
            { key: 'w', header: 'Worst 20d', num: true, render: (r) => pct(r.x.worst20d, 1) },
            { key: 'o', header: 'Turnover (1-way / gross)', num: true, render: (r) => `${num(r.side.turnover.oneWay, 1)}× / ${num(r.side.turnover.oneWayPerGross, 1)}×` },
            { key: 'k', header: 'Costs', num: true, render: (r) => money(r.side.costs.total, true) },
          ]}
        />
        <Table
          rows={kept}
          rowKey={(r) => r.k}
          columns={[
            { key: 'k', header: `Kept (on ÷ ${c.label})`, render: (r) => `${r.k} of costs` },
            keptCol('returnKept', 'Annual return'),
            keptCol('sharpeKept', 'Sharpe'),
            keptCol('drawdownReduction', 'Max DD smaller by'),
            keptCol('worst20dReduction', 'Worst 20d smaller by'),
          ]}
        />
      </Card>
    </Grid>
  );
}
