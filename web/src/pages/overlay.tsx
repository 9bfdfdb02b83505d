import { useState } from 'react';
import { post } from '../api/client.ts';
import { useApi } from '../api/use-api.ts';
import type { Agent, FundDetail, JournalEntry, OverlayDecision, RiskBudgets } from '../api/types.ts';
import { Async, Badge, Button, Card, ConfirmDialog, DataTable, Grid, PageHead, ProgressBar, StatusBadge, money, pct, time } from '../design/index.ts';
import { can, useSession } from '../session.ts';
import { Reasons } from './reasons.tsx';

const LIVE = ['cycle.completed', 'trading-state.changed', 'alert.raised'];

/** The default agent drawdown ladder (src/contracts DrawdownConfig.agentSteps), in units of each agent's own vol σ; the API does not expose the fund's config. */
const LADDER = [
  { state: 'normal', label: 'Normal', rule: 'drawdown < 1.5σ', effect: 'full size' },
  { state: 'reduced_50', label: 'Cut 50%', rule: '≥ 1.5σ', effect: 'half size' },
  { state: 'reduced_75', label: 'Cut 75%', rule: '≥ 2σ', effect: 'quarter size' },
  { state: 'flat', label: 'Flat', rule: '≥ 2.5σ', effect: 'no new risk' },
  { state: 'paused', label: 'Paused', rule: '≥ 3σ', effect: 'paused' },
] as const;
const STEP_TONE = { normal: 'up', reduced_50: 'warning', reduced_75: 'warning', flat: 'down', paused: 'breach' } as const;

/** The fund overlay: decisions per agent, risk budgets, the drawdown ladder, trading state and the kill switch. */
export function OverlayPage() {
  const { base } = useSession();
  const fund = useApi<FundDetail>(base, LIVE);
  const latest = useApi<{ latest: Record<string, OverlayDecision> }>(`${base}/overlay-actions/latest`, LIVE);
  const agents = useApi<{ agents: Agent[] }>(`${base}/agents`, LIVE);
  const budgets = useApi<RiskBudgets>(`${base}/risk-budgets`, LIVE);
  return (
    <>
      <PageHead title="Fund Overlay" sub="The committee above the agents: what it decided, why, and the controls" />
      <KillSwitch fund={fund.data} onChange={fund.reload} />
      <Card title="Each agent's last decision" extra={<a href="#/journal">journal →</a>}>
        <Async loaded={latest}>
          {(d) => (
            <DataTable
              rows={Object.values(d.latest)}
              rowKey={(r) => r.agentId}
              exportName="overlay-decisions"
              testId="overlay-decisions"
              empty="No overlay decisions yet (no cycle has run)"
              initialSort={{ key: 'a', dir: 'asc' }}
              columns={[
                { key: 'a', header: 'Agent', render: (r) => <b>{r.agentId}</b>, width: 140, value: (r) => r.agentId },
                { key: 'd', header: 'As of', render: (r) => r.asOf, width: 96, value: (r) => r.asOf },
                { key: 'x', header: 'Action', render: (r) => <StatusBadge status={r.action} />, width: 80, value: (r) => r.action },
                { key: 's', header: 'Scale', num: true, render: (r) => pct(r.scale, 0), width: 64, value: (r) => r.scale },
                { key: 'r', header: 'Reasons', render: (r) => <Reasons reasons={r.reasons} summary={r.summary} />, value: (r) => r.reasons.map((x) => `${x.code}: ${x.message}`).join('; ') },
              ]}
            />
          )}
        </Async>
      </Card>
      <div style={{ height: 16 }} />
      <Grid>
        <Card span={12} title="Risk budgets" extra={budgets.data?.asOf ? `the overlay's measure at the cycle of ${budgets.data.asOf}: component VaR ÷ the agent's VaR budget ($)` : "the overlay's measure: component VaR ÷ the agent's VaR budget ($)"}>
          <Async loaded={budgets}>
            {(b) =>
              b.agents.length === 0 ? (
                <div className="muted">No risk snapshot yet (no cycle has run).</div>
              ) : (
                <div data-testid="risk-budgets">
                  {b.agents.map((a) => (
                    <ProgressBar
                      key={a.agentId}
                      label={a.agentId}
                      utilisation={a.used}
                      status={a.status}
                      right={a.budget > 0 ? `${money(a.standaloneVar, true)} of ${money(a.budget, true)} · ${pct(a.used, 0)}` : `${money(a.componentVar, true)} component · no budget`}
                    />
                  ))}
                  <div className="muted" style={{ marginTop: 8 }}>
                    Fund VaR {money(b.fundVar, true)}. A budget bounds the VaR of the agent's own book: 1.5 × the risk it was allocated (at least 0.5% of the fund's VaR at its risk target), times 1 − regime.emergencyTightening (½ by default) while the fund is in its emergency state. The buckets and the fund limit read the agents' components, which add up to the fund VaR.
                  </div>
                </div>
              )
            }
          </Async>
        </Card>
      </Grid>
      <Grid>
        <Card span={12} title="Drawdown ladder" extra="default steps">
          <Async loaded={agents}>
            {(a) => (
              <div className="ladder" data-testid="ladder">
                {LADDER.map((s) => {
                  const here = a.agents.filter((x) => x.drawdownState === s.state);
                  return (
                    <div key={s.state} className={`step${here.length > 0 ? ' current' : ''}`} style={here.length > 0 ? { borderColor: `var(--${STEP_TONE[s.state]})` } : undefined}>
                      <div className={`name tone-${STEP_TONE[s.state]}`}>{s.label}</div>
                      <div className="rule">
                        {s.rule} · {s.effect}
                      </div>
                      <div className="chips">
                        {here.map((x) => (
                          <Badge key={x.id} tone={STEP_TONE[s.state]}>
                            {x.id}
                          </Badge>
                        ))}
                      </div>
                    </div>
                  );
                })}
              </div>
            )}
          </Async>
          <Async loaded={agents}>{(a) => <PausedAgents paused={a.agents.filter((x) => x.drawdownState === 'paused').map((x) => x.id)} onChange={agents.reload} />}</Async>
          {fund.data ? (
            <div style={{ marginTop: 12 }}>
              Fund step: <StatusBadge status={fund.data.fund.drawdownState} /> ·{' '}
              {fund.data.nav ? `drawdown ${pct(fund.data.nav.drawdown)} from the high-water mark` : 'no NAV yet'}
            </div>
          ) : null}
        </Card>
      </Grid>
    </>
  );
}

/** Agents the ladder's last step paused: each waits for a person with the risk role to re-arm it (POST …/agents/:id/rearm). */
function PausedAgents(p: { paused: readonly string[]; onChange: () => void }) {
  const { base, user } = useSession();
  const [dialog, setDialog] = useState<string | null>(null);
  const [rearmed, setRearmed] = useState<readonly string[]>([]);
  if (p.paused.length === 0) return null;
  const allowed = can(user, 'killSwitch');
  const act = async (reason: string) => {
    if (dialog === null) return;
    await post(`${base}/agents/${encodeURIComponent(dialog)}/rearm`, { reason });
    setRearmed([...rearmed, dialog]);
    setDialog(null);
    p.onChange();
  };
  return (
    <div style={{ marginTop: 12 }} data-testid="paused-agents">
      {p.paused.map((id) => (
        <div key={id} className="row" style={{ alignItems: 'center', gap: 8 }}>
          <span>
            <b>{id}</b> is paused by its drawdown ladder until someone re-arms it.
          </span>
          {rearmed.includes(id) ? (
            <span className="muted" data-testid={`agent-rearmed-${id}`}>
              Re-arm recorded: its recovery ramp starts at the next cycle once the cooldown has passed.
            </span>
          ) : (
            <Button variant="primary" disabled={!allowed} onClick={() => setDialog(id)} data-testid={`agent-rearm-${id}`}>
              Re-arm {id}…
            </Button>
          )}
        </div>
      ))}
      {!allowed ? <div className="muted">Only risk and admin may re-arm an agent.</div> : null}
      {dialog !== null ? (
        <ConfirmDialog
          title={`Re-arm ${dialog}`}
          confirmLabel="Re-arm"
          body={<span style={{ fontWeight: 400 }}>The next cycle starts {dialog}'s recovery ramp (20% of its book, then up in steps) once the ladder's cooldown has passed. This is journalled and audited.</span>}
          onConfirm={act}
          onCancel={() => setDialog(null)}
        />
      ) : null}
    </div>
  );
}

function KillSwitch(p: { fund: FundDetail | null; onChange: () => void }) {
  const { base, user, refreshFunds } = useSession();
  const ks = useApi<{ tradingState: string; lastEvent: JournalEntry | null }>(`${base}/kill-switch`, ['trading-state.changed']);
  const [dialog, setDialog] = useState<'trip' | 'rearm' | null>(null);
  const state = ks.data?.tradingState ?? p.fund?.fund.tradingState ?? null;
  const allowed = can(user, 'killSwitch');
  const halted = state === 'HALTED';
  // The overlay's transition table re-arms one step at a time: HALTED → REDUCING → ACTIVE.
  const rearmTo = halted ? 'REDUCING' : 'ACTIVE';
  const act = async (reason: string) => {
    if (dialog === 'trip') await post(`${base}/kill-switch/trip`, { reason });
    else await post(`${base}/kill-switch/rearm`, { reason, to: rearmTo });
    setDialog(null);
    ks.reload();
    p.onChange();
    refreshFunds();
  };
  const tone = halted ? 'breach' : state === 'REDUCING' ? 'warning' : 'up';
  return (
    <div className={`banner banner-${tone}`} data-testid="trading-state">
      <div>
        Trading state: <span data-testid="trading-state-value">{state ?? '…'}</span>
        {ks.data?.lastEvent ? (
          <span style={{ fontWeight: 400 }}>
            {' '}
            · last: {ks.data.lastEvent.kind.replace(/_/g, ' ').toLowerCase()} by {ks.data.lastEvent.who} at {time(ks.data.lastEvent.timestamp)} — “{ks.data.lastEvent.rationale}”
          </span>
        ) : null}
        {ks.error !== null ? <span style={{ fontWeight: 400 }}> · kill-switch status unavailable</span> : null}
      </div>
      <div className="row">
        {!allowed ? <span style={{ fontWeight: 400 }}>Only risk and admin may use the kill switch.</span> : null}
        {halted || state === 'REDUCING' ? (
          <Button variant="primary" disabled={!allowed} onClick={() => setDialog('rearm')} data-testid="rearm">
            {halted ? 'Re-arm to REDUCING…' : 'Re-arm to ACTIVE…'}
          </Button>
        ) : null}
        {!halted ? (
          <Button variant="danger" disabled={!allowed || state === null} onClick={() => setDialog('trip')} data-testid="kill-switch">
            Kill switch…
          </Button>
        ) : null}
      </div>
      {dialog === 'trip' ? (
        <ConfirmDialog
          title="Trip the kill switch"
          danger
          confirmLabel="Halt trading"
          body={<span style={{ fontWeight: 400 }}>All trading in this fund stops (HALTED) until someone with the risk role re-arms it. This is journalled and audited.</span>}
          onConfirm={act}
          onCancel={() => setDialog(null)}
        />
      ) : null}
      {dialog === 'rearm' ? (
        <ConfirmDialog
          title="Re-arm trading"
          confirmLabel={`Re-arm to ${rearmTo}`}
          body={
            <span style={{ fontWeight: 400 }}>
              {state} → <b>{rearmTo}</b>.{' '}
              {halted ? 'A halted fund re-arms to REDUCING first (risk can only shrink); re-arm again to go ACTIVE.' : 'Full trading resumes.'}
            </span>
          }
          onConfirm={act}
          onCancel={() => setDialog(null)}
        />
      ) : null}
    </div>
  );
}
