import { useApi, type Loaded } from './use-api.ts';
import type { Backtest, BacktestRow } from './types.ts';

/** The newest COMPLETED backtest of the fund (its results feed equity curves, correlations and attribution). */
export function useLatestBacktest(base: string): { list: Loaded<{ backtests: BacktestRow[] }>; detail: Loaded<{ backtest: Backtest }>; id: string | null } {
  const list = useApi<{ backtests: BacktestRow[] }>(`${base}/backtests`, ['backtest.progressed']);
  const done = (list.data?.backtests ?? []).filter((b) => b.status === 'COMPLETED').sort((a, b) => (b.finishedAt ?? b.createdAt).localeCompare(a.finishedAt ?? a.createdAt));
  const id = done[0]?.id ?? null;
  const detail = useApi<{ backtest: Backtest }>(id === null ? null : `${base}/backtests/${encodeURIComponent(id)}`);
  return { list, detail, id };
}
