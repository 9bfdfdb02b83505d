import { useEffect, useMemo, useState } from 'react';
import { post } from '../api/client.ts';
import { useApi } from '../api/use-api.ts';
import type { Agent, Backtest, BacktestResults, BacktestRow, TearSheet } from '../api/types.ts';
import { Chart } from '../charts/chart.tsx';
import { lineOption } from '../charts/options.ts';
import { Async, Button, Card, DataTable, EmptyState, Grid, PageHead, ProgressBar, StatusBadge, Table, money, num, pct, time } from '../design/index.ts';
import { palette } from '../design/tokens.ts';
import { can, useSession } from '../session.ts';
import { BindingCard, ComparisonCard } from './backtest-compare.tsx';
import { BACKTEST_PARAM } from '../api/chosen-backtest.ts';
import { setRouteParam, useRouteParam } from '../router.ts';

const RUNNING = new Set(['QUEUED', 'RUNNING']);

/** Start a backtest, follow its progress, and read its equity, drawdown and tear sheet. */
export function BacktestsPage() {
  const { base, user } = useSession();
  const list = useApi<{ backtests: BacktestRow[] }>(`${base}/backtests`, ['backtest.progressed']);
  const selected = useRouteParam(BACKTEST_PARAM);
  const setSelected = (id: string) => setRouteParam(BACKTEST_PARAM, id);
  const rows = useMemo(() => [...(list.data?.backtests ?? [])].sort((a, b) => b.createdAt.localeCompare(a.createdAt)), [list.data]);
  const anyRunning = rows.some((b) => RUNNING.has(b.status));
  // Progress: SSE `backtest.progressed` when live; poll every second while one runs regardless.
  useEffect(() => {
    if (!anyRunning) return;
    const t = setInterval(list.reload, 1000);
    return () => clearInterval(t);
  }, [anyRunning, list.reload]);
  const shown = selected ?? rows.find((b) => b.status === 'COMPLETED')?.id ?? null;
  return (
    <>
      <PageHead title="Backtests" sub="The same cycle as live over the stored market, with a simulated clock and the paper broker" />
      <Grid>
        <Card span={4} title="Start a backtest">
          {can(user, 'backtest') ? (
            <StartForm
              key={rows.length > 0 ? 'ready' : 'empty'}
              initial={rows[0]?.params ?? null}
              onStarted={(id) => {
                setSelected(id);
                list.reload();
              }}
            />
          ) : (
            <div className="muted">Your role ({user.role}) may not start backtests.</div>
          )}
        </Card>
        <Card span={8} title="Runs">
          <Async loaded={list}>
            {() => (
              <DataTable
                rows={rows}
                rowKey={(r) => r.id}
                selected={shown}
                onRowClick={(r) => setSelected(r.id)}
                exportName="backtests"
                testId="backtests-table"
                empty="No backtests yet"
                pageSize={10}
                columns={[
                  { key: 'id', header: 'Backtest id', render: () => null, value: (r) => r.id, isHidden: true },
                  { key: 'c', header: 'Created', render: (r) => time(r.createdAt), nowrap: true, value: (r) => r.createdAt },
                  { key: 'p', header: 'Period', render: (r) => `${r.params.from ?? '?'} → ${r.params.to ?? '?'}`, nowrap: true, value: (r) => `${r.params.from ?? ''} ${r.params.to ?? ''}` },
                  { key: 'a', header: 'Agents', render: (r) => (r.params.agents ? r.params.agents.join(', ') : 'all'), value: (r) => (r.params.agents ? r.params.agents.join(' ') : 'all') },
                  { key: 's', header: 'Status', render: (r) => <StatusBadge status={r.status} />, nowrap: true, value: (r) => r.status },
                  {
                    key: 'g',
                    header: 'Progress',
                    width: 200,
                    render: (r) => (r.status === 'FAILED' ? <span className="tone-down">{r.error}</span> : <ProgressBar kind="progress" utilisation={r.progress} right={pct(r.progress, 0)} />),
                    value: (r) => r.progress,
                  },
                  {
                    key: 'x',
                    header: '',
                    render: (r) => (RUNNING.has(r.status) && can(user, 'backtest') ? <CancelButton id={r.id} onDone={list.reload} /> : null),
                    nowrap: true,
                  },
                ]}
              />
            )}
          </Async>
        </Card>
      </Grid>
      {shown !== null ? <Detail key={shown} id={shown} /> : null}
    </>
  );
}

/** Cancels a QUEUED or RUNNING backtest (a running one stops at once); an error (it just ended) shows in the title. */
function CancelButton(p: { id: string; onDone: () => void }) {
  const { base } = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <Button
      size="sm"
      variant="danger"
      disabled={busy}
      title={error ?? 'stop this backtest'}
      data-testid={`cancel-backtest-${p.id}`}
      onClick={(e) => {
        e.stopPropagation();
        setBusy(true);
        post(`${base}/backtests/${encodeURIComponent(p.id)}/cancel`, {})
          .catch((x: unknown) => setError(x instanceof Error ? x.message : String(x)))
          .finally(() => {
            setBusy(false);
            p.onDone();
          });
      }}
    >
      {busy ? 'Cancelling…' : 'Cancel'}
    </Button>
  );
}

/** `initial`: the newest run's parameters, to start from something that worked. */
function StartForm(p: { initial: BacktestRow['params'] | null; onStarted: (id: string) => void }) {
  const { base } = useSession();
  const agents = useApi<{ agents: Agent[] }>(`${base}/agents`);
  const [from, setFrom] = useState(p.initial?.from ?? '');
  const [to, setTo] = useState(p.initial?.to ?? '');
  const [picked, setPicked] = useState<string[]>([]);
  const [compare, setCompare] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const start = () => {
    setBusy(true);
    setError(null);
    post<{ id: string; status: string }>(`${base}/backtests`, { from, to, ...(picked.length > 0 ? { agents: picked } : {}), ...(compare ? { compare: 'overlay-off' } : {}) })
      .then((r) => p.onStarted(r.id))
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)))
      .finally(() => setBusy(false));
  };
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        start();
      }}
    >
      <div className="row fields">
        <label className="field" style={{ flex: 1 }}>
          From
          <input name="from" type="date" value={from} onChange={(e) => setFrom(e.target.value)} required />
        </label>
        <label className="field" style={{ flex: 1 }}>
          To
          <input name="to" type="date" value={to} onChange={(e) => setTo(e.target.value)} required />
        </label>
      </div>
      <div className="field">
        Agents (none ticked = all)
        <div className="row" style={{ marginTop: 4 }}>
          {(agents.data?.agents ?? []).map((a) => (
            <label key={a.id} className="row" style={{ gap: 4 }}>
              <input type="checkbox" checked={picked.includes(a.id)} onChange={(e) => setPicked(e.target.checked ? [...picked, a.id] : picked.filter((x) => x !== a.id))} />
              {a.id}
            </label>
          ))}
        </div>
      </div>
      <label className="row" style={{ gap: 4, marginBottom: 8 }} title="run it again with the overlay's policy rules off (budgets, caps and kill switches stay) and show both">
        <input type="checkbox" name="compare" checked={compare} onChange={(e) => setCompare(e.target.checked)} />
        Compare with the overlay's policy rules off
      </label>
      {error !== null ? <div className="state-error" style={{ marginBottom: 8 }}>{error}</div> : null}
      <Button type="submit" variant="primary" disabled={busy || from === '' || to === '' || from > to} data-testid="start-backtest">
        {busy ? 'Starting…' : 'Start backtest'}
      </Button>
    </form>
  );
}

function Detail(p: { id: string }) {
  const { base } = useSession();
  const d = useApi<{ backtest: Backtest }>(`${base}/backtests/${encodeURIComponent(p.id)}`, ['backtest.progressed']);
  const status = d.data?.backtest.status;
  useEffect(() => {
    if (status === undefined || !RUNNING.has(status)) return;
    const t = setInterval(d.reload, 1000);
    return () => clearInterval(t);
  }, [status, d.reload]);
  return (
    <Async loaded={d}>
      {({ backtest: b }) =>
        b.results ? (
          <Results r={b.results} id={b.id} />
        ) : (
          <Card title={`Backtest ${b.id}`}>
            {b.status === 'FAILED' ? (
              <div className="state-error">{b.error}</div>
            ) : (
              <EmptyState title={`${b.status} · ${pct(b.progress, 0)}`}>
                {b.status === 'QUEUED' ? 'Waiting for a job slot: it starts when the backtests before it end.' : b.status === 'CANCELLED' ? 'Cancelled: start it again to see its results.' : 'Charts appear when the run completes.'}
              </EmptyState>
            )}
          </Card>
        )
      }
    </Async>
  );
}

const TEAR: readonly { key: keyof TearSheet; label: string; fmt: (x: number | null) => string }[] = [
  { key: 'totalReturn', label: 'Total return', fmt: (x) => pct(x) },
  { key: 'annualReturn', label: 'Annual return', fmt: (x) => pct(x) },
  { key: 'annualVolatility', label: 'Annual volatility', fmt: (x) => pct(x) },
  { key: 'sharpe', label: 'Sharpe', fmt: (x) => num(x) },
  { key: 'sortino', label: 'Sortino', fmt: (x) => num(x) },
  { key: 'calmar', label: 'Calmar', fmt: (x) => num(x) },
  { key: 'maxDrawdown', label: 'Max drawdown', fmt: (x) => pct(x) },
  { key: 'dailyVaR95', label: 'Daily VaR 95', fmt: (x) => pct(x) },
  { key: 'dailyCVaR95', label: 'Daily CVaR 95', fmt: (x) => pct(x) },
  { key: 'tailRatio', label: 'Tail ratio', fmt: (x) => num(x) },
  { key: 'stability', label: 'Stability (R²)', fmt: (x) => num(x) },
  { key: 'alpha', label: 'Alpha (annual)', fmt: (x) => pct(x) },
  { key: 'beta', label: 'Beta', fmt: (x) => num(x) },
  { key: 'informationRatio', label: 'Information ratio', fmt: (x) => num(x) },
  { key: 'deflatedSharpe', label: 'Deflated Sharpe (prob.)', fmt: (x) => pct(x, 0) },
];

function Results(p: { r: BacktestResults; id: string }) {
  const { r } = p;
  const equity = useMemo(() => lineOption(r.dates, [{ name: 'fund NAV', data: r.fund.equity, colour: palette.accent, area: true }]), [r]);
  const dd = useMemo(() => lineOption(r.dates, [{ name: 'drawdown', data: r.fund.drawdown, colour: palette.down, area: true }], { percent: true }), [r]);
  const rows = TEAR.map((t) => ({ ...t, fund: r.fund.tearSheet[t.key], bench: r.fund.benchmark ? r.fund.benchmark[t.key] : null }));
  return (
    <>
      <Grid>
        <Card
          span={8}
          title="Equity"
          extra={
            <>
              {r.from} → {r.to} · {r.days} days · open in{' '}
              <a href={`#/agents?${BACKTEST_PARAM}=${encodeURIComponent(p.id)}`} data-testid="backtest-open-agents">
                Agents
              </a>{' '}
              ·{' '}
              <a href={`#/attribution?${BACKTEST_PARAM}=${encodeURIComponent(p.id)}`} data-testid="backtest-open-attribution">
                Attribution
              </a>
            </>
          }
        >
          <Chart option={equity} height={260} testId="backtest-equity-chart" />
          <h3 style={{ marginTop: 12 }}>Drawdown</h3>
          <Chart option={dd} height={160} testId="backtest-drawdown-chart" />
        </Card>
        <Card span={4} title="Tear sheet">
          <Table
            rows={rows}
            rowKey={(x) => x.key}
            testId="tear-sheet"
            columns={[
              { key: 'l', header: 'Metric', render: (x) => x.label },
              { key: 'f', header: 'Fund', num: true, render: (x) => x.fmt(typeof x.fund === 'number' ? x.fund : null) },
              { key: 'b', header: 'Benchmark', num: true, render: (x) => x.fmt(typeof x.bench === 'number' ? x.bench : null) },
            ]}
          />
        </Card>
      </Grid>
      <Grid>
        <Card span={6} title="Overlay actions">
          <Table
            rows={Object.entries(r.overlayActions)}
            rowKey={(x) => x[0]}
            columns={[
              { key: 'a', header: 'Action', render: (x) => <StatusBadge status={x[0]} /> },
              { key: 'n', header: 'Count', num: true, render: (x) => String(x[1]) },
            ]}
          />
        </Card>
        <Card span={6} title="Trading and costs">
          <Table
            rows={[
              { k: 'Traded notional', v: money(r.turnover.tradedNotional, true) },
              { k: 'Annualised turnover', v: num(r.turnover.annualisedTurnover) },
              { k: 'Orders / fills', v: `${r.costs.orders} / ${r.costs.fills}` },
              { k: 'Commissions', v: money(r.costs.commissions) },
              { k: 'Kill-switch events', v: String(r.killSwitchEvents.length) },
            ]}
            rowKey={(x) => x.k}
            columns={[
              { key: 'k', header: '', render: (x) => x.k },
              { key: 'v', header: '', num: true, render: (x) => x.v },
            ]}
          />
        </Card>
      </Grid>
      {r.binding ? (
        <Grid>
          <BindingCard b={r.binding} />
        </Grid>
      ) : null}
      {r.comparison ? <ComparisonCard c={r.comparison} dates={r.dates} equity={r.fund.equity} /> : null}
    </>
  );
}
