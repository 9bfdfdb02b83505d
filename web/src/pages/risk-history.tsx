import { useMemo, useState } from 'react';
import { useApi } from '../api/use-api.ts';
import type { RiskAsOfResponse, RiskHistoryResponse, VarDrilldownResponse } from '../api/types.ts';
import { Chart } from '../charts/chart.tsx';
import { lineOption } from '../charts/options.ts';
import { palette } from '../design/tokens.ts';
import { Async, Card, DataTable, Grid, ProgressBar, Stat, Stats, Table, Tabs, money, pct, time, toneOf } from '../design/index.ts';
import { AcknowledgeButton } from './acknowledge.tsx';

type Measure = RiskHistoryResponse['limits'][number]['measure'];
type Breach = RiskHistoryResponse['breaches'][number];
const LIVE = ['cycle.completed', 'alert.raised', 'alert.acknowledged'];

/** The fund's risk per day against its limit (one measure at a time), and the breach log under it. */
export function RiskOverTime(p: { base: string; asOf: string | null }) {
  const h = useApi<RiskHistoryResponse>(`${p.base}/risk/history${p.asOf ? `?to=${p.asOf}` : ''}`, LIVE);
  const [measure, setMeasure] = useState<Measure>('var');
  return (
    <Async loaded={h}>
      {(d) => (
        <>
          <Card title="Risk over time" extra={`the day's last cycle's risk snapshot · fractions of capital · limit: the config that day's cycle ran with${p.asOf ? ` · up to ${p.asOf}` : ''}`} testId="risk-over-time">
            <Tabs tabs={d.limits.map((l) => ({ id: l.measure, label: l.label }))} value={measure} onChange={setMeasure} />
            <SeriesChart d={d} measure={measure} />
          </Card>
          <BreachLog breaches={d.breaches} onAcknowledged={h.reload} />
        </>
      )}
    </Async>
  );
}

/** The measure per day and the limit in force each day (a stepped line: it moves on the day a new config's cycle ran). */
function SeriesChart(p: { d: RiskHistoryResponse; measure: Measure }) {
  const limit = p.d.limits.find((l) => l.measure === p.measure);
  const pts = useMemo(() => p.d.points.filter((x) => x.values[p.measure] !== null), [p.d, p.measure]);
  const option = useMemo(() => {
    const x = pts.map((q) => q.date);
    const values = pts.map((q) => q.values[p.measure] ?? 0);
    return lineOption(x, [{ name: limit?.label ?? p.measure, data: values, colour: palette.accent }, { name: `limit (${limit?.source ?? ''})`, data: pts.map((q) => q.limits[p.measure]), colour: palette.down, isStepped: true }], { percent: true, legend: true });
  }, [pts, p.measure, limit]);
  if (pts.length === 0) return <div className="muted">No {limit?.label ?? p.measure} recorded yet: it is kept by each cycle (keel run) from the first one on.</div>;
  const last = pts.at(-1);
  const changes = pts.filter((q, i) => i > 0 && q.limits[p.measure] !== pts[i - 1]?.limits[p.measure]).length;
  return (
    <>
      <Chart option={option} height={240} testId={`risk-series-${p.measure}`} />
      <div className="muted" data-testid="risk-series-summary">
        {pts.length} days · last {pct(last?.values[p.measure], 2)} · limit {pct(last?.limits[p.measure], 2)}
        {changes > 0 ? ` · the limit changed ${changes} time${changes > 1 ? 's' : ''}` : ''}
        {last && limit && last.limits[p.measure] !== limit.limit ? ` · now ${pct(limit.limit, 2)}` : ''}
      </div>
    </>
  );
}

/** Acknowledged: who and when; else an Acknowledge button for the run's unacknowledged alerts (for pm, risk and admin). */
function Acknowledgement(p: { b: Breach; onAcknowledged: () => void }) {
  if (p.b.acknowledgedBy) return <span data-testid="breach-acknowledged">{`${p.b.acknowledgedBy} at ${time(p.b.acknowledgedAt)}`}</span>;
  const open = p.b.alerts.filter((a) => a.acknowledgedAt === null).map((a) => a.id);
  return (
    <>
      <span className="tone-warning">not acknowledged</span> <AcknowledgeButton alertIds={open} onDone={p.onAcknowledged} testId="breach-acknowledge" />
    </>
  );
}

/** Every run of days a limit was breached, how long, how far, and who acknowledged its risk alerts. */
function BreachLog(p: { breaches: readonly Breach[]; onAcknowledged: () => void }) {
  return (
    <Card title="Breach log" extra="runs of recorded days over the limit in force that day · acknowledgement: the risk alerts raised during the run">
      <Table
        rows={[...p.breaches].reverse()}
        rowKey={(b) => `${b.measure}/${b.from}`}
        testId="breach-log"
        empty="No limit breached in the recorded history"
        columns={[
          { key: 'm', header: 'Limit', render: (b) => b.label },
          { key: 'f', header: 'From', render: (b) => b.from },
          { key: 't', header: 'To', render: (b) => (b.isOngoing ? `${b.to} (ongoing)` : b.to) },
          { key: 'd', header: 'Days', num: true, render: (b) => String(b.days) },
          { key: 'p', header: 'Peak', num: true, render: (b) => <span className="tone-breach">{pct(b.peak, 2)}</span> },
          { key: 'l', header: 'Limit', num: true, render: (b) => pct(b.limit, 2) },
          { key: 'a', header: 'Acknowledged', render: (b) => <Acknowledgement b={b} onAcknowledged={p.onAcknowledged} /> },
          { key: 'n', header: 'Alerts', render: (b) => (b.alerts.length === 0 ? 'none raised' : b.alerts.map((a) => a.title).join('; ')) },
        ]}
      />
    </Card>
  );
}

/** The risk page's numbers as the cycles recorded them on a past date. */
export function RecordedAsOf(p: { base: string; date: string }) {
  const a = useApi<RiskAsOfResponse>(`${p.base}/risk/as-of?date=${p.date}`);
  return (
    <Async loaded={a}>
      {(d) => (
        <Card title={`Recorded as of ${d.date}`} extra={d.snapshotAsOf ? `the risk snapshot of ${d.snapshotAsOf} (cycle ${d.cycleId ?? '—'}) · NAV of ${d.navDate ?? '—'}` : 'no risk snapshot on or before this date'} testId="risk-as-of">
          <Stats>
            <Stat label="VaR (1d)" value={money(d.var, true)} hint={d.capital ? pct((d.var ?? 0) / d.capital) : undefined} />
            <Stat label="CVaR (1d)" value={money(d.cvar, true)} />
            <Stat label="VaR 99% (1d)" value={money(d.var99, true)} />
            <Stat label="NAV" value={money(d.nav, true)} />
            <Stat label="Largest name" value={d.concentration.largestName ? `${d.concentration.largestName.symbol ?? '—'} ${pct(d.concentration.largestName.pct, 1)}` : '—'} hint={`top 10 ${pct(d.concentration.top10Pct, 0)}`} />
          </Stats>
          <Grid>
            <Card span={6} title="Limits then" extra="value of limit">
              {d.measures.map((m) => (
                <ProgressBar key={m.measure} label={m.label} utilisation={m.utilisation ?? 0} status={m.status ?? undefined} right={m.value === null ? 'not recorded' : `${pct(m.value, 2)} of ${pct(m.limit, 2)} (${m.date ?? ''})`} />
              ))}
            </Card>
            <Card span={6} title="Agents' VaR budgets then" extra="component VaR of budget">
              <Table
                rows={d.budgets.agents}
                rowKey={(x) => x.agentId}
                testId="as-of-budgets"
                empty="No budgets recorded"
                columns={[
                  { key: 'a', header: 'Agent', render: (x) => x.agentId },
                  { key: 'c', header: 'Component', num: true, render: (x) => money(x.componentVar) },
                  { key: 'b', header: 'Budget', num: true, render: (x) => money(x.budget) },
                  { key: 'u', header: 'Used', num: true, render: (x) => pct(x.used, 0) },
                ]}
              />
            </Card>
          </Grid>
          <Grid>
            <Card span={6} title="Net by sector then" extra="fraction of capital">
              <Table rows={d.netBySector} rowKey={(x) => x.sector} empty="No sectors recorded" columns={[{ key: 's', header: 'Sector', render: (x) => x.sector }, { key: 'n', header: 'Net', num: true, render: (x) => pct(x.net, 1) }]} />
            </Card>
            <Card span={6} title="Stored stress then">
              <Table
                rows={[...d.stress].sort((x, y) => x.pnlImpact - y.pnlImpact)}
                rowKey={(x) => x.scenario}
                empty="No stress stored on or before this date"
                columns={[
                  { key: 's', header: 'Scenario', render: (x) => x.scenario },
                  { key: 'a', header: 'As of', render: (x) => x.asOf },
                  { key: 'p', header: 'P&L', num: true, render: (x) => <span className={`tone-${toneOf(x.pnlImpact)}`}>{money(x.pnlImpact)}</span> },
                ]}
              />
            </Card>
          </Grid>
        </Card>
      )}
    </Async>
  );
}

/** Component VaR by name and by sector; each column sums to the fund's parametric VaR. */
export function VarDrilldownCard(p: { base: string }) {
  const v = useApi<VarDrilldownResponse>(`${p.base}/risk/var-drilldown`, ['cycle.completed', 'fill.recorded']);
  return (
    <Async loaded={v}>
      {(d) => (
        <Grid>
          <Card span={7} title="VaR by position" extra={`parametric ${pct(d.confidence, 0)} · Euler components · Σ = fund VaR ${money(d.fundVar)}`} testId="var-by-position">
            {/* one row per held name: a fund of thousands of names is searched, sorted, paged and exported */}
            <DataTable
              rows={d.positions}
              rowKey={(x) => x.symbol}
              testId="var-positions"
              exportName="var-by-position"
              empty="Flat book"
              columns={[
                { key: 's', header: 'Name', render: (x) => x.symbol, value: (x) => x.symbol },
                { key: 'sec', header: 'Sector', render: (x) => x.sector, value: (x) => x.sector },
                { key: 'e', header: 'Exposure', label: 'Exposure ($)', num: true, render: (x) => money(x.exposure), value: (x) => x.exposure },
                { key: 'm', header: 'Marginal', label: 'Marginal VaR (fraction)', num: true, render: (x) => pct(x.marginalVar, 2), value: (x) => x.marginalVar },
                { key: 'c', header: 'Component', label: 'Component VaR ($)', num: true, render: (x) => money(x.componentVar), value: (x) => x.componentVar },
                { key: 'sh', header: 'Share', label: 'Share of fund VaR (fraction)', num: true, render: (x) => pct(x.share, 1), value: (x) => x.share },
              ]}
            />
            <div className="muted" data-testid="var-positions-total">
              Σ components {money(d.positions.reduce((a, x) => a + x.componentVar, 0))} = fund VaR {money(d.fundVar)}
            </div>
          </Card>
          <Card span={5} title="VaR by sector" extra={`Σ = fund VaR ${money(d.fundVar)}`} testId="var-by-sector">
            <Table
              rows={d.sectors}
              rowKey={(x) => x.sector}
              testId="var-sectors"
              empty="Flat book"
              columns={[
                { key: 's', header: 'Sector', render: (x) => x.sector },
                { key: 'n', header: 'Names', num: true, render: (x) => String(x.names) },
                { key: 'c', header: 'Component', num: true, render: (x) => money(x.componentVar) },
                { key: 'sh', header: 'Share', num: true, render: (x) => pct(x.share, 1) },
              ]}
            />
          </Card>
        </Grid>
      )}
    </Async>
  );
}
