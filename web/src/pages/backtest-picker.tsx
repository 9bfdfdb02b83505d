import { BACKTEST_PARAM, type ChosenBacktest } from '../api/chosen-backtest.ts';
import type { BacktestRow } from '../api/types.ts';
import { Async, EmptyState, time } from '../design/index.ts';
import { setRouteParam } from '../router.ts';

const label = (b: BacktestRow): string => `${b.params.from ?? '?'} → ${b.params.to ?? '?'} · ${b.params.agents ? b.params.agents.join(', ') : 'all agents'} · ran ${time(b.finishedAt ?? b.createdAt)}`;

/** Chooses the completed backtest a page reads; the choice goes into the address (`?backtest=<id>`). */
export function BacktestPicker(p: { bt: ChosenBacktest }) {
  const { completed, id } = p.bt;
  if (completed.length === 0) return null;
  const newest = completed[0]?.id;
  return (
    <label className="picker">
      <span>Backtest</span>
      <select aria-label="Backtest" data-testid="backtest-picker" value={id ?? ''} onChange={(e) => setRouteParam(BACKTEST_PARAM, e.target.value)}>
        {id === null ? <option value="">choose a backtest…</option> : null}
        {completed.map((b) => (
          <option key={b.id} value={b.id}>
            {label(b)}
            {b.id === newest ? ' (newest)' : ''}
          </option>
        ))}
      </select>
      {id !== null && newest !== undefined && id !== newest ? (
        <button type="button" className="linkish" data-testid="backtest-newest" onClick={() => setRouteParam(BACKTEST_PARAM, newest)}>
          a newer run completed: show it
        </button>
      ) : null}
    </label>
  );
}

/** What stands in for a backtest's views until there is one to show: loading, none completed, or an address naming an unknown one. */
export function BacktestPending(p: { bt: ChosenBacktest }) {
  const { bt } = p;
  if (bt.isUnknown)
    return (
      <EmptyState title="Not a completed backtest of this fund">
        <span data-testid="backtest-unknown">The address names a backtest this fund has not completed; choose one above.</span>
      </EmptyState>
    );
  if (bt.list.data !== null && bt.completed.length === 0)
    return (
      <EmptyState title="No completed backtest">
        Run one on the <a href="#/backtests">Backtests</a> page.
      </EmptyState>
    );
  return bt.list.error !== null || bt.list.loading ? <Async loaded={bt.list}>{() => null}</Async> : <Async loaded={bt.detail}>{() => null}</Async>;
}
