import { useState } from 'react';
import { post, query } from '../api/client.ts';
import { useApi } from '../api/use-api.ts';
import type { JournalEntry } from '../api/types.ts';
import { Async, Badge, Button, Card, ConfirmDialog, DataTable, PageHead, time } from '../design/index.ts';
import { can, useSession } from '../session.ts';

const KINDS = ['', 'APPROVAL', 'REJECTION', 'MODIFICATION', 'EXECUTION', 'EXPIRY', 'OVERRIDE', 'KILL_SWITCH_TRIP', 'REARM', 'NOTE', 'RECONCILIATION', 'OVERLAY_DECISION'];
/** Who made an entry: people, or the system (role `system`: the overlay's blocks and cuts, executions, expiries, stop exits, reconciliations). */
const ACTORS = [
  { value: '', label: 'anyone' },
  { value: 'human', label: 'people' },
  { value: 'system', label: 'the system' },
] as const;

/** Search the decision journal (full text and filters); add a note. */
export function JournalPage() {
  const { base, user } = useSession();
  const [form, setForm] = useState({ text: '', agentId: '', symbol: '', kind: '', actor: '', from: '', to: '' });
  const [applied, setApplied] = useState(form);
  const [adding, setAdding] = useState(false);
  const list = useApi<{ entries: JournalEntry[] }>(`${base}/journal${query({ ...applied, symbol: applied.symbol.toUpperCase(), limit: 200 })}`, ['proposal.reviewed', 'trading-state.changed', 'cycle.completed']);
  const field = (k: keyof typeof form, label: string, type = 'text') => (
    <label className="field">
      {label}
      <input name={k} type={type} value={form[k]} onChange={(e) => setForm({ ...form, [k]: e.target.value })} />
    </label>
  );
  return (
    <>
      <PageHead title="Decision Journal" sub="Every decision with who, why and links — searchable">
        {can(user, 'note') ? (
          <Button variant="primary" onClick={() => setAdding(true)}>
            Add note…
          </Button>
        ) : null}
      </PageHead>
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setApplied(form);
        }}
      >
        {field('text', 'Search text')}
        {field('agentId', 'Agent')}
        {field('symbol', 'Symbol')}
        <label className="field">
          Kind
          <select name="kind" value={form.kind} onChange={(e) => setForm({ ...form, kind: e.target.value })}>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {k === '' ? 'any' : k}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          Made by
          <select name="actor" data-testid="journal-actor" value={form.actor} onChange={(e) => setForm({ ...form, actor: e.target.value })}>
            {ACTORS.map((a) => (
              <option key={a.value} value={a.value}>
                {a.label}
              </option>
            ))}
          </select>
        </label>
        {field('from', 'From', 'date')}
        {field('to', 'To', 'date')}
        <Button type="submit" variant="primary" data-testid="journal-search">
          Search
        </Button>
      </form>
      <Card>
        <Async loaded={list}>
          {(d) => (
            <DataTable
              rows={d.entries}
              rowKey={(r) => r.id}
              exportName="journal"
              testId="journal-table"
              empty="No journal entries match"
              columns={[
                { key: 'id', header: 'Entry id', render: () => null, value: (r) => r.id, isHidden: true },
                { key: 't', header: 'Time', render: (r) => time(r.timestamp), nowrap: true, value: (r) => r.timestamp },
                { key: 'k', header: 'Kind', render: (r) => <Badge tone={r.kind.includes('KILL') ? 'breach' : r.kind === 'OVERLAY_DECISION' ? 'warning' : r.kind === 'NOTE' ? 'neutral' : 'accent'}>{r.kind}</Badge>, width: 120, value: (r) => r.kind },
                { key: 'w', header: 'Who', render: (r) => (r.role === 'system' ? <span title="made by the system">⚙ {r.who}</span> : `${r.who} (${r.role})`), nowrap: true, value: (r) => r.who },
                { key: 'role', header: 'Role', render: () => null, value: (r) => r.role, isHidden: true },
                { key: 'a', header: 'Agent', render: (r) => r.agentId ?? '', width: 110, value: (r) => r.agentId },
                { key: 's', header: 'Names', render: (r) => r.symbols.join(', '), width: 120, value: (r) => r.symbols.join(' ') },
                { key: 'r', header: 'Rationale', render: (r) => r.rationale, value: (r) => r.rationale },
              ]}
            />
          )}
        </Async>
      </Card>
      {adding ? (
        <ConfirmDialog
          title="Add a journal note"
          confirmLabel="Add note"
          reasonLabel="Note"
          onConfirm={async (rationale) => {
            await post(`${base}/journal`, { rationale });
            setAdding(false);
            list.reload();
          }}
          onCancel={() => setAdding(false)}
        />
      ) : null}
    </>
  );
}
