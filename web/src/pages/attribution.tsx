import { useMemo, useState, type FormEvent } from 'react';
import type { Attribution, BrinsonReport, FactorReport, PnlHistory, PnlPart } from '../api/attribution-types.ts';
import { useApi, type Loaded } from '../api/use-api.ts';
import { useChosenBacktest } from '../api/chosen-backtest.ts';
import type { BacktestResults } from '../api/types.ts';
import { Chart } from '../charts/chart.tsx';
import { stackedBarOption } from '../charts/attribution-options.ts';
import { barOption, lineOption } from '../charts/options.ts';
import { Async, Button, Card, DataTable, EmptyState, Grid, PageHead, Stat, Stats, Table, money, num, pct, signedPct, toneOf } from '../design/index.ts';
import { factorLabel, sortFactors } from '../factors.ts';
import { bookPnl } from '../stats.ts';
import { useSession } from '../session.ts';
import { BacktestPending, BacktestPicker } from './backtest-picker.tsx';

const LIVE = ['fill.recorded', 'cycle.completed'];
const pnl = (x: number | null | undefined) => <span className={`tone-${toneOf(x)}`}>{money(x)}</span>;
/** A signed return; below half the last shown digit it is shown as 0 (no "-0.000%"). */
const ret = (x: number | null | undefined, digits = 2) => {
  const v = x !== null && x !== undefined && Math.abs(x) < 0.5 * 10 ** -(digits + 2) ? 0 : x;
  return <span className={`tone-${toneOf(v)}`}>{signedPct(v, digits)}</span>;
};

interface Window { from: string; to: string }
const query = (w: Window): string => {
  const q = [w.from ? `from=${w.from}` : '', w.to ? `to=${w.to}` : ''].filter(Boolean).join('&');
  return q ? `?${q}` : '';
};

/** P&L by agent, bucket, sector, factor and name; Brinson–Hood–Beebower by sector; each agent's backtest contribution. */
export function AttributionPage() {
  const { base } = useSession();
  const [win, setWin] = useState<Window>({ from: '', to: '' });
  const q = query(win);
  const attr = useApi<Attribution>(`${base}/attribution${q}`, LIVE);
  const hist = useApi<PnlHistory>(`${base}/pnl-history${q ? `${q}&` : '?'}by=agent`, LIVE);
  const bt = useChosenBacktest(base);
  const results = bt.backtest?.results ?? null;
  const a = attr.data;
  return (
    <>
      <PageHead title="Attribution" sub={a ? `${a.from} → ${a.to} · ${a.days} trading days · base NAV ${money(a.base, true)}` : 'Where the P&L comes from'}>
        <WindowForm value={win} onApply={setWin} />
      </PageHead>
      <Async loaded={attr}>{(d) => <Report a={d} hist={hist} />}</Async>
      <div className="section-head">
        <h2>Agent contribution in a backtest</h2>
        <BacktestPicker bt={bt} />
      </div>
      {results ? (
        <Contribution r={results} />
      ) : (
        <Card title="Agent contribution (backtest)">
          <BacktestPending bt={bt} />
        </Card>
      )}
    </>
  );
}

function WindowForm(p: { value: Window; onApply: (w: Window) => void }) {
  const [from, setFrom] = useState(p.value.from);
  const [to, setTo] = useState(p.value.to);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    p.onApply({ from, to });
  };
  return (
    <form className="row" onSubmit={submit} data-testid="attribution-window">
      <input type="date" name="from" aria-label="From" value={from} onChange={(e) => setFrom(e.target.value)} />
      <span className="muted">→</span>
      <input type="date" name="to" aria-label="To" value={to} onChange={(e) => setTo(e.target.value)} />
      <Button type="submit">Apply</Button>
      <Button type="button" onClick={() => { setFrom(''); setTo(''); p.onApply({ from: '', to: '' }); }}>Last 63 days</Button>
    </form>
  );
}

function Report(p: { a: Attribution; hist: Loaded<PnlHistory> }) {
  const { a } = p;
  const b = a.brinson;
  return (
    <>
      <div data-testid="attribution-stats">
        <Stats>
          <Stat label="Book P&L" value={money(a.total.pnl)} tone={toneOf(a.total.pnl)} hint={`from the stored fills: ${a.source.positions} positions · ${a.source.fills} fills`} />
          <Stat label="Return on base" value={signedPct(a.total.return)} tone={toneOf(a.total.return)} />
          <Stat label="Active vs benchmark" value={signedPct(b?.activeReturn)} tone={toneOf(b?.activeReturn)} hint={b ? `benchmark ${signedPct(b.benchmarkReturn)}` : undefined} />
          <Stat label="Factor R²" value={num(a.factors?.rSquared)} hint={`${a.factorModel.length} factors`} />
          <Stat label="NAV P&L" value={money(a.reconciliation.navPnl)} tone={toneOf(a.reconciliation.navPnl)} hint={a.reconciliation.navPnl === null ? 'no stored NAV for the window' : `= book ${money(a.reconciliation.bookPnl)} (after costs ${money(a.reconciliation.costs)}) + flows ${money(a.reconciliation.difference)}`} />
        </Stats>
      </div>
      {a.source.unpriced.length > 0 ? <p className="muted">Left out, no close to mark them: {a.source.unpriced.join(', ')}.</p> : null}
      <Grid>
        <Card span={7} title="Cumulative P&L by agent" extra="book, marked to closes">
          <Async loaded={p.hist}>{(h) => <CumulativeChart h={h} />}</Async>
        </Card>
        <Card span={5} title="P&L by agent" extra={<>total {pnl(a.total.pnl)}</>}>
          <PartTable parts={a.byAgent} total={a.total.pnl} label="Agent" testId="attribution-by-agent" withNav={a.byAgent.some((x) => x.navPnl !== null && x.navPnl !== undefined)} />
        </Card>
      </Grid>
      <Grid>
        <Card span={6} title="Factor attribution" extra={a.factors ? `${a.factors.observations} days · R² ${num(a.factors.rSquared)}` : undefined}>
          {a.factors ? <Factors f={a.factors} /> : <EmptyState title="No factor attribution">{a.factorError ?? 'No factor series stored.'}</EmptyState>}
        </Card>
        <Card span={6} title="Brinson–Hood–Beebower by sector" extra={b ? `vs ${b.benchmark.weighting === 'cap' ? 'cap-weighted' : 'equal-weighted'} index` : undefined}>
          {b ? <BrinsonSummary b={b} /> : <EmptyState title="No Brinson attribution">{a.brinsonError ?? 'No benchmark.'}</EmptyState>}
        </Card>
      </Grid>
      {b ? <BrinsonDetail b={b} /> : null}
      <Grid>
        <Card span={4} title="By bucket">
          <PartTable parts={a.byBucket} total={a.total.pnl} label="Bucket" testId="attribution-by-bucket" />
        </Card>
        <Card span={4} title="By sector">
          <PartTable parts={a.bySector} total={a.total.pnl} label="Sector" testId="attribution-by-sector" />
        </Card>
        <Card span={4} title="By name" extra="every name, largest |P&L| first">
          <NameTable parts={a.byName} total={a.total.pnl} />
        </Card>
      </Grid>
    </>
  );
}

function CumulativeChart(p: { h: PnlHistory }) {
  const option = useMemo(() => lineOption(p.h.dates, [{ name: 'fund', data: p.h.fund.cumulative, colour: '#1b2430' }, ...p.h.series.map((s) => ({ name: s.key, data: s.cumulative }))], { legend: true }), [p.h]);
  if (p.h.series.length === 0) return <EmptyState title="No P&L in this window" />;
  return <Chart option={option} height={260} testId="pnl-by-agent-chart" />;
}

function PartTable(p: { parts: PnlPart[]; total: number; label: string; testId: string; withNav?: boolean }) {
  return (
    <Table
      rows={p.parts}
      rowKey={(r) => r.key}
      empty="No P&L in this window"
      testId={p.testId}
      columns={[
        { key: 'k', header: p.label, render: (r) => <b>{r.key.replace(/_/g, ' ')}</b> },
        { key: 'p', header: 'P&L', num: true, render: (r) => pnl(r.pnl) },
        { key: 's', header: 'Share', num: true, render: (r) => (p.total !== 0 ? pct(r.pnl / p.total, 0) : '—') },
        ...(p.withNav ? [{ key: 'n', header: 'NAV P&L', num: true, render: (r: PnlPart) => pnl(r.navPnl) }] : []),
      ]}
    />
  );
}

/** P&L by name: every name the window traded or held (hundreds in a real fund), searched, sorted, paged by 12 and exported. */
function NameTable(p: { parts: PnlPart[]; total: number }) {
  const rows = useMemo(() => [...p.parts].sort((x, y) => Math.abs(y.pnl) - Math.abs(x.pnl)), [p.parts]);
  return (
    <DataTable
      rows={rows}
      rowKey={(r) => r.key}
      empty="No P&L in this window"
      testId="attribution-by-name"
      exportName="pnl-by-name"
      pageSize={12}
      columns={[
        { key: 'k', header: 'Symbol', render: (r) => <b>{r.key}</b>, value: (r) => r.key },
        { key: 'p', header: 'P&L', label: 'P&L ($)', num: true, render: (r) => pnl(r.pnl), value: (r) => r.pnl },
        { key: 's', header: 'Share', label: 'Share of total P&L (fraction)', num: true, render: (r) => (p.total !== 0 ? pct(r.pnl / p.total, 0) : '—'), value: (r) => (p.total !== 0 ? r.pnl / p.total : null) },
      ]}
    />
  );
}

function Factors(p: { f: FactorReport }) {
  const { f } = p;
  const rows = useMemo(
    () => [
      ...sortFactors(f.factors.map((x) => x.factor)).flatMap((name) => f.factors.filter((x) => x.factor === name)).map((x) => ({ key: factorLabel(x.factor), beta: x.beta as number | null, factorReturn: x.factorReturn as number | null, pnl: x.pnl })),
      { key: 'Alpha', beta: null, factorReturn: null, pnl: f.alphaPnl },
      { key: 'Residual', beta: null, factorReturn: null, pnl: f.residualPnl },
    ],
    [f],
  );
  const option = useMemo(() => barOption(rows.map((r) => r.key), rows.map((r) => r.pnl)), [rows]);
  return (
    <>
      <Chart option={option} height={rows.length * 26 + 40} testId="factor-chart" />
      <Table
        rows={rows}
        rowKey={(r) => r.key}
        testId="factor-table"
        columns={[
          { key: 'f', header: 'Factor', render: (r) => <b>{r.key}</b> },
          { key: 'b', header: 'Beta', num: true, render: (r) => num(r.beta, 3) },
          { key: 'r', header: 'Factor return', num: true, render: (r) => (r.factorReturn === null ? '' : ret(r.factorReturn)) },
          { key: 'p', header: 'P&L', num: true, render: (r) => pnl(r.pnl) },
        ]}
      />
      <div className="muted" style={{ marginTop: 8, fontSize: 12 }}>
        Alpha + factors + residual = {money(f.totalPnl)}. Betas of daily P&L / base NAV on daily factor returns.
      </div>
    </>
  );
}

function BrinsonSummary(p: { b: BrinsonReport }) {
  const { b } = p;
  const rows = [
    { key: 'Portfolio return', v: b.portfolioReturn },
    { key: 'Benchmark return', v: b.benchmarkReturn },
    { key: 'Active return', v: b.activeReturn },
    { key: 'Allocation', v: b.allocation },
    { key: 'Selection', v: b.selection },
    { key: 'Interaction', v: b.interaction },
    { key: 'Trading and fees', v: b.trading },
  ];
  return (
    <>
      <Table rows={rows} rowKey={(r) => r.key} testId="brinson-summary" columns={[{ key: 'k', header: 'Effect', render: (r) => (r.key === 'Active return' ? <b>{r.key}</b> : r.key) }, { key: 'v', header: 'Return', num: true, render: (r) => ret(r.v, 3) }]} />
      <div className="muted" style={{ marginTop: 8, fontSize: 12 }}>
        Allocation + selection + interaction + trading = active return. Daily effects on start-of-day weights, summed over {b.days} days.
        {b.benchmark.indexReturn !== null ? ` The index series returned ${signedPct(b.benchmark.indexReturn)}.` : ''}
      </div>
    </>
  );
}

function BrinsonDetail(p: { b: BrinsonReport }) {
  const rows = p.b.sectors;
  const option = useMemo(() => stackedBarOption(rows.map((s) => s.sector), [
    { name: 'Allocation', data: rows.map((s) => s.allocation) },
    { name: 'Selection', data: rows.map((s) => s.selection) },
    { name: 'Interaction', data: rows.map((s) => s.interaction) },
  ], { percent: true }), [rows]);
  const e = (x: number) => ret(x, 3);
  return (
    <Grid>
      <Card span={7} title="Brinson effects by sector">
        <Table
          rows={rows}
          rowKey={(r) => r.sector}
          testId="brinson-table"
          columns={[
            { key: 's', header: 'Sector', render: (r) => <b>{r.sector}</b> },
            { key: 'wp', header: 'Weight', num: true, render: (r) => pct(r.portfolioWeight, 1) },
            { key: 'wb', header: 'Bench.', num: true, render: (r) => pct(r.benchmarkWeight, 1) },
            { key: 'a', header: 'Alloc.', num: true, render: (r) => e(r.allocation) },
            { key: 'se', header: 'Select.', num: true, render: (r) => e(r.selection) },
            { key: 'i', header: 'Inter.', num: true, render: (r) => e(r.interaction) },
            { key: 't', header: 'Total', num: true, render: (r) => <b>{e(r.total)}</b> },
          ]}
        />
      </Card>
      <Card span={5} title="Effects by sector" extra="fractions of base NAV">
        <Chart option={option} height={rows.length * 24 + 60} testId="brinson-chart" />
      </Card>
    </Grid>
  );
}

function Contribution(p: { r: BacktestResults }) {
  const rows = useMemo(() => {
    const f0 = p.r.fund.equity[0] ?? 0;
    return p.r.agents
      // P&L net of the capital the allocation moved into the book (a transfer is not a contribution), over the fund's first NAV
      .map((a) => ({ id: a.id, contribution: f0 > 0 ? bookPnl(a.equity, a.flows) / f0 : 0, own: a.tearSheet.totalReturn, sharpe: a.tearSheet.sharpe }))
      .sort((a, b) => b.contribution - a.contribution);
  }, [p.r]);
  const option = useMemo(() => barOption(rows.map((r) => r.id), rows.map((r) => r.contribution), { percent: true }), [rows]);
  return (
    <Grid>
      <Card span={6} title="Contribution to fund return (backtest)" extra={<span data-testid="contribution-window">{`${p.r.from} → ${p.r.to}`}</span>}>
        <Chart option={option} height={Math.max(160, rows.length * 34 + 40)} testId="attribution-chart" />
      </Card>
      <Card span={6} title="Contribution table (backtest)" extra={`fund ${pct(p.r.fund.tearSheet.totalReturn)}`}>
        <Table
          rows={rows}
          rowKey={(r) => r.id}
          testId="contribution-table"
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
