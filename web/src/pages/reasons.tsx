import { useState } from 'react';
import type { Reason } from '../api/types.ts';
import { Badge, num } from '../design/index.ts';

/** Shown before "+N more": the rest open on a click, so every reason can be read. */
const FIRST = 4;

/** An overlay decision's reasons: the first four, and every one on demand (`more-reasons` toggles). */
export function Reasons(p: { reasons: readonly Reason[]; summary: string }) {
  const [isAll, setAll] = useState(false);
  if (p.reasons.length === 0) return <span className="muted">{p.summary || 'no constraint bound'}</span>;
  const shown = isAll ? p.reasons : p.reasons.slice(0, FIRST);
  return (
    <ul className="reasons" data-testid="reasons">
      {shown.map((x, i) => (
        <li key={i}>
          <Badge tone="neutral">{x.code}</Badge> {x.message}
          {x.limit !== null && x.actual !== null ? <span className="muted"> (actual {num(x.actual, 3)} vs limit {num(x.limit, 3)})</span> : null}
        </li>
      ))}
      {p.reasons.length > FIRST ? (
        <li>
          <button type="button" className="linkish" onClick={() => setAll(!isAll)} data-testid="more-reasons">
            {isAll ? 'show fewer' : `+${p.reasons.length - FIRST} more`}
          </button>
        </li>
      ) : null}
    </ul>
  );
}
