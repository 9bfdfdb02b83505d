import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from './client.ts';
import { useLive } from './events.ts';

export interface Loaded<T> {
  readonly data: T | null;
  readonly error: unknown;
  readonly loading: boolean;
  readonly reload: () => void;
}

/**
 * GETs `path` (null = skip) and keeps the last good answer while reloading. `topics`: live event
 * topics that trigger a silent reload (SSE, or polling every `pollMs` when SSE is unavailable).
 */
export function useApi<T>(path: string | null, topics: readonly string[] = []): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(path !== null);
  const [tick, setTick] = useState(0);
  const last = useRef<string | null>(null);
  useEffect(() => {
    if (path === null) {
      setLoading(false);
      return;
    }
    const ctl = new AbortController();
    if (last.current !== path) {
      setData(null);
      last.current = path;
    }
    setLoading(true);
    api<T>(path, { signal: ctl.signal })
      .then((d) => {
        setData(d);
        setError(null);
        setLoading(false);
      })
      .catch((e: unknown) => {
        if (e instanceof DOMException && e.name === 'AbortError') return;
        setError(e);
        setLoading(false);
      });
    return () => ctl.abort();
  }, [path, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  useLive(topics, reload);
  return { data, error, loading, reload };
}
