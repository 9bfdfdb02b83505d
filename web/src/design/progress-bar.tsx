import type { ReactNode } from 'react';

/**
 * A limit utilisation bar: `utilisation` = |value| / limit (1 = at the limit). Green up to
 * `warnAt`, amber to 1, red beyond; the bar's track spans 0..max(1.25, utilisation) with a tick at 1.
 */
export function ProgressBar(p: { label: ReactNode; utilisation: number; warnAt?: number; right?: ReactNode; status?: string }) {
  const u = Number.isFinite(p.utilisation) ? Math.max(0, p.utilisation) : Number.NaN;
  const span = Math.max(1.25, Number.isFinite(u) ? u : 1.25);
  const warnAt = p.warnAt ?? 0.8;
  const cls = p.status === 'BREACH' || !Number.isFinite(u) || u > 1 ? 'breach' : p.status === 'WARNING' || u > warnAt ? 'warning' : 'up';
  const width = Number.isFinite(u) ? (u / span) * 100 : 100;
  return (
    <div className="pbar" role="meter" aria-valuenow={Number.isFinite(u) ? u : undefined} aria-valuemin={0} aria-valuemax={1}>
      <div className="label" title={typeof p.label === 'string' ? p.label : undefined}>{p.label}</div>
      <div className="track">
        <div className={`fill ${cls}`} style={{ width: `${Math.min(100, width)}%` }} />
        <div className="tick" style={{ left: `${(1 / span) * 100}%` }} />
      </div>
      <div className={`num tone-${cls === 'up' ? 'neutral' : cls}`}>{p.right ?? (Number.isFinite(u) ? `${(u * 100).toFixed(0)}%` : 'n/a')}</div>
    </div>
  );
}
