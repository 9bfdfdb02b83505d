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

export function navigate(path: string): void {
  window.location.hash = path;
}
