import { useSyncExternalStore } from 'react';

/** Hash routing (`#/risk`): works with any static file server, no server-side fallback needed. */
function current(): string {
  const h = window.location.hash.replace(/^#/, '');
  return h === '' ? '/' : h;
}

export function useRoute(): string {
  return useSyncExternalStore(
    (l) => {
      window.addEventListener('hashchange', l);
      return () => window.removeEventListener('hashchange', l);
    },
    current,
  );
}

/** One parameter of the route's query (`#/agents?backtest=bt-1` → `bt-1`), or null. */
export function useRouteParam(name: string): string | null {
  const route = useRoute();
  const qs = route.includes('?') ? route.slice(route.indexOf('?') + 1) : '';
  return new URLSearchParams(qs).get(name);
}

/**
 * Sets (or, with null, removes) one parameter of the current route's query, so the choice is in
 * the address: a link or a reload opens the same view. `replace` rewrites the history entry
 * instead of adding one (a default being written down, not a user's step).
 */
export function setRouteParam(name: string, value: string | null, opts: { replace?: boolean } = {}): void {
  const route = current();
  const i = route.indexOf('?');
  const path = i < 0 ? route : route.slice(0, i);
  const params = new URLSearchParams(i < 0 ? '' : route.slice(i + 1));
  if (value === null) params.delete(name);
  else params.set(name, value);
  const qs = params.toString();
  const next = `#${path}${qs ? `?${qs}` : ''}`;
  if (next === window.location.hash) return;
  if (opts.replace) {
    window.history.replaceState(window.history.state, '', next);
    // replaceState fires no hashchange; useRoute listens for one.
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else window.location.hash = next;
}

/** The route's path segments, decoded (`#/agents/momentum?backtest=bt-1` → `['agents', 'momentum']`). */
export function routeSegments(route: string): string[] {
  const path = route.split('?')[0] ?? '';
  return path.split('/').filter((s) => s !== '').map((s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  });
}

/** One path segment of the current route (`#/agents/momentum`: 1 → `momentum`), or null. */
export function useRouteSegment(i: number): string | null {
  return routeSegments(useRoute())[i] ?? null;
}

export function navigate(path: string): void {
  window.location.hash = path;
}
