import type { ReactNode } from 'react';
import type { Loaded } from '../api/use-api.ts';
import { ErrorState, Loading } from './states.tsx';

/** Renders loading / error states around a loaded value; keeps showing the last data while reloading. */
export function Async<T>(p: { loaded: Loaded<T>; children: (data: T) => ReactNode; label?: string }) {
  const { data, error, loading, reload } = p.loaded;
  if (data !== null) return <>{p.children(data)}</>;
  if (error !== null) return <ErrorState error={error} onRetry={reload} />;
  if (loading) return <Loading {...(p.label !== undefined ? { label: p.label } : {})} />;
  return null;
}
