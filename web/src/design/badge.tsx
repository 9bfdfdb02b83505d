import type { ReactNode } from 'react';
import type { Tone } from './tokens.ts';

export function Badge(p: { tone?: Tone; children: ReactNode; title?: string }) {
  return (
    <span className={`badge badge-${p.tone ?? 'neutral'}`} title={p.title}>
      {p.children}
    </span>
  );
}

const STATUS_TONE: Record<string, Tone> = {
  ACTIVE: 'up', APPROVE: 'up', APPROVED: 'up', EXECUTED: 'up', FILLED: 'up', COMPLETED: 'up', OK: 'up', normal: 'up',
  REDUCING: 'warning', SCALE: 'warning', MODIFY: 'warning', MODIFIED: 'warning', PENDING_APPROVAL: 'accent', PARTIALLY_FILLED: 'accent',
  QUEUED: 'neutral', RUNNING: 'accent', WARNING: 'warning', PENDING: 'accent', SUBMITTED: 'accent', ACKNOWLEDGED: 'accent',
  HALTED: 'breach', BLOCK: 'breach', BREACH: 'breach', REJECTED: 'down', FAILED: 'down', CANCELLED: 'neutral', EXPIRED: 'neutral', NOT_EXECUTED: 'warning',
  paused: 'breach', reduced: 'warning', warning: 'warning', halted: 'breach', stopped: 'breach',
};

/** A badge coloured by a known status word (trading state, proposal/order status, overlay action…). */
export function StatusBadge(p: { status: string | null | undefined }) {
  const s = p.status ?? '—';
  return <Badge tone={STATUS_TONE[s] ?? 'neutral'}>{s.replace(/_/g, ' ')}</Badge>;
}
