import type { ReactNode } from 'react';

export function Loading(p: { label?: string }) {
  return (
    <div className="state" role="status" aria-live="polite">
      <span className="spinner" />
      {p.label ?? 'Loading…'}
    </div>
  );
}

export function EmptyState(p: { title: string; children?: ReactNode }) {
  return (
    <div className="state" data-testid="empty-state">
      <div className="title">{p.title}</div>
      {p.children !== undefined ? <div>{p.children}</div> : null}
    </div>
  );
}

export function ErrorState(p: { error: unknown; onRetry?: () => void }) {
  const e = p.error as { code?: string; message?: string; status?: number } | null;
  const code = e?.code ?? 'ERROR';
  const message = e?.message ?? String(p.error);
  return (
    <div className="state state-error" role="alert" data-testid="error-state">
      <div className="title">
        {code === 'KEEL_E_NOT_AVAILABLE' ? 'Not available on this server' : 'Could not load'} <span className="muted">({code})</span>
      </div>
      <div>{message}</div>
      {p.onRetry ? (
        <button type="button" className="btn btn-sm" style={{ marginTop: 8 }} onClick={p.onRetry}>
          Retry
        </button>
      ) : null}
    </div>
  );
}
