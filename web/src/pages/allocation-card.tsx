import { useApi } from '../api/use-api.ts';
import type { AllocationRow } from '../api/types.ts';
import { Async, Card, EmptyState, Stat, Stats, Table, money, num, pct } from '../design/index.ts';

const LIVE = ['cycle.completed'];
/** Reallocations listed under the latest one. */
const HISTORY = 12;

type AgentRow = AllocationRow['agents'][number];

/** Dollars moved between the agents by one allocation: half the sum of the changes (a dollar given is a dollar taken). */
function movedDollars(a: Pick<AllocationRow, 'agents'>): number {
  return a.agents.reduce((s, x) => s + Math.abs(x.to - x.from), 0) / 2;
}

/**
 * The overlay's capital allocation across the agents (GET /allocation): the latest reallocation,
 * each agent's capital before and after, its target, its share of the fund's ex-ante risk, vol,
 * shrunk Sharpe and why; then the reallocations before it.
 */
export function AllocationCard({ base }: { base: string }) {
  const alloc = useApi<{ allocations: AllocationRow[] }>(`${base}/allocation?limit=${HISTORY}`, LIVE);
  return (
    <Card title="Capital allocation" extra="capital by risk across the agents: each cycle that moved it (allocation.* in the config)" testId="allocation-card">
      <Async loaded={alloc}>
        {({ allocations }) => {
          const last = allocations[allocations.length - 1];
          if (!last) {
            return (
              <EmptyState title="No reallocation yet">
                No cycle of this fund has moved capital between the agents. A cycle reallocates on the allocation.rebalance schedule once the agents have allocation.minHistoryDays of record, and at once when an agent cannot trade the market. A backtest's reallocations are in its results: each agent's capital over the run on the Agents page (a fund started from a backtest, as the demo's, holds the capital the backtest left each book: its NAV there).
              </EmptyState>
            );
          }
          return (
            <>
              <Stats>
                <Stat label="As of" value={last.asOf} hint={last.rebalanced ? 'scheduled rebalance' : 'an unready agent’s capital to the others'} />
                <Stat label="Method" value={last.method} />
                <Stat label="Fund ex-ante vol" value={last.exAnteVol !== null && last.exAnteVol > 0 ? pct(last.exAnteVol, 1) : '—'} hint="at the new capital" />
                <Stat label="Moved" value={money(movedDollars(last), true)} hint={last.tilt > 0 ? `tilt ${num(last.tilt, 2)} towards volatile books` : undefined} />
              </Stats>
              <Table<AgentRow>
                rows={last.agents}
                rowKey={(a) => a.agentId}
                testId="allocation-agents"
                isStackedOnPhone
                columns={[
                  { key: 'agent', header: 'Agent', render: (a) => a.agentId },
                  { key: 'from', header: 'Before', num: true, render: (a) => money(a.from, true) },
                  { key: 'to', header: 'After', num: true, render: (a) => money(a.to, true) },
                  { key: 'change', header: 'Change', num: true, render: (a) => money(a.to - a.from, true) },
                  { key: 'target', header: 'Target', num: true, render: (a) => money(a.target, true) },
                  { key: 'risk', header: 'Risk share', num: true, render: (a) => pct(a.riskShare, 1) },
                  { key: 'vol', header: 'Vol', num: true, render: (a) => pct(a.vol, 1) },
                  { key: 'sharpe', header: 'Sharpe (shrunk)', num: true, render: (a) => num(a.sharpe, 2) },
                  { key: 'why', header: 'Why', render: (a) => a.why },
                ]}
              />
              {allocations.length > 1 ? (
                <Table<AllocationRow>
                  rows={[...allocations].reverse()}
                  rowKey={(a) => `${a.cycleId ?? ''}/${a.asOf}`}
                  testId="allocation-history"
                  columns={[
                    { key: 'asOf', header: 'As of', render: (a) => a.asOf },
                    { key: 'kind', header: 'Kind', render: (a) => (a.rebalanced ? 'rebalance' : 'readiness') },
                    { key: 'vol', header: 'Fund ex-ante vol', num: true, render: (a) => (a.exAnteVol !== null && a.exAnteVol > 0 ? pct(a.exAnteVol, 1) : '—') },
                    { key: 'moved', header: 'Moved', num: true, render: (a) => money(movedDollars(a), true) },
                  ]}
                />
              ) : null}
            </>
          );
        }}
      </Async>
    </Card>
  );
}
