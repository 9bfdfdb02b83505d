import { useMemo } from 'react';
import { useApi } from '../api/use-api.ts';
import { useChosenBacktest } from '../api/chosen-backtest.ts';
import type { Agent, AgentWithNav, BacktestResults } from '../api/types.ts';
import { Chart } from '../charts/chart.tsx';
import { heatmapOption, lineOption } from '../charts/options.ts';
import { Async, Card, EmptyState, Grid, PageHead, StatusBadge, Table, money, num, pct, toneOf } from '../design/index.ts';
import { useSession } from '../session.ts';
import { useRouteSegment } from '../router.ts';
import { query } from '../api/client.ts';
import { AgentPage } from './agent.tsx';
import { AgentExposures } from './agent-exposures.tsx';
import { BacktestPending, BacktestPicker } from './backtest-picker.tsx';
import { bookReturns, correlationMatrix, growth, rebase } from '../stats.ts';

const metric = (m: Record<string, unknown> | null, k: string): number | null => (m && typeof m[k] === 'number' ? (m[k] as number) : null);
/** The overlay's fund contribution score when the daemon has stored one in the agent's metrics. */
const score = (a: Agent): number | null => metric(a.metrics, 'score') ?? metric(a.metrics, 'fundContributionScore') ?? metric(a.metrics, 'compositeScore');

/** Agents (`#/agents`), or one agent (`#/agents/<id>`): the list's rows link to each agent's page, carrying the chosen backtest. */
export function AgentsPage() {
  const agentId = useRouteSegment(1);
  return agentId === null ? <AgentList /> : <AgentPage key={agentId} agentId={agentId} />;
}

/** Agents: configuration and state, scores, equity curves and correlations (from the backtest chosen in the address), factor exposures. */
function AgentList() {
  const { base } = useSession();
  const agents = useApi<{ agents: AgentWithNav[] }>(`${base}/agents`, ['cycle.completed']);
  const bt = useChosenBacktest(base);
  const results = bt.backtest?.results ?? null;
  return (
    <>
      <PageHead title="Agents" sub={results ? <span data-testid="agents-backtest-window">Curves and correlations from backtest {results.from} → {results.to}</span> : 'The strategy agents of this fund'}>
        <BacktestPicker bt={bt} />
      </PageHead>
      <Card title="Agents and scores">
        <Async loaded={agents}>
          {(d) => <AgentTable agents={d.agents} results={results} backtestId={bt.id} />}
        </Async>
      </Card>
      <div style={{ height: 16 }} />
      {results ? (
        <Curves r={results} />
      ) : (
        <Card title="Equity curves and correlation">
          <BacktestPending bt={bt} />
        </Card>
      )}
      <AgentExposures base={base} />
    </>
  );
}

/** Mean of a series, or null without one. */
function meanOf(x: readonly number[] | undefined): number | null {
  return x && x.length > 0 ? x.reduce((a, b) => a + b, 0) / x.length : null;
}

function AgentTable(p: { agents: AgentWithNav[]; results: BacktestResults | null; backtestId: string | null }) {
  const bt = new Map((p.results?.agents ?? []).map((a) => [a.id, a]));
  return (
    <Table
      rows={p.agents}
      rowKey={(a) => a.id}
      empty="No agents in this fund"
      testId="agents-table"
      columns={[
        {
          key: 'id',
          header: 'Agent',
          render: (a) => (
            <a href={`#/agents/${encodeURIComponent(a.id)}${query({ backtest: p.backtestId })}`} data-testid={`agent-link-${a.id}`}>
              <b>{a.id}</b>
            </a>
          ),
        },
        { key: 'st', header: 'Strategy · bucket', render: (a) => <>{a.strategy.replace(/_/g, ' ')} <span className="muted">· {a.bucket.replace(/_/g, ' ')}</span></> },
        { key: 'cap', header: 'Configured', num: true, render: (a) => money(a.allocatedCapital, true) },
        { key: 'nav', header: 'NAV', num: true, render: (a) => <span title={a.navDate ? `as of ${a.navDate}: the capital the allocation left the book, with its P&L` : 'no cycle yet'}>{money(a.nav, true)}</span> },
        ...(p.results?.agents.some((x) => x.capital !== undefined) ? [{ key: 'capbt', header: 'Capital (bt mean)', num: true, render: (a: AgentWithNav) => money(meanOf(bt.get(a.id)?.capital), true) }] : []),
        { key: 'state', header: 'Drawdown step', render: (a) => <StatusBadge status={a.drawdownState} /> },
        { key: 'en', header: 'On', render: (a) => (a.isEnabled ? 'yes' : <span className="tone-down">no</span>) },
        ...(p.agents.some((a) => score(a) !== null) ? [{ key: 'score', header: 'Score', num: true, render: (a: Agent) => num(score(a)) }] : []),
        { key: 'sh', header: 'Sharpe (bt)', num: true, render: (a) => num(bt.get(a.id)?.tearSheet.sharpe ?? metric(a.metrics, 'sharpe')) },
        { key: 'ret', header: 'Return (bt)', num: true, render: (a) => { const r = bt.get(a.id)?.tearSheet.totalReturn; return <span className={`tone-${toneOf(r)}`}>{pct(r)}</span>; } },
        { key: 'dd', header: 'Max DD (bt)', num: true, render: (a) => pct(bt.get(a.id)?.tearSheet.maxDrawdown) },
        { key: 'vb', header: 'VaR budget', num: true, render: (a) => pct(bt.get(a.id)?.varBudgetUsedMean, 0) },
      ]}
    />
  );
}

function Curves(p: { r: BacktestResults }) {
  const { r } = p;
  // an agent's curve and returns are net of the capital the allocation moved into its book: a transfer is not a gain
  const line = useMemo(() => lineOption(r.dates, [{ name: 'fund', data: rebase(r.fund.equity), colour: '#1b2430' }, ...r.agents.map((a) => ({ name: a.id, data: growth(bookReturns(a.equity, a.flows)) }))], { legend: true }), [r]);
  const heat = useMemo(() => {
    const labels = r.agents.map((a) => a.id);
    return heatmapOption(labels, correlationMatrix(r.agents.map((a) => bookReturns(a.equity, a.flows))));
  }, [r]);
  return (
    <Grid>
      <Card span={7} title="Equity curves" extra="growth of 1: the fund's NAV; each agent's returns net of the capital moved into its book">
        <Chart option={line} height={300} testId="agents-equity-chart" />
      </Card>
      <Card span={5} title="Agent correlation" extra="daily returns">
        {r.agents.length < 2 ? <EmptyState title="Needs two agents" /> : <Chart option={heat} height={300} testId="agents-heatmap" />}
      </Card>
    </Grid>
  );
}
