import type { ReactNode } from 'react';
import type { Tone } from './tokens.ts';

/** One headline figure. */
export function Stat(p: { label: string; value: ReactNode; hint?: ReactNode; tone?: Tone }) {
  return (
    <div className="stat">
      <div className="label">{p.label}</div>
      <div className={`value tone-${p.tone ?? 'neutral'}`}>{p.value}</div>
      {p.hint !== undefined ? <div className="hint">{p.hint}</div> : null}
    </div>
  );
}

/** A responsive row of Stats. */
export function Stats(p: { children: ReactNode }) {
  return <div className="stats">{p.children}</div>;
}
