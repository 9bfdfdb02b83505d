import { useMemo, useState } from 'react';
import { post, query } from '../api/client.ts';
import { useChosenBacktest } from '../api/chosen-backtest.ts';
import { useApi } from '../api/use-api.ts';
import type { AgentDetail, AgentExposure, PnlSeries } from '../api/types.ts';
import { Chart } from '../charts/chart.tsx';
import { lineOption } from '../charts/options.ts';
import { Async, Button, Card, ConfirmDialog, DataTable, EmptyState, Grid, PageHead, Stat, Stats, StatusBadge, money, num, pct, toneOf } from '../design/index.ts';
import { can, useSession } from '../session.ts';
import { BacktestPicker } from './backtest-picker.tsx';
import { Reasons } from './reasons.tsx';

const LIVE = ['cycle.completed', 'fill.recorded', 'config.changed'];

/** One agent (`#/agents/<id>?backtest=<id>`): its book, exposures, overlay decisions with every reason, P&L, and pause/resume. */
export function AgentPage(p: { agentId: string }) {
  const { base } = useSession();
  const bt = useChosenBacktest(base);
  const url = `${base}/agents/${encodeURIComponent(p.agentId)}${query({ backtest: bt.id })}`;
  const detail = useApi<AgentDetail>(url, LIVE);
  return (
    <>
      <PageHead
        title={`Agent ${p.agentId}`}
        sub={
          <>
            <a href={`#/agents${query({ backtest: bt.id })}`} data-testid="agent-back">
              ← all agents
            </a>
            {detail.data ? ` · ${detail.data.agent.strategy.replace(/_/g, ' ')} · ${detail.data.agent.bucket.replace(/_/g, ' ')}` : ''}
          </>
        }
      >
        <BacktestPicker bt={bt} />
      </PageHead>
      <Async loaded={detail}>{(d) => <AgentBody d={d} onChange={detail.reload} />}</Async>
    </>
  );
}

function AgentBody(p: { d: AgentDetail; onChange: () => void }) {
  const { d } = p;
  return (
    <>
      <Controls d={d} onChange={p.onChange} />
      <Exposures e={d.exposures} capital={d.capital} />
      <Card title="Positions" extra={`weights of ${money(d.capital.value, true)} ${d.capital.source === 'nav' ? `(NAV ${d.capital.navDate ?? ''})` : '(allocated capital)'}`}>
        <DataTable
          rows={d.positions}
          rowKey={(r) => r.symbol}
          exportName={`agent-${d.agent.id}-positions`}
          testId="agent-positions"
          empty="The agent holds nothing"
          columns={[
            { key: 'symbol', header: 'Name', render: (r) => <b>{r.symbol}</b>, value: (r) => r.symbol },
            { key: 'sector', header: 'Sector', render: (r) => r.sector, value: (r) => r.sector },
            { key: 'qty', header: 'Qty', num: true, render: (r) => num(r.qty, 0), value: (r) => r.qty },
            { key: 'px', header: 'Price', num: true, render: (r) => num(r.lastPrice), value: (r) => r.lastPrice },
            { key: 'mv', header: 'Market value', num: true, render: (r) => money(r.marketValue), value: (r) => r.marketValue },
            { key: 'w', header: 'Weight', num: true, render: (r) => pct(r.weight), value: (r) => r.weight },
            { key: 'u', header: 'Unrealised', num: true, render: (r) => <span className={`tone-${toneOf(r.unrealizedPnl)}`}>{money(r.unrealizedPnl)}</span>, value: (r) => r.unrealizedPnl },
          ]}
        />
      </Card>
      <div style={{ height: 16 }} />
      <Grid>
        <Pnl title="P&L — stored book" s={d.pnl.live} error={d.pnl.liveError} testId="agent-pnl-live" name={d.agent.id} />
        <Pnl title="P&L — backtest" s={d.pnl.backtest} error={d.pnl.backtestError ?? (d.pnl.backtestId === null ? 'No backtest chosen' : null)} testId="agent-pnl-bt" name={d.agent.id} />
      </Grid>
      <Card title="Overlay decisions" extra="newest first, every reason">
        <DataTable
          rows={d.decisions}
          rowKey={(r) => r.decisionId}
          exportName={`agent-${d.agent.id}-decisions`}
          testId="agent-decisions"
          empty="No overlay decision yet (no cycle has run)"
          columns={[
            { key: 'd', header: 'As of', render: (r) => r.asOf, width: 96, value: (r) => r.asOf },
            { key: 'c', header: 'Cycle', render: (r) => <span className="muted">{r.cycleId}</span>, value: (r) => r.cycleId },
            { key: 'x', header: 'Action', render: (r) => <StatusBadge status={r.action} />, width: 80, value: (r) => r.action },
            { key: 's', header: 'Scale', num: true, render: (r) => pct(r.scale, 0), width: 64, value: (r) => r.scale },
            { key: 'r', header: 'Reasons', render: (r) => <Reasons reasons={r.reasons} summary={r.summary} />, value: (r) => r.reasons.map((x) => `${x.code}: ${x.message}`).join('; ') },
          ]}
        />
      </Card>
    </>
  );
}

/** Pause or resume (risk and admin, as the API allows); the change is a new config version the next cycle obeys. */
function Controls(p: { d: AgentDetail; onChange: () => void }) {
  const { base, user, refreshFunds } = useSession();
  const [dialog, setDialog] = useState<'pause' | 'resume' | null>(null);
  const a = p.d.agent;
  const isAllowed = can(user, 'pauseAgent');
  const act = async (reason: string) => {
    await post(`${base}/agents/${encodeURIComponent(a.id)}/${dialog ?? 'pause'}`, { reason });
    setDialog(null);
    p.onChange();
    refreshFunds();
  };
  return (
    <div className={`banner banner-${a.isEnabled ? 'up' : 'warning'}`} data-testid="agent-state">
      <div>
        <span data-testid="agent-enabled">{a.isEnabled ? 'Trading' : 'Paused'}</span> · drawdown step <StatusBadge status={a.drawdownState} /> · configured capital {money(a.allocatedCapital, true)}
      </div>
      <div className="row">
        {!isAllowed ? <span style={{ fontWeight: 400 }}>Only risk and admin may pause or resume an agent.</span> : null}
        {a.isEnabled ? (
          <Button variant="danger" disabled={!isAllowed} onClick={() => setDialog('pause')} data-testid="agent-pause">
            Pause…
          </Button>
        ) : (
          <Button variant="primary" disabled={!isAllowed} onClick={() => setDialog('resume')} data-testid="agent-resume">
            Resume…
          </Button>
        )}
      </div>
      {dialog !== null ? (
        <ConfirmDialog
          title={dialog === 'pause' ? `Pause ${a.id}` : `Resume ${a.id}`}
          danger={dialog === 'pause'}
          confirmLabel={dialog === 'pause' ? 'Pause the agent' : 'Resume the agent'}
          body={<span style={{ fontWeight: 400 }}>{dialog === 'pause' ? 'From the next cycle it proposes nothing and its book is held as it stands.' : 'From the next cycle it proposes again.'} A new config version, journalled and audited.</span>}
          onConfirm={act}
          onCancel={() => setDialog(null)}
        />
      ) : null}
    </div>
  );
}

function Exposures(p: { e: AgentDetail['exposures']; capital: AgentDetail['capital'] }) {
  const { e } = p;
  const stat = (label: string, x: number, f: number | null, id: string) => <Stat label={label} value={<span data-testid={`agent-${id}`}>{money(x)}</span>} hint={pct(f, 1)} />;
  return (
    <Grid>
      <Card span={5} title="Exposure" extra="of the capital">
        <Stats>
          {stat('Gross', e.gross, e.grossPct, 'gross')}
          {stat('Net', e.net, e.netPct, 'net')}
          {stat('Long', e.long, e.longPct, 'long')}
          {stat('Short', e.short, e.shortPct, 'short')}
        </Stats>
      </Card>
      <Card span={7} title="By sector">
        <DataTable
          rows={e.bySector}
          rowKey={(r) => r.sector}
          exportName="agent-sectors"
          testId="agent-sectors"
          empty="No sector exposure"
          columns={[
            { key: 's', header: 'Sector', render: (r) => r.sector, value: (r) => r.sector },
            { key: 'n', header: 'Names', num: true, render: (r) => String(r.names), value: (r) => r.names },
            ...(['long', 'short', 'gross', 'net'] as const).map((k) => ({ key: k, header: k[0]?.toUpperCase() + k.slice(1), num: true, render: (r: AgentExposure) => money(r[k]), value: (r: AgentExposure) => r[k] })),
            { key: 'np', header: 'Net %', num: true, render: (r) => pct(r.netPct, 1), value: (r) => r.netPct },
          ]}
        />
      </Card>
    </Grid>
  );
}

function Pnl(p: { title: string; s: PnlSeries | null; error: string | null; testId: string; name: string }) {
  const { s } = p;
  const option = useMemo(() => (s ? lineOption(s.dates, [{ name: 'cumulative', data: s.cumulative, area: true }]) : null), [s]);
  const rows = useMemo(() => (s ? s.dates.map((date, i) => ({ date, daily: s.daily[i] ?? 0, cumulative: s.cumulative[i] ?? 0 })) : []), [s]);
  if (!s || !option) {
    return (
      <Card span={6} title={p.title} testId={p.testId}>
        <EmptyState title={p.error ?? 'No P&L'} />
      </Card>
    );
  }
  return (
    <Card span={6} title={p.title} extra={`${s.from} → ${s.to}`} testId={p.testId}>
      <Stats>
        <Stat label="Cumulative" value={<span data-testid={`${p.testId}-total`} className={`tone-${toneOf(s.total)}`}>{money(s.total)}</span>} hint={`${s.dates.length} days`} />
      </Stats>
      <Chart option={option} height={180} testId={`${p.testId}-chart`} />
      <DataTable
        rows={rows}
        rowKey={(r) => r.date}
        exportName={`agent-${p.name}-${p.testId.replace('agent-', '')}`}
        testId={`${p.testId}-table`}
        initialSort={{ key: 'date', dir: 'desc' }}
        pageSize={10}
        columns={[
          { key: 'date', header: 'Date', render: (r) => r.date, value: (r) => r.date },
          { key: 'daily', header: 'Daily', num: true, render: (r) => <span className={`tone-${toneOf(r.daily)}`}>{money(r.daily)}</span>, value: (r) => r.daily },
          { key: 'cum', header: 'Cumulative', num: true, render: (r) => money(r.cumulative), value: (r) => r.cumulative },
        ]}
      />
    </Card>
  );
}
