import { useMemo } from 'react';
import { useApi } from '../api/use-api.ts';
import { useLatestBacktest } from '../api/latest-backtest.ts';
import type { BacktestResults, Position, Totals } from '../api/types.ts';
import { Chart } from '../charts/chart.tsx';
import { barOption } from '../charts/options.ts';
import { Async, Card, EmptyState, Grid, PageHead, Table, money, pct, toneOf } from '../design/index.ts';
import { useSession } from '../session.ts';

interface Part { key: string; unrealised: number; realised: number; total: number }

function group(positions: readonly Position[], by: (p: Position) => string): Part[] {
  const m = new Map<string, Part>();
  for (const p of positions) {
    const k = by(p);
    const x = m.get(k) ?? { key: k, unrealised: 0, realised: 0, total: 0 };
    x.unrealised += p.unrealizedPnl;
    x.realised += p.realizedPnl;
    x.total += p.unrealizedPnl + p.realizedPnl;
    m.set(k, x);
  }
  return [...m.values()].sort((a, b) => b.total - a.total);
}

/** P&L decomposed by agent and by name (book), and each agent's contribution to the backtest return. */
export function AttributionPage() {
  const { base } = useSession();
  const book = useApi<{ positions: Position[]; totals: Totals }>(`${base}/positions?openOnly=false`, ['fill.recorded', 'cycle.completed']);
  const bt = useLatestBacktest(base);
  const results = bt.detail.data?.backtest.results ?? null;
  return (
    <>
      <PageHead title="Attribution" sub="Where the P&L comes from" />
      <Async loaded={book}>
        {(d) => {
          const byAgent = group(d.positions, (p) => p.agentId);
          const byName = group(d.positions, (p) => p.symbol);
          return (
            <Grid>
              <Card span={6} title="P&L by agent" extra={<span className={`tone-${toneOf(d.totals.unrealizedPnl + d.totals.realizedPnl)}`}>total {money(d.totals.unrealizedPnl + d.totals.realizedPnl)}</span>}>
                <PartTable parts={byAgent} label="Agent" />
                {byAgent.length > 0 ? <Chart option={barOption(byAgent.map((x) => x.key), byAgent.map((x) => x.total))} height={Math.max(140, byAgent.length * 34 + 40)} testId="pnl-by-agent-chart" /> : null}
              </Card>
              <Card span={6} title="P&L by name" extra="top 15 by |P&L|">
                <PartTable parts={[...byName].sort((a, b) => Math.abs(b.total) - Math.abs(a.total)).slice(0, 15)} label="Symbol" />
              </Card>
            </Grid>
          );
        }}
      </Async>
      {results ? <Contribution r={results} /> : <div style={{ marginBottom: 16 }}><Card title="Agent contribution (backtest)"><EmptyState title="No completed backtest">Run one on the <a href="#/backtests">Backtests</a> page.</EmptyState></Card></div>}
      <Card title="Factor and Brinson attribution">
        <EmptyState title="Not served by the API yet">src/pms computes factor and Brinson–Fachler attribution, but docs/api.md has no attribution endpoint (e.g. GET /v1/funds/:fundId/attribution).</EmptyState>
      </Card>
    </>
  );
}

function PartTable(p: { parts: Part[]; label: string }) {
  const c = (x: number) => <span className={`tone-${toneOf(x)}`}>{money(x)}</span>;
  return (
    <Table
      rows={p.parts}
      rowKey={(r) => r.key}
      empty="No P&L yet"
      columns={[
        { key: 'k', header: p.label, render: (r) => <b>{r.key}</b> },
        { key: 'u', header: 'Unrealised', num: true, render: (r) => c(r.unrealised) },
        { key: 'r', header: 'Realised', num: true, render: (r) => c(r.realised) },
        { key: 't', header: 'Total', num: true, render: (r) => c(r.total) },
      ]}
    />
  );
}

function Contribution(p: { r: BacktestResults }) {
  const rows = useMemo(() => {
    const f0 = p.r.fund.equity[0] ?? 0;
    return p.r.agents
      .map((a) => {
        const e0 = a.equity[0] ?? 0;
        const e1 = a.equity[a.equity.length - 1] ?? e0;
        return { id: a.id, contribution: f0 > 0 ? (e1 - e0) / f0 : 0, own: a.tearSheet.totalReturn, sharpe: a.tearSheet.sharpe };
      })
      .sort((a, b) => b.contribution - a.contribution);
  }, [p.r]);
  const option = useMemo(() => barOption(rows.map((r) => r.id), rows.map((r) => r.contribution), { percent: true }), [rows]);
  return (
    <Grid>
      <Card span={6} title="Contribution to fund return" extra={`${p.r.from} → ${p.r.to}`}>
        <Chart option={option} height={Math.max(160, rows.length * 34 + 40)} testId="attribution-chart" />
      </Card>
      <Card span={6} title="Contribution table" extra={`fund ${pct(p.r.fund.tearSheet.totalReturn)}`}>
        <Table
          rows={rows}
          rowKey={(r) => r.id}
          empty="No agents"
          columns={[
            { key: 'a', header: 'Agent', render: (r) => <b>{r.id}</b> },
            { key: 'c', header: 'Contribution', num: true, render: (r) => <span className={`tone-${toneOf(r.contribution)}`}>{pct(r.contribution)}</span> },
            { key: 'o', header: 'Own return', num: true, render: (r) => pct(r.own) },
            { key: 's', header: 'Sharpe', num: true, render: (r) => r.sharpe.toFixed(2) },
          ]}
        />
      </Card>
    </Grid>
  );
}
