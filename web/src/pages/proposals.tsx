import { useState } from 'react';
import { post } from '../api/client.ts';
import { useApi } from '../api/use-api.ts';
import type { Proposal, ProposalEvent, ProposalImpactResponse } from '../api/types.ts';
import { Async, Button, Card, ConfirmDialog, EmptyState, Grid, PageHead, Stat, Stats, StatusBadge, DataTable, Table, Tabs, money, num, pct, time } from '../design/index.ts';
import { can, useSession } from '../session.ts';

const LIVE = ['proposal.reviewed', 'cycle.completed', 'order.updated'];
const AWAITING = new Set(['PENDING_APPROVAL', 'MODIFIED']);
type Filter = 'awaiting' | 'decided' | 'all';
type Action = 'approve' | 'reject' | 'modify';

/** On a phone the detail card sits below the list: bring it into view once it has rendered. */
function showDetailOnPhone(): void {
  if (!window.matchMedia('(max-width: 760px)').matches) return;
  requestAnimationFrame(() => document.querySelector('[data-testid="proposal-detail"]')?.scrollIntoView({ block: 'start' }));
}

/** Trade proposals: the PM approves, rejects or modifies; roles that may not see the buttons disabled. */
export function ProposalsPage() {
  const { base, user } = useSession();
  const [filter, setFilter] = useState<Filter>('awaiting');
  const [selected, setSelected] = useState<string | null>(null);
  const list = useApi<{ proposals: Proposal[] }>(`${base}/proposals`, LIVE);
  return (
    <>
      <PageHead title="Proposals" sub="Agents' and discretionary trades waiting for a human decision">
        {can(user, 'approve') ? <NewTrade onDone={(id) => { setSelected(id); setFilter('awaiting'); list.reload(); }} /> : null}
      </PageHead>
      <Tabs
        tabs={[{ id: 'awaiting', label: 'Awaiting decision' }, { id: 'decided', label: 'Decided' }, { id: 'all', label: 'All' }] as const}
        value={filter}
        onChange={setFilter}
      />
      <Async loaded={list}>
        {(d) => {
          const rows = d.proposals
            .filter((p) => (filter === 'all' ? true : filter === 'awaiting' ? AWAITING.has(p.status) : !AWAITING.has(p.status)))
            .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
          const current = d.proposals.find((p) => p.id === selected) ?? null;
          return (
            <Grid>
              <Card span={7} title={`${rows.length} proposals`}>
                <DataTable
                  rows={rows}
                  rowKey={(r) => r.id}
                  selected={selected}
                  onRowClick={(r) => {
                    setSelected(r.id);
                    showDetailOnPhone();
                  }}
                  exportName="proposals"
                  testId="proposals-table"
                  empty={filter === 'awaiting' ? 'Nothing awaits a decision' : 'No proposals'}
                  columns={[
                    { key: 'id', header: 'Proposal id', render: () => null, value: (r) => r.id, isHidden: true },
                    { key: 'created', header: 'Created', render: (r) => time(r.createdAt), value: (r) => r.createdAt },
                    { key: 'agent', header: 'Agent', render: (r) => r.agentId, value: (r) => r.agentId },
                    { key: 'names', header: 'Names', render: (r) => <b>{r.ticket ? `${r.ticket.side} ${r.ticket.symbol}` : r.symbols.slice(0, 4).join(', ') + (r.symbols.length > 4 ? ` +${r.symbols.length - 4}` : '')}</b>, value: (r) => (r.ticket ? `${r.ticket.side} ${r.ticket.symbol}` : r.symbols.join(' ')) },
                    { key: 'size', header: 'Size', num: true, render: (r) => num(r.size), value: (r) => r.size },
                    { key: 'status', header: 'Status', render: (r) => <StatusBadge status={r.status} />, value: (r) => r.status },
                    { key: 'exp', header: 'Expires', render: (r) => time(r.expiresAt), value: (r) => r.expiresAt },
                  ]}
                />
              </Card>
              <Card span={5} title="Proposal">
                {current ? <Detail p={current} onDone={list.reload} /> : <EmptyState title="Select a proposal">Click a row to review it.</EmptyState>}
              </Card>
            </Grid>
          );
        }}
      </Async>
    </>
  );
}

function Detail(p: { p: Proposal; onDone: () => void }) {
  const { user, base } = useSession();
  const [action, setAction] = useState<Action | null>(null);
  const [size, setSize] = useState(String(p.p.size));
  const [limit, setLimit] = useState(p.p.limitPrice === null ? '' : String(p.p.limitPrice));
  const open = AWAITING.has(p.p.status);
  const run = async (why: string) => {
    if (action === null) return;
    const body: Record<string, unknown> = { why };
    if (action === 'modify') {
      const s = Number(size);
      if (!Number.isFinite(s) || s <= 0) throw new Error('Size must be a positive number.');
      body['size'] = s;
      if (limit.trim() !== '') body['limitPrice'] = Number(limit);
    }
    await post(`${base}/proposals/${encodeURIComponent(p.p.id)}/${action}`, body);
    setAction(null);
    p.onDone();
  };
  const btn = (a: Action, label: string, variant: 'primary' | 'danger' | 'default') => {
    const allowed = can(user, a);
    return (
      <Button variant={variant} disabled={!allowed} title={allowed ? undefined : `Your role (${user.role}) may not ${a}`} onClick={() => setAction(a)} data-testid={`proposal-${a}`}>
        {label}
      </Button>
    );
  };
  return (
    <div className="stack" data-testid="proposal-detail">
      <div className="row">
        <StatusBadge status={p.p.status} /> <code>{p.p.id}</code>
      </div>
      <div>
        <span className="muted">Agent</span> {p.p.agentId} · <span className="muted">by</span> {p.p.createdBy}
      </div>
      <div className="muted">{p.p.rationale}</div>
      {p.p.ticket ? (
        <div>
          <b>
            {p.p.ticket.side} {num(p.p.ticket.qty, Number.isInteger(p.p.ticket.qty) ? 0 : 4)} {p.p.ticket.symbol}
          </b>
          {Number.isFinite(p.p.ticket.notional) && p.p.ticket.notional !== null ? ` (≈ $${num(p.p.ticket.notional, 0)})` : ''}
          {p.p.limitPrice !== null ? ` limit ${num(p.p.limitPrice)}` : ' at market'}
        </div>
      ) : null}
      {p.p.targets.length > 0 ? (
        <Table
          rows={p.p.targets}
          rowKey={(r) => r.symbol}
          columns={[
            { key: 's', header: 'Symbol', render: (r) => r.symbol },
            { key: 'w', header: 'Target weight', num: true, render: (r) => pct(r.weight) },
            { key: 'x', header: 'At size', num: true, render: (r) => pct(r.weight * p.p.size) },
          ]}
        />
      ) : null}
      {open ? <Impact base={base} id={p.p.id} /> : null}
      <OverlayReview history={p.p.history} />
      <NotExecuted p={p.p} />
      {user.role === 'viewer' ? <div className="muted">Read-only: viewers cannot act on proposals.</div> : null}
      {open ? (
        <div className="row">
          {btn('approve', 'Approve', 'primary')}
          {btn('modify', 'Modify', 'default')}
          {btn('reject', 'Reject', 'danger')}
        </div>
      ) : (
        <div className="muted">Decided: no further action.</div>
      )}
      {p.p.history.length > 0 ? (
        <>
          <h3>History</h3>
          <ul className="reasons">
            {p.p.history.map((h, i) => (
              <li key={i}>
                {time(h.at)} {h.from} → <b>{h.to}</b> by {h.who} ({h.role}): {h.why}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {p.p.orderIds.length > 0 ? (
        <div data-testid="proposal-orders">
          Orders: {p.p.orderIds.map((o) => <code key={o}>{o} </code>)} <a href="#/blotter">blotter →</a>
        </div>
      ) : null}
      {action !== null ? (
        <ConfirmDialog
          title={`${action[0]?.toUpperCase()}${action.slice(1)} proposal`}
          body={`${p.p.agentId}: ${p.p.symbols.join(', ')}`}
          confirmLabel={action === 'approve' ? 'Approve' : action === 'reject' ? 'Reject' : 'Modify'}
          danger={action === 'reject'}
          reasonLabel="Why (required, journalled)"
          onConfirm={run}
          onCancel={() => setAction(null)}
        >
          {action === 'modify' ? (
            <div className="row">
              <label className="field">
                Size (× proposed)
                <input name="size" value={size} onChange={(e) => setSize(e.target.value)} />
              </label>
              <label className="field">
                Limit price
                <input name="limitPrice" value={limit} onChange={(e) => setLimit(e.target.value)} />
              </label>
            </div>
          ) : null}
        </ConfirmDialog>
      ) : null}
    </div>
  );
}

/**
 * What approving now would trade and do to the fund: each ticket's price, notional and the name's
 * weight in the fund after it, the fund VaR before and after, and the headroom left to its limit.
 */
function Impact(p: { base: string; id: string }) {
  const im = useApi<ProposalImpactResponse>(`${p.base}/proposals/${encodeURIComponent(p.id)}/impact`, LIVE);
  // on a phone the detail stays short: the one-line summary, the tickets a tap away
  const isWide = !window.matchMedia('(max-width: 760px)').matches;
  return (
    <Async loaded={im}>
      {(d) => (
        <details data-testid="proposal-impact" open={isWide}>
          <summary>
            <b>Impact if approved now</b>: VaR {money(d.varBefore, true)} → {money(d.varAfter, true)} · headroom{' '}
            <span className={d.isOverLimitAfter ? 'tone-breach' : undefined}>{money(d.headroomAfter, true)}</span>
          </summary>
          <Table
            rows={d.tickets}
            rowKey={(t) => `${t.symbol}/${t.side}`}
            testId="impact-tickets"
            empty={d.skipped.length > 0 ? `Nothing to trade: ${d.skipped.map((s) => `${s.symbol} ${s.reason.code}`).join(', ')}` : 'Nothing to trade: the book is at its targets'}
            columns={[
              { key: 's', header: 'Ticket', render: (t) => <b>{`${t.side} ${num(t.qty, Number.isInteger(t.qty) ? 0 : 4)} ${t.symbol}`}</b> },
              { key: 'p', header: 'Price', num: true, render: (t) => num(t.price, 2) },
              { key: 'n', header: 'Notional', num: true, render: (t) => money(t.notional) },
              { key: 'w', header: 'Weight → after', num: true, render: (t) => `${pct(t.currentWeight, 2)} → ${pct(t.resultingWeight, 2)}` },
              { key: 'v', header: 'ΔVaR', num: true, render: (t) => money(t.varChange) },
            ]}
          />
          <Stats>
            <Stat label={`Fund VaR ${pct(d.confidence, 0)} (1d)`} value={`${money(d.varBefore, true)} → ${money(d.varAfter, true)}`} hint={`Δ ${money(d.varChange)}`} />
            <Stat label="Headroom to limit" value={money(d.headroomAfter, true)} tone={d.isOverLimitAfter ? 'breach' : d.headroomAfter < 0.2 * d.varLimit ? 'warning' : 'neutral'} hint={`limit ${money(d.varLimit, true)} (${pct(d.varLimitPct, 2)} of NAV ${money(d.nav, true)}); now ${money(d.headroomBefore, true)}`} />
          </Stats>
          <div className="muted">Before the overlay's review at execution, at the {d.asOf} close.</div>
        </details>
      )}
    </Async>
  );
}

/**
 * The overlay's latest word on a modified book or a ticket: the preview when it was modified (what
 * approving would do at that market), or the review it executed (or was rejected) under.
 */
/** Why an approved proposal traded nothing: each name's reason, with the limit and the actual value. */
function NotExecuted(p: { p: Proposal }) {
  const step = p.p.status === 'NOT_EXECUTED' ? p.p.history.at(-1) : undefined;
  if (!step) return null;
  return (
    <div data-testid="not-executed">
      <b>Not executed:</b> nothing traded.
      <ul>
        {(step.reasons ?? []).map((r, i) => (
          <li key={i}>
            {r.symbol ?? 'the proposal'}: <code>{r.code}</code> {r.message}
            {r.limit !== null && r.actual !== null ? ` (limit ${num(r.limit)}, actual ${num(r.actual)})` : ''}
          </li>
        ))}
      </ul>
      {step.reasons === undefined ? <div className="muted">{step.why}</div> : null}
    </div>
  );
}

function OverlayReview(p: { history: readonly ProposalEvent[] }) {
  const step = [...p.history].reverse().find((h) => h.review !== undefined);
  const r = step?.review;
  if (!step || !r) return null;
  const codes = [...new Set(r.reasons.map((x) => x.code))];
  const when = step.to === 'MODIFIED' ? `preview at the ${r.asOf} market; execution reviews again` : `at execution (${r.asOf} market)`;
  return (
    <div data-testid="proposal-review">
      <span className="muted">Overlay</span> <StatusBadge status={r.action} /> × {num(r.scale, 3)} <span className="muted">{when}</span>
      {codes.length > 0 ? <div className="muted">{codes.join(', ')}</div> : null}
    </div>
  );
}

/** A discretionary ticket: runs the same overlay review as the agents' proposals, then waits for approval. */
function NewTrade(p: { onDone: (id: string) => void }) {
  const { base } = useSession();
  const [open, setOpen] = useState(false);
  const [symbol, setSymbol] = useState('');
  const [side, setSide] = useState<'BUY' | 'SELL'>('BUY');
  const [qty, setQty] = useState('100');
  const [review, setReview] = useState<string | null>(null);
  if (!open)
    return (
      <Button onClick={() => setOpen(true)} data-testid="new-trade">
        New trade…
      </Button>
    );
  return (
    <ConfirmDialog
      title="New discretionary trade"
      confirmLabel="Submit for review"
      reasonLabel="Rationale (required, journalled)"
      onCancel={() => setOpen(false)}
      onConfirm={async (rationale) => {
        const q = Number(qty);
        if (symbol.trim() === '' || !Number.isFinite(q) || q <= 0) throw new Error('Give a symbol and a positive quantity.');
        const r = await post<{ proposal: Proposal; review: { action: string; summary: string }; isAccepted: boolean }>(
          `${base}/trades`,
          { symbol: symbol.trim().toUpperCase(), side, qty: q, rationale },
          { 'Idempotency-Key': crypto.randomUUID() },
        );
        setReview(`${r.review.action}: ${r.review.summary}`);
        setOpen(false);
        p.onDone(r.proposal.id);
      }}
    >
      <div className="row fields">
        <label className="field" style={{ flex: 2 }}>
          Symbol
          <input name="symbol" value={symbol} onChange={(e) => setSymbol(e.target.value)} />
        </label>
        <label className="field" style={{ flex: 1 }}>
          Side
          <select name="side" value={side} onChange={(e) => setSide(e.target.value === 'SELL' ? 'SELL' : 'BUY')}>
            <option>BUY</option>
            <option>SELL</option>
          </select>
        </label>
        <label className="field" style={{ flex: 1 }}>
          Qty
          <input name="qty" value={qty} onChange={(e) => setQty(e.target.value)} />
        </label>
      </div>
      {review !== null ? <div className="muted">{review}</div> : null}
    </ConfirmDialog>
  );
}
