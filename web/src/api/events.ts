import { useEffect, useRef, useSyncExternalStore } from 'react';

/**
 * Live updates: one shared EventSource on `/v1/events` for the app. Components subscribe to
 * topics; when the stream is down (no EventSource, or it keeps failing) every subscriber is
 * called on a polling timer instead.
 */
type Handler = (topic: string, data: unknown) => void;

export const TOPICS = ['cycle.completed', 'proposal.reviewed', 'order.updated', 'fill.recorded', 'alert.raised', 'alert.acknowledged', 'trading-state.changed', 'backtest.progressed'] as const;
const POLL_MS = 15_000;

const handlers = new Set<Handler>();
const statusListeners = new Set<() => void>();
let source: EventSource | null = null;
let mode: 'off' | 'sse' | 'polling' = 'off';
let pollTimer: ReturnType<typeof setInterval> | null = null;
let failures = 0;

function setMode(m: typeof mode): void {
  mode = m;
  for (const l of statusListeners) l();
}

function startPolling(): void {
  if (pollTimer !== null) return;
  setMode('polling');
  pollTimer = setInterval(() => {
    for (const h of handlers) h('poll', null);
  }, POLL_MS);
}

function stopPolling(): void {
  if (pollTimer !== null) clearInterval(pollTimer);
  pollTimer = null;
}

/** Opens the stream for `fundId` (closes any previous one). */
export function connectEvents(fundId: string | null): void {
  disconnectEvents();
  if (fundId === null) return;
  if (typeof EventSource === 'undefined') {
    startPolling();
    return;
  }
  const es = new EventSource(`/v1/events?fundId=${encodeURIComponent(fundId)}`, { withCredentials: true });
  source = es;
  es.onopen = () => {
    failures = 0;
    stopPolling();
    setMode('sse');
  };
  es.onerror = () => {
    failures += 1;
    // The browser retries by itself; after a few failures (or a closed stream) fall back to polling.
    if (es.readyState === EventSource.CLOSED || failures >= 3) {
      es.close();
      if (source === es) source = null;
      startPolling();
    }
  };
  for (const t of TOPICS) {
    es.addEventListener(t, (ev) => {
      let data: unknown;
      try {
        data = JSON.parse((ev as MessageEvent<string>).data) as unknown;
      } catch {
        data = null;
      }
      for (const h of handlers) h(t, data);
    });
  }
}

export function disconnectEvents(): void {
  source?.close();
  source = null;
  stopPolling();
  failures = 0;
  setMode('off');
}

/** Calls `onEvent` when one of `topics` arrives (or on every poll when polling). */
export function useLive(topics: readonly string[], onEvent: (topic: string, data: unknown) => void): void {
  const cb = useRef(onEvent);
  cb.current = onEvent;
  const key = topics.join(',');
  useEffect(() => {
    if (key === '') return;
    const wanted = new Set(key.split(','));
    const h: Handler = (t, d) => {
      if (t === 'poll' || wanted.has(t)) cb.current(t, d);
    };
    handlers.add(h);
    return () => {
      handlers.delete(h);
    };
  }, [key]);
}

/** 'sse' | 'polling' | 'off', re-rendering when it changes. */
export function useLiveMode(): typeof mode {
  return useSyncExternalStore(
    (l) => {
      statusListeners.add(l);
      return () => statusListeners.delete(l);
    },
    () => mode,
  );
}
