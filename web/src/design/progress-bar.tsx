import type { ReactNode } from 'react';

/**
 * A limit utilisation bar: `utilisation` = |value| / limit (1 = at the limit). Green up to
 * `warnAt`, amber to 1, red beyond; the bar's track spans 0..max(1.25, utilisation) with a tick at 1.
 */
export function ProgressBar(p: { label?: ReactNode; utilisation: number | null; warnAt?: number; right?: ReactNode; status?: string; kind?: 'limit' | 'progress' }) {
  // null: the value was not a number (JSON has no NaN), which the monitor counts as a breach
  const u = p.utilisation !== null && Number.isFinite(p.utilisation) ? Math.max(0, p.utilisation) : Number.NaN;
  const span = p.kind === 'progress' ? 1 : Math.max(1.25, Number.isFinite(u) ? u : 1.25);
  const warnAt = p.warnAt ?? 0.8;
  const progress = p.kind === 'progress';
  const cls = progress ? 'accent' : p.status === 'BREACH' || !Number.isFinite(u) || u > 1 ? 'breach' : p.status === 'WARNING' || u > warnAt ? 'warning' : 'up';
  const width = Number.isFinite(u) ? (u / span) * 100 : 100;
  return (
    <div className={`pbar${p.label === undefined ? ' compact' : ''}`} role="meter" aria-valuenow={Number.isFinite(u) ? u : undefined} aria-valuemin={0} aria-valuemax={1}>
      {p.label !== undefined ? <div className="label" title={typeof p.label === 'string' ? p.label : undefined}>{p.label}</div> : null}
      <div className="track">
        <div className={`fill ${cls}`} style={{ width: `${Math.min(100, width)}%` }} />
        {progress ? null : <div className="tick" style={{ left: `${(1 / span) * 100}%` }} />}
      </div>
      <div className={`num tone-${cls === 'up' || cls === 'accent' ? 'neutral' : cls}`}>{p.right ?? (Number.isFinite(u) ? `${(u * 100).toFixed(0)}%` : 'n/a')}</div>
    </div>
  );
}
