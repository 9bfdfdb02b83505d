import { useMemo, useState } from 'react';
import { useApi } from '../api/use-api.ts';
import type { NamePosition, Position, Totals } from '../api/types.ts';
import { Chart } from '../charts/chart.tsx';
import { barOption } from '../charts/options.ts';
import { Async, Card, DataTable, Grid, PageHead, Stat, Stats, Table, Tabs, money, num, pct, toneOf } from '../design/index.ts';
import { useSession } from '../session.ts';

const pnl = (x: number) => <span className={`tone-${toneOf(x)}`}>{money(x)}</span>;
const LIVE = ['fill.recorded', 'cycle.completed'];

function TotalsRow(p: { t: Totals }) {
  return (
    <Stats>
      <Stat label="Market value" value={money(p.t.marketValue, true)} />
      <Stat label="Gross (netted by name)" value={money(p.t.gross, true)} hint={`Σ books' gross ${money(p.t.booksGross, true)}`} />
      <Stat label="Net" value={money(p.t.net, true)} />
      <Stat label="Unrealised P&L" value={money(p.t.unrealizedPnl)} tone={toneOf(p.t.unrealizedPnl)} />
      <Stat label="Realised P&L" value={money(p.t.realizedPnl)} tone={toneOf(p.t.realizedPnl)} hint="every line, open and closed, from the fills" />
    </Stats>
  );
}

/** Positions by agent (grouped) and netted by name, with P&L. */
export function PositionsPage() {
  const { base } = useSession();
  const [tab, setTab] = useState<'agent' | 'name'>('agent');
  const byAgent = useApi<{ positions: Position[]; totals: Totals }>(`${base}/positions`, LIVE);
  const byName = useApi<{ names: NamePosition[]; totals: Totals }>(tab === 'name' ? `${base}/positions/by-name` : null, LIVE);
  return (
    <>
      <PageHead title="Position Book" sub="Open positions, marked to the latest close" />
      <Tabs tabs={[{ id: 'agent', label: 'By agent' }, { id: 'name', label: 'By name' }] as const} value={tab} onChange={setTab} />
      {tab === 'agent' ? <Async loaded={byAgent}>{(d) => <ByAgent positions={d.positions} totals={d.totals} />}</Async> : <Async loaded={byName}>{(d) => <ByName names={d.names} totals={d.totals} />}</Async>}
    </>
  );
}

function ByAgent(p: { positions: Position[]; totals: Totals }) {
  const groups = useMemo(() => {
    const m = new Map<string, Position[]>();
    for (const x of p.positions) m.set(x.agentId, [...(m.get(x.agentId) ?? []), x]);
    return [...m.entries()].sort((a, b) => a[0].localeCompare(b[0]));
  }, [p.positions]);
  return (
    <>
      <TotalsRow t={p.totals} />
      {groups.length === 0 ? (
        <Card title="Positions">
          <Table rows={[]} rowKey={() => ''} columns={[]} empty="The book is flat" />
        </Card>
      ) : null}
      {groups.map(([agent, rows]) => {
        const mv = rows.reduce((s, r) => s + r.marketValue, 0);
        const gross = rows.reduce((s, r) => s + Math.abs(r.marketValue), 0);
        const u = rows.reduce((s, r) => s + r.unrealizedPnl, 0);
        return (
          <div key={agent} style={{ marginBottom: 16 }}>
            <Card title={agent} extra={<>gross {money(gross, true)} · net {money(mv, true)} · unrealised {pnl(u)}</>}>
              <DataTable
                rows={rows}
                rowKey={(r) => `${r.agentId}/${r.symbol}`}
                exportName={`positions-${agent}`}
                testId={`positions-${agent}`}
                columns={[
                  { key: 'agent', header: 'Agent', render: () => null, value: (r) => r.agentId, isHidden: true },
                  { key: 'sym', header: 'Symbol', render: (r) => <b>{r.symbol}</b>, value: (r) => r.symbol },
                  { key: 'qty', header: 'Qty', num: true, render: (r) => num(r.qty, 0), value: (r) => r.qty },
                  { key: 'avg', header: 'Avg cost', num: true, render: (r) => num(r.avgCost), value: (r) => r.avgCost },
                  { key: 'last', header: 'Last', num: true, render: (r) => num(r.lastPrice), value: (r) => r.lastPrice },
                  { key: 'mv', header: 'Market value', num: true, render: (r) => money(r.marketValue), value: (r) => r.marketValue },
                  { key: 'w', header: '% of gross', num: true, render: (r) => pct(gross > 0 ? r.marketValue / gross : 0, 1), value: (r) => (gross > 0 ? r.marketValue / gross : 0) },
                  { key: 'u', header: 'Unrealised', num: true, render: (r) => pnl(r.unrealizedPnl), value: (r) => r.unrealizedPnl },
                  { key: 'r', header: 'Realised', num: true, render: (r) => pnl(r.realizedPnl), value: (r) => r.realizedPnl },
                ]}
              />
            </Card>
          </div>
        );
      })}
    </>
  );
}

function ByName(p: { names: NamePosition[]; totals: Totals }) {
  const top = useMemo(() => [...p.names].sort((a, b) => Math.abs(b.marketValue) - Math.abs(a.marketValue)).slice(0, 15), [p.names]);
  const option = useMemo(() => barOption(top.map((r) => r.symbol), top.map((r) => r.marketValue)), [top]);
  return (
    <>
      <TotalsRow t={p.totals} />
      <Grid>
        <Card span={7} title="Netted by name">
          <DataTable
            rows={p.names}
            rowKey={(r) => r.symbol}
            exportName="positions-by-name"
            testId="positions-by-name"
            empty="The book is flat"
            columns={[
              { key: 'sym', header: 'Symbol', render: (r) => <b>{r.symbol}</b>, value: (r) => r.symbol },
              { key: 'qty', header: 'Net qty', num: true, render: (r) => num(r.qty, 0), value: (r) => r.qty },
              { key: 'mv', header: 'Market value', num: true, render: (r) => money(r.marketValue), value: (r) => r.marketValue },
              { key: 'u', header: 'Unrealised', num: true, render: (r) => pnl(r.unrealizedPnl), value: (r) => r.unrealizedPnl },
              { key: 'r', header: 'Realised', num: true, render: (r) => pnl(r.realizedPnl), value: (r) => r.realizedPnl },
              { key: 'agents', header: 'Agents', render: (r) => r.agents.join(', '), value: (r) => r.agents.join(' ') },
            ]}
          />
        </Card>
        <Card span={5} title="Exposure by name" extra="largest 15, dollars">
          {top.length === 0 ? <div className="muted">Flat book.</div> : <Chart option={option} height={Math.max(160, top.length * 26 + 40)} testId="exposure-chart" />}
        </Card>
      </Grid>
    </>
  );
}
