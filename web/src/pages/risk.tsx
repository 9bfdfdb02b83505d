import { useState } from 'react';
import { post } from '../api/client.ts';
import { useApi } from '../api/use-api.ts';
import type { HedgeRow, LimitUtilisation, RiskReport, ScenarioDefs, StressRow } from '../api/types.ts';
import { Async, Button, Card, Grid, PageHead, ProgressBar, Stat, Stats, Table, money, num, pct, time, toneOf } from '../design/index.ts';
import { can, useSession } from '../session.ts';
import { AllocationCard } from './allocation-card.tsx';
import { RecordedAsOf, RiskOverTime, VarDrilldownCard } from './risk-history.tsx';

const LIVE = ['cycle.completed', 'fill.recorded', 'alert.raised'];
const METHODS = [
  { key: 'historical', label: 'Historical' },
  { key: 'parametric', label: 'Parametric' },
  { key: 'monteCarlo', label: 'Monte Carlo' },
] as const;

/** VaR and CVaR by method, limit utilisation, stress, concentration and liquidity; risk over time and the breach log; the page as recorded on a past date. */
export function RiskPage() {
  const { base, user } = useSession();
  const [asOf, setAsOf] = useState<string | null>(null);
  const risk = useApi<{ asOf: string; nav: number; report: RiskReport }>(`${base}/risk`, LIVE);
  const stress = useApi<{ results: StressRow[] }>(`${base}/stress`, LIVE);
  const hedges = useApi<{ hedges: HedgeRow[] }>(`${base}/hedges?limit=10`, LIVE);
  const defs = useApi<ScenarioDefs>('/v1/risk/scenarios');
  const [running, setRunning] = useState(false);
  const [stressError, setStressError] = useState<string | null>(null);
  const runStress = () => {
    setRunning(true);
    setStressError(null);
    post(`${base}/stress`, {})
      .then(() => stress.reload())
      .catch((e: unknown) => setStressError(e instanceof Error ? e.message : String(e)))
      .finally(() => setRunning(false));
  };
  return (
    <>
      <PageHead title="Risk Monitor" sub={asOf ? `As recorded on ${asOf}` : risk.data ? `As of ${risk.data.asOf} · NAV ${money(risk.data.nav, true)}` : 'VaR, limits, stress and liquidity'}>
        <label className="field" style={{ marginBottom: 0 }}>
          As of
          <input type="date" name="asOf" data-testid="risk-asof" value={asOf ?? ''} max={risk.data?.asOf} onChange={(e) => setAsOf(e.target.value === '' ? null : e.target.value)} />
        </label>
        {asOf ? (
          <Button onClick={() => setAsOf(null)} data-testid="risk-asof-now">
            Now
          </Button>
        ) : null}
        {can(user, 'stress') ? (
          <Button onClick={runStress} disabled={running}>
            {running ? 'Running stress…' : 'Run stress tests'}
          </Button>
        ) : null}
      </PageHead>
      {asOf ? (
        <RecordedAsOf base={base} date={asOf} />
      ) : (
        <>
          <Async loaded={risk}>{({ report: r }) => <Report r={r} defs={defs.data} />}</Async>
          <VarDrilldownCard base={base} />
        </>
      )}
      <RiskOverTime base={base} asOf={asOf} />
      <AllocationCard base={base} />
      <Card title="Fund hedges" extra="the hedge book's target per cycle (latest 10)">
        <Async loaded={hedges}>
          {(d) => (
            <Table
              rows={[...d.hedges].reverse()}
              rowKey={(h) => `${h.cycleId}/${h.instrument}`}
              testId="hedges-table"
              empty="No hedges: hedging is off, or the fund's beta is within its threshold"
              columns={[
                { key: 'd', header: 'As of', render: (h) => h.asOf },
                { key: 'i', header: 'Instrument', render: (h) => `${h.instrument} (${h.kind})` },
                { key: 'q', header: 'Target qty', num: true, render: (h) => num(h.targetQty, 0) },
                { key: 'n', header: 'Target', num: true, render: (h) => money(h.targetNotional) },
                { key: 'c', header: 'Held before', num: true, render: (h) => num(h.currentQty, 0) },
                { key: 'e', header: 'Beta $ hedged', num: true, render: (h) => (h.exposureBefore === null ? '—' : money(h.exposureBefore, true)) },
                { key: 'r', header: 'Why', render: (h) => h.reason },
              ]}
            />
          )}
        </Async>
      </Card>
      <Card title="Stored stress results" extra={stressError ?? "a cycle's run is of the book its orders aim at (target); a run from this page is of the held book"}>
        <Async loaded={stress}>
          {(d) => (
            <Table
              rows={[...d.results].sort((a, b) => a.pnlImpact - b.pnlImpact)}
              rowKey={(r) => `${r.scenario}/${r.asOf ?? ''}`}
              testId="stored-stress"
              empty="No stored stress runs"
              columns={[
                { key: 's', header: 'Scenario', render: (r) => <span title={defs.data?.scenarios.find((x) => x.name === r.scenario)?.description}>{r.scenario}</span> },
                { key: 'a', header: 'As of', render: (r) => r.asOf ?? '' },
                { key: 't', header: 'Run at', render: (r) => (r.details?.runAt ? time(r.details.runAt) : 'not recorded') },
                { key: 'b', header: 'Book', render: (r) => (r.details?.book === 'target' ? 'target (cycle)' : r.details?.book === 'held' ? `held${r.details.runBy ? ` (${r.details.runBy})` : ''}` : '—') },
                { key: 'p', header: 'P&L impact', num: true, render: (r) => <span className={`tone-${toneOf(r.pnlImpact)}`}>{money(r.pnlImpact)}</span> },
                { key: 'pp', header: '% NAV', num: true, render: (r) => pct(r.pnlImpactPct) },
                { key: 'ag', header: 'Worst agent', render: (r) => worstAgent(r.perAgent) },
              ]}
            />
          )}
        </Async>
      </Card>
      <Card title="Scenario definitions" extra={defs.data?.units}>
        <Async loaded={defs}>
          {(d) => (
            <Table
              rows={[...d.scenarios.map((x) => ({ ...x, shocks: Object.entries(x.factorShocks).map(([k, v]) => `${k} ${v > 0 ? '+' : ''}${num(v, 3)}`).join(', ') })), ...d.replays.map((x) => ({ ...x, note: null, shocks: 'each held name by its own returns' }))]}
              rowKey={(x) => x.name}
              testId="scenario-defs"
              isStackedOnPhone
              columns={[
                { key: 'n', header: 'Scenario', render: (x) => <b>{x.name}</b> },
                { key: 'k', header: 'Kind', render: (x) => x.kind },
                { key: 'd', header: 'What', render: (x) => x.description },
                { key: 's', header: 'Shocks', render: (x) => x.shocks },
                { key: 'o', header: 'Note', render: (x) => x.note ?? '' },
              ]}
            />
          )}
        </Async>
      </Card>
    </>
  );
}

/** A limit's value and limit in its unit: days, or a fraction of NAV with its dollars. */
function limitText(l: LimitUtilisation, nav: number): string {
  if (/days/i.test(l.name)) return `${num(l.value, 1)} d of ${num(l.limit, 1)} d`;
  return `${pct(l.value, 1)} (${money(l.value === null ? null : l.value * nav, true)}) of ${pct(l.limit, 1)}`;
}

function worstAgent(m: Record<string, number> | null | undefined): string {
  if (!m) return '—';
  const e = Object.entries(m).sort((a, b) => a[1] - b[1])[0];
  return e ? `${e[0]} ${money(e[1], true)}` : '—';
}

function Report(p: { r: RiskReport; defs: ScenarioDefs | null }) {
  const r = p.r;
  return (
    <>
      <Stats>
        <Stat label="Gross (netted by name)" value={pct(r.grossPct, 0)} hint={`${money(r.gross, true)} · Σ |net value per name|`} />
        <Stat label="Net" value={pct(r.netPct, 0)} hint={money(r.net, true)} />
        <Stat label="Daily σ" value={money(r.sigma, true)} hint={`${r.observations} obs`} />
        <Stat label="Effective names" value={num(r.concentration.effectiveNames, 1)} hint={`HHI ${num(r.concentration.hhi, 3)}`} />
        <Stat label="Days to liquidate" value={num(r.liquidity.daysToLiquidate, 1)} hint={`stressed ${num(r.liquidity.stressDaysToLiquidate, 1)}`} />
        <Stat label="Worst stress" value={r.worstStress ? money(r.worstStress.pnl, true) : '—'} tone={toneOf(r.worstStress?.pnl)} hint={r.worstStress?.scenario} />
      </Stats>
      <Grid>
        <Card span={6} title="VaR and CVaR by method" extra={`${r.monteCarloPaths.toLocaleString()} MC paths · 1-day`}>
          <Table
            rows={r.var.flatMap((l) => METHODS.map((m) => ({ c: l.confidence, m: m.label, f: l[m.key] })))}
            rowKey={(x) => `${x.c}/${x.m}`}
            testId="var-table"
            empty="No VaR (no history)"
            columns={[
              { key: 'c', header: 'Confidence', render: (x) => pct(x.c, 0) },
              { key: 'm', header: 'Method', render: (x) => x.m },
              { key: 'v', header: 'VaR', num: true, render: (x) => money(x.f.var) },
              { key: 'vp', header: '% NAV', num: true, render: (x) => pct(x.f.varPct) },
              { key: 'cv', header: 'CVaR', num: true, render: (x) => money(x.f.cvar) },
              { key: 'cvp', header: '% NAV', num: true, render: (x) => pct(x.f.cvarPct) },
            ]}
          />
          {r.missingReturns.length > 0 ? <div className="tone-warning">No returns for {r.missingReturns.join(', ')} (left out of VaR).</div> : null}
        </Card>
        <Card span={6} title="Limit utilisation" extra="value of limit · tick = limit">
          {r.limits.length === 0 ? <div className="muted">No limits configured.</div> : null}
          {r.limits.map((l) => (
            <ProgressBar key={l.name} label={l.name} utilisation={l.utilisation} status={l.status} right={`${limitText(l, r.nav)} · ${pct(l.utilisation, 0)}`} />
          ))}
        </Card>
      </Grid>
      <Grid>
        <Card span={6} title="Stress scenarios (current book)" extra={`the held book as of ${r.asOf}, run now`}>
          <Table
            rows={[...r.stress].sort((a, b) => a.pnl - b.pnl)}
            rowKey={(x) => x.scenario}
            empty="No scenarios"
            columns={[
              { key: 's', header: 'Scenario', render: (x) => <span title={p.defs?.scenarios.find((d) => d.name === x.scenario)?.description}>{x.scenario}</span> },
              { key: 'p', header: 'P&L', num: true, render: (x) => <span className={`tone-${toneOf(x.pnl)}`}>{money(x.pnl)}</span> },
              { key: 'pp', header: '% NAV', num: true, render: (x) => pct(x.pnl / r.nav) },
            ]}
          />
        </Card>
        <Card span={6} title="Liquidity" extra={`${pct(r.liquidity.participationRate, 0)} of ADV`}>
          <Stats>
            <Stat label="Liquid ≤ 1d" value={pct(r.liquidity.liquidWithin1d, 0)} />
            <Stat label="Liquid ≤ 5d" value={pct(r.liquidity.liquidWithin5d, 0)} />
          </Stats>
          <Table
            rows={r.liquidity.names.slice(0, 8)}
            rowKey={(x) => x.symbol}
            empty="Flat book"
            columns={[
              { key: 's', header: 'Slowest names', render: (x) => x.symbol },
              { key: 'd', header: 'Days', num: true, render: (x) => num(x.days, 2) },
              { key: 'sd', header: 'Stressed', num: true, render: (x) => num(x.stressDays, 2) },
            ]}
          />
        </Card>
      </Grid>
      <Grid>
        <Card span={6} title="VaR by agent" extra={`parametric ${pct(r.agentVar.confidence, 0)} · Euler components`}>
          <Table
            rows={r.agentVar.agents}
            rowKey={(x) => x.agentId}
            empty="No agent books"
            columns={[
              { key: 'a', header: 'Agent', render: (x) => x.agentId },
              { key: 'c', header: 'Component', num: true, render: (x) => money(x.componentVar) },
              { key: 's', header: 'Share', num: true, render: (x) => pct(x.share, 0) },
              { key: 'st', header: 'Standalone', num: true, render: (x) => money(x.standaloneVar) },
            ]}
          />
        </Card>
        <Card span={6} title="Sectors" extra="fraction of NAV">
          <Table
            rows={r.sectors}
            rowKey={(x) => x.sector}
            empty="Flat book"
            columns={[
              { key: 's', header: 'Sector', render: (x) => x.sector },
              { key: 'g', header: 'Gross', num: true, render: (x) => pct(x.grossPct, 1) },
              { key: 'n', header: 'Net', num: true, render: (x) => pct(x.netPct, 1) },
            ]}
          />
        </Card>
      </Grid>
    </>
  );
}
