import { useEffect } from 'react';
import { setRouteParam, useRouteParam } from '../router.ts';
import { useApi, type Loaded } from './use-api.ts';
import type { Backtest, BacktestRow } from './types.ts';

/** The route parameter naming the backtest a page reads (`#/agents?backtest=<id>`). */
export const BACKTEST_PARAM = 'backtest';

export interface ChosenBacktest {
  readonly list: Loaded<{ backtests: BacktestRow[] }>;
  /** The fund's COMPLETED backtests, newest first. */
  readonly completed: readonly BacktestRow[];
  /** The backtest named in the address; null until the list has loaded, or when there is none. */
  readonly id: string | null;
  /** The address names a backtest that is not among the completed ones. */
  readonly isUnknown: boolean;
  readonly detail: Loaded<{ backtest: Backtest }>;
  /** The chosen backtest once loaded (never a previous choice's). */
  readonly backtest: Backtest | null;
}

const finished = (b: BacktestRow): string => b.finishedAt ?? b.createdAt;

/**
 * The completed backtest a page's curves and contributions come from, chosen explicitly: the one
 * named in the address. With none named, the newest completed one is written into the address, so
 * the page does not change under the reader when a newer backtest completes; picking another
 * rewrites the address (a link or a reload shows the same run).
 */
export function useChosenBacktest(base: string): ChosenBacktest {
  const list = useApi<{ backtests: BacktestRow[] }>(`${base}/backtests`, ['backtest.progressed']);
  const named = useRouteParam(BACKTEST_PARAM);
  const completed = (list.data?.backtests ?? []).filter((b) => b.status === 'COMPLETED').sort((a, b) => finished(b).localeCompare(finished(a)));
  const newest = completed[0]?.id ?? null;
  useEffect(() => {
    if (named === null && newest !== null) setRouteParam(BACKTEST_PARAM, newest, { replace: true });
  }, [named, newest]);
  const isUnknown = named !== null && list.data !== null && !completed.some((b) => b.id === named);
  const id = isUnknown ? null : named;
  const detail = useApi<{ backtest: Backtest }>(id === null ? null : `${base}/backtests/${encodeURIComponent(id)}`);
  const backtest = id !== null && detail.data?.backtest.id === id ? detail.data.backtest : null;
  return { list, completed, id, isUnknown, detail, backtest };
}
