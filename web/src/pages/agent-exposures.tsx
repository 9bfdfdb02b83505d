import { useMemo } from 'react';
import type { Exposures } from '../api/attribution-types.ts';
import { useApi } from '../api/use-api.ts';
import { Chart } from '../charts/chart.tsx';
import { signedHeatmapOption } from '../charts/attribution-options.ts';
import { Async, Card, EmptyState, Grid, Table, money, num, pct } from '../design/index.ts';
import { factorLabel, sortFactors } from '../factors.ts';

/** Each agent's factor exposures from its current book (fraction of its capital per unit factor return): heatmap and book table. */
export function AgentExposures(p: { base: string }) {
  const loaded = useApi<Exposures>(`${p.base}/exposures`, ['fill.recorded', 'cycle.completed']);
  if (loaded.data) return <ExposureView e={loaded.data} />;
  return (
    <Card title="Factor exposures">
      <Async loaded={loaded}>{() => null}</Async>
    </Card>
  );
}

function ExposureView(p: { e: Exposures }) {
  const { e } = p;
  const held = useMemo(() => e.agents.filter((a) => a.gross > 0), [e]);
  const option = useMemo(() => {
    const rows = [...held.map((a) => a.agentId), 'fund'];
    const factors = sortFactors(e.factors);
    const matrix = [...held, { ...e.fund }].map((a) => factors.map((f) => a.exposures[f] ?? Number.NaN));
    return signedHeatmapOption(rows, factors.map(factorLabel), matrix);
  }, [e, held]);
  const flat = e.agents.length - held.length;
  if (e.factors.length === 0) return <Card title="Factor exposures"><EmptyState title="No factor series stored">Import factor returns (keel market import ff3_daily.csv) or generate the synthetic market.</EmptyState></Card>;
  return (
    <Grid>
      <Card span={7} title="Factor exposures" extra={`current books · betas over ${e.lookback} days to ${e.asOf}`}>
        {held.length === 0 ? (
          <EmptyState title="Every agent is flat" />
        ) : (
          <Chart option={option} height={Math.max(160, (held.length + 1) * 34 + 50)} testId="agents-exposures-heatmap" />
        )}
        <div className="muted" style={{ fontSize: 12, marginTop: 4 }}>
          Σ value × beta / capital: 0.30 on Market moves the book 0.3% when the market moves 1%.{flat > 0 ? ` ${flat} flat agent${flat > 1 ? 's' : ''} not shown.` : ''}
        </div>
      </Card>
      <Card span={5} title="Books behind the exposures">
        <Table
          rows={held}
          rowKey={(a) => a.agentId}
          testId="agents-exposures-table"
          empty="No agent holds anything"
          columns={[
            { key: 'a', header: 'Agent', render: (a) => <b>{a.agentId}</b> },
            { key: 'g', header: 'Gross', num: true, render: (a) => money(a.gross, true) },
            { key: 'n', header: 'Net', num: true, render: (a) => money(a.net, true) },
            { key: 'm', header: 'Market β', num: true, render: (a) => num(a.exposures[e.factors.find((f) => f === 'mkt_rf' || f === 'market') ?? ''] ?? null) },
            { key: 'c', header: 'Covered', num: true, render: (a) => <span title={a.missing.length > 0 ? `no loadings: ${a.missing.join(', ')}` : undefined}>{pct(a.coverage, 0)}</span> },
          ]}
        />
      </Card>
    </Grid>
  );
}
