import { useApi } from '../api/use-api.ts';
import type { AlertsAnswer, FundDetail, MorningPack } from '../api/types.ts';
import { Async, Badge, Card, Grid, PageHead, Stat, Stats, StatusBadge, Table, money, pct, signedPct, time, toneOf, num } from '../design/index.ts';
import { useSession } from '../session.ts';
import { AcknowledgeButton } from './acknowledge.tsx';

type PackResponse = { date: string; pack: MorningPack; narrative: { text: string; source: string; fallbackReason: string | null } };

const SEVERITY_TONE = { CRITICAL: 'breach', HIGH: 'down', MEDIUM: 'warning', LOW: 'neutral' } as const;

/** The daily briefing: market, NAV, risk summary, proposals awaiting a decision, agents' views, alerts. */
export function MorningPackPage() {
  const { base } = useSession();
  const fund = useApi<FundDetail>(base, ['cycle.completed', 'trading-state.changed']);
  const pack = useApi<PackResponse>(`${base}/morning-pack`, ['cycle.completed', 'proposal.reviewed', 'alert.raised']);
  // the fund's own alerts with their acknowledgement (the pack's fund-wide ones have none)
  const alerts = useApi<AlertsAnswer>(`${base}/alerts?limit=500`, ['alert.raised', 'alert.acknowledged']);
  const acks = new Map((alerts.data?.alerts ?? []).map((a) => [a.id, a]));
  return (
    <>
      <PageHead title="Morning Pack" sub={pack.data ? `Briefing for ${pack.data.date} · narrative: ${pack.data.narrative.source}` : 'Daily briefing'} />
      <Async loaded={fund}>
        {(f) => (
          <Stats>
            <Stat label="NAV" value={money(f.nav?.nav, true)} hint={f.nav ? `as of ${f.nav.date}` : 'no NAV yet'} />
            <Stat label="Drawdown" value={pct(f.nav?.drawdown)} tone={f.nav && f.nav.drawdown < 0 ? 'down' : 'neutral'} hint="from the high-water mark" />
            <Stat label="Gross (netted by name)" value={money(f.nav?.grossExposure, true)} hint={`net ${money(f.nav?.netExposure, true)}`} />
            <Stat label="Trading state" value={<StatusBadge status={f.fund.tradingState} />} hint={`drawdown step: ${f.fund.drawdownState}`} />
            <Stat label="Agents" value={f.agentCount} />
          </Stats>
        )}
      </Async>
      <Async loaded={pack} label="Building the morning pack…">
        {({ pack: p, narrative }) => (
          <>
            <Grid>
              <Card span={7} title="Narrative">
                <p className="narrative" data-testid="narrative">{narrative.text}</p>
              </Card>
              <div className="span-5 stack">
                <Card title="Market" extra={p.market.indexSymbol}>
                  <Stats>
                    <Stat label="Index" value={num(p.market.indexLevel)} />
                    <Stat label="1d" value={signedPct(p.market.return1d)} tone={toneOf(p.market.return1d)} />
                    <Stat label="5d" value={signedPct(p.market.return5d)} tone={toneOf(p.market.return5d)} />
                    <Stat label="21d" value={signedPct(p.market.return21d)} tone={toneOf(p.market.return21d)} />
                  </Stats>
                  <div className="row">
                    Regime <Badge tone="accent">{String(p.market.regime)}</Badge>
                    {p.market.volatilityIndex ? (
                      <span className="muted">
                        {p.market.volatilityIndex.symbol} {num(p.market.volatilityIndex.level)}
                      </span>
                    ) : null}
                  </div>
                </Card>
                <Card title="Risk summary" extra={<a href="#/risk">risk monitor →</a>}>
                  {p.risk ? (
                    <Stats>
                      <Stat label="VaR 99" value={pct(p.risk.var99Pct)} hint={`${money(p.risk.var99, true)} · worst method`} />
                      <Stat label="CVaR 99" value={pct(p.risk.cvar99Pct)} hint={money(p.risk.cvar99, true)} />
                      <Stat label="Gross (netted by name)" value={pct(p.risk.grossPct, 0)} hint={`net ${pct(p.risk.netPct, 0)}`} />
                      <Stat label="Limits" value={p.risk.breaches.length > 0 ? `${p.risk.breaches.length} breach` : 'OK'} tone={p.risk.breaches.length > 0 ? 'breach' : 'up'} hint={`${p.risk.warnings.length} warnings`} />
                    </Stats>
                  ) : (
                    <div className="muted">No risk report yet.</div>
                  )}
                </Card>
              </div>
            </Grid>
            <Grid>
              <Card span={7} title="Agents' views">
                <Table
                  rows={p.agents}
                  rowKey={(r) => r.agentId}
                  empty="No agents"
                  columns={[
                    { key: 'agent', header: 'Agent', render: (r) => <b>{r.agentId}</b> },
                    { key: 'state', header: 'State', render: (r) => <StatusBadge status={r.state} /> },
                    { key: 'signals', header: 'Top signals', render: (r) => (r.topSignals.map((s) => `${s.symbol} ${signedPct(s.mu, 1)}`).join(' · ') || '—') + (r.signalsAsOf !== null && r.signalsAsOf !== p.asOf ? ` (${r.signalsAsOf})` : '') },
                    { key: 'gross', header: 'Gross', num: true, render: (r) => pct(r.book.gross, 0) },
                    { key: 'net', header: 'Net', num: true, render: (r) => pct(r.book.net, 0) },
                    { key: 'pnl', header: 'P&L 1d', num: true, render: (r) => <span className={`tone-${toneOf(r.book.pnl1d)}`}>{money(r.book.pnl1d)}</span> },
                    { key: 'overlay', header: 'Overlay', render: (r) => (r.lastOverlay ? <StatusBadge status={r.lastOverlay.action} /> : '—') },
                  ]}
                />
              </Card>
              <Card span={5} title="Awaiting approval" extra={<a href="#/proposals">proposals →</a>}>
                <Table
                  rows={p.awaitingApproval}
                  rowKey={(r) => r.id}
                  empty="Nothing awaits a decision"
                  columns={[
                    { key: 'agent', header: 'Agent', render: (r) => r.agentId },
                    { key: 'symbols', header: 'Names', render: (r) => r.symbols.slice(0, 3).join(', ') + (r.symbols.length > 3 ? ` +${r.symbols.length - 3}` : '') },
                    { key: 'status', header: 'Status', render: (r) => <StatusBadge status={r.status} /> },
                    { key: 'exp', header: 'Expires in', num: true, render: (r) => `${r.minutesToExpiry} min` },
                  ]}
                />
              </Card>
            </Grid>
            <Card title="Overnight alerts" extra={Object.entries(p.alertCounts).filter(([, v]) => v > 0).map(([k, v]) => `${k} ${v}`).join(' · ') || 'none'}>
              <Table
                rows={p.alerts}
                rowKey={(r) => r.id}
                testId="pack-alerts"
                empty="No alerts overnight"
                columns={[
                  { key: 'sev', header: 'Severity', render: (r) => <Badge tone={SEVERITY_TONE[r.severity as keyof typeof SEVERITY_TONE] ?? 'neutral'}>{r.severity}</Badge>, width: 100 },
                  { key: 'title', header: 'Alert', render: (r) => <b>{r.title}</b>, width: 260 },
                  { key: 'msg', header: 'Detail', render: (r) => r.message },
                  { key: 'at', header: 'At', render: (r) => time(r.timestamp), width: 130 },
                  {
                    key: 'ack',
                    header: 'Acknowledged',
                    width: 200,
                    render: (r) => {
                      const a = acks.get(r.id);
                      if (!a) return '—';
                      if (a.acknowledgedBy) return `${a.acknowledgedBy} at ${time(a.acknowledgedAt)}`;
                      return (
                        <>
                          <span className="tone-warning">not acknowledged</span> <AcknowledgeButton alertIds={[a.id]} onDone={alerts.reload} testId="alert-acknowledge" />
                        </>
                      );
                    },
                  },
                ]}
              />
            </Card>
          </>
        )}
      </Async>
    </>
  );
}
