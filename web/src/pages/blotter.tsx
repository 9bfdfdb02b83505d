import { useState } from 'react';
import { query } from '../api/client.ts';
import { useApi } from '../api/use-api.ts';
import type { Fill, Order, Proposal } from '../api/types.ts';
import { Async, Card, DataTable, PageHead, Stat, Stats, StatusBadge, Table, Tabs, money, num, time } from '../design/index.ts';
import { useSession } from '../session.ts';

const LIVE = ['order.updated', 'fill.recorded'];
const ORDER_STATUSES = ['', 'PENDING', 'SUBMITTED', 'ACKNOWLEDGED', 'PARTIALLY_FILLED', 'FILLED', 'CANCELLED', 'REJECTED', 'EXPIRED'];

/** Orders (newest first) with transaction-cost analysis, and fills. */
export function BlotterPage() {
  const { base } = useSession();
  const [tab, setTab] = useState<'orders' | 'fills'>('orders');
  const [status, setStatus] = useState('');
  const [symbol, setSymbol] = useState('');
  const orders = useApi<{ orders: Order[] }>(`${base}/orders${query({ status, symbol: symbol.trim().toUpperCase(), limit: 200 })}`, LIVE);
  const fills = useApi<{ fills: Fill[] }>(tab === 'fills' ? `${base}/fills${query({ limit: 200 })}` : null, LIVE);
  return (
    <>
      <PageHead title="Trade Blotter" sub="Orders, fills and transaction costs" />
      <Tabs tabs={[{ id: 'orders', label: 'Orders & TCA' }, { id: 'fills', label: 'Fills' }] as const} value={tab} onChange={setTab} />
      {tab === 'orders' ? (
        <>
          <div className="filters">
            <label className="field">
              Status
              <select value={status} onChange={(e) => setStatus(e.target.value)}>
                {ORDER_STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {s === '' ? 'all' : s}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              Symbol
              <input value={symbol} placeholder="e.g. AAA" onChange={(e) => setSymbol(e.target.value)} />
            </label>
          </div>
          <Working />
          <Async loaded={orders}>{(d) => <Orders orders={d.orders} />}</Async>
        </>
      ) : (
        <Async loaded={fills}>
          {(d) => (
            <Card title="Fills">
              <DataTable
                rows={d.fills}
                rowKey={(r) => r.id}
                exportName="fills"
                testId="fills-table"
                empty="No fills"
                columns={[
                  { key: 't', header: 'Time', render: (r) => time(r.timestamp), value: (r) => r.timestamp },
                  { key: 'sym', header: 'Symbol', render: (r) => <b>{r.symbol}</b>, value: (r) => r.symbol },
                  { key: 'side', header: 'Side', render: (r) => <span className={r.side === 'BUY' ? 'tone-up' : 'tone-down'}>{r.side}</span>, value: (r) => r.side },
                  { key: 'qty', header: 'Qty', num: true, render: (r) => num(r.qty, 0), value: (r) => r.qty },
                  { key: 'px', header: 'Price', num: true, render: (r) => num(r.price), value: (r) => r.price },
                  { key: 'comm', header: 'Commission', num: true, render: (r) => money(r.commission), value: (r) => r.commission },
                  { key: 'order', header: 'Order', render: (r) => <code>{r.orderId}</code>, value: (r) => r.orderId },
                  { key: 'id', header: 'Fill id', render: () => null, value: (r) => r.id, isHidden: true },
                ]}
              />
            </Card>
          )}
        </Async>
      )}
    </>
  );
}

/** Approved proposals the OMS has not executed yet (a fund on a live broker: the next `keel run` executes them). */
function Working() {
  const { base } = useSession();
  const approved = useApi<{ proposals: Proposal[] }>(`${base}/proposals?status=APPROVED`, ['proposal.reviewed', 'order.updated', 'cycle.completed']);
  if (approved.error !== null) return null;
  const rows = approved.data?.proposals ?? [];
  if (rows.length === 0) return null;
  return (
    <div style={{ marginBottom: 16 }}>
      <Card title="Approved, awaiting execution" extra={<a href="#/proposals">proposals →</a>}>
        <Table
          rows={rows}
          rowKey={(r) => r.id}
          testId="working-table"
          columns={[
            { key: 't', header: 'Approved', render: (r) => time(r.history.filter((h) => h.to === 'APPROVED').at(-1)?.at ?? r.createdAt) },
            { key: 'a', header: 'Agent', render: (r) => r.agentId },
            { key: 'n', header: 'Ticket', render: (r) => <b>{r.ticket ? `${r.ticket.side} ${num(r.ticket.qty, 0)} ${r.ticket.symbol}` : r.symbols.join(', ')}</b> },
            { key: 'sz', header: 'Size', num: true, render: (r) => num(r.size) },
            { key: 'lp', header: 'Limit', num: true, render: (r) => num(r.limitPrice) },
            { key: 's', header: 'Status', render: (r) => <StatusBadge status={r.status} /> },
            { key: 'by', header: 'By', render: (r) => r.history.filter((h) => h.to === 'APPROVED').at(-1)?.who ?? '' },
          ]}
        />
      </Card>
    </div>
  );
}

const created = (r: Order): string => r.createdAt;
const filled = (r: Order): number => r.tca?.filledQty ?? r.filledQty;
const agentsOf = (r: Order): string => r.allocations.map((a) => a.agentId).join(', ');

function Orders(p: { orders: Order[] }) {
  const withTca = p.orders.filter((o) => o.tca && o.tca.slippageBps !== null);
  const avgSlip = withTca.length ? withTca.reduce((s, o) => s + (o.tca?.slippageBps ?? 0), 0) / withTca.length : null;
  const commission = p.orders.reduce((s, o) => s + (o.tca?.commission ?? 0), 0);
  return (
    <>
      <Stats>
        <Stat label="Orders" value={p.orders.length} />
        <Stat label="Filled" value={p.orders.filter((o) => o.status === 'FILLED').length} />
        <Stat label="Avg slippage" value={avgSlip === null ? '—' : `${num(avgSlip, 1)} bps`} tone={avgSlip === null ? 'neutral' : avgSlip > 0 ? 'down' : 'up'} hint="positive = cost" />
        <Stat label="Commission" value={money(commission)} />
      </Stats>
      <Card title="Orders">
        <DataTable
          rows={p.orders}
          rowKey={(r) => r.id}
          exportName="orders"
          testId="orders-table"
          empty="No orders yet"
          columns={[
            { key: 'id', header: 'Order id', render: () => null, value: (r) => r.id, isHidden: true },
            { key: 't', header: 'Created', render: (r) => time(created(r)), value: created },
            { key: 'sym', header: 'Symbol', render: (r) => <b>{r.symbol}</b>, value: (r) => r.symbol },
            { key: 'side', header: 'Side', render: (r) => <span className={r.side === 'BUY' ? 'tone-up' : 'tone-down'}>{r.side}</span>, value: (r) => r.side },
            { key: 'qty', header: 'Qty', num: true, render: (r) => num(r.qty, 0), value: (r) => r.qty },
            { key: 'type', header: 'Type', render: (r) => r.type ?? '', value: (r) => r.type },
            { key: 'status', header: 'Status', render: (r) => <StatusBadge status={r.status} />, value: (r) => r.status },
            { key: 'filled', header: 'Filled', num: true, render: (r) => num(filled(r), 0), value: filled },
            { key: 'avg', header: 'Avg fill', num: true, render: (r) => num(r.tca?.avgFillPrice ?? null), value: (r) => r.tca?.avgFillPrice },
            { key: 'dec', header: 'Decision px', num: true, render: (r) => num(r.tca?.decisionPrice ?? null), value: (r) => r.tca?.decisionPrice },
            { key: 'slip', header: 'Slippage', label: 'Slippage (bps)', num: true, render: (r) => (r.tca?.slippageBps == null ? '—' : <span className={r.tca.slippageBps > 0 ? 'tone-down' : 'tone-up'}>{num(r.tca.slippageBps, 1)} bps</span>), value: (r) => r.tca?.slippageBps },
            { key: 'comm', header: 'Comm.', label: 'Commission', num: true, render: (r) => money(r.tca?.commission ?? null), value: (r) => r.tca?.commission },
            { key: 'src', header: 'Agents', render: (r) => <span className="muted">{agentsOf(r)}</span>, value: agentsOf },
          ]}
        />
      </Card>
    </>
  );
}
