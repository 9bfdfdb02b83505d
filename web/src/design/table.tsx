import type { ReactNode } from 'react';
import { EmptyState } from './states.tsx';

export interface Column<T> {
  readonly key: string;
  readonly header: ReactNode;
  readonly render: (row: T) => ReactNode;
  /** Right-aligned tabular numbers. */
  readonly num?: boolean;
  readonly width?: number;
  /** Keep the cell on one line. */
  readonly nowrap?: boolean;
}

/** A data table; shows an EmptyState when there are no rows. */
export function Table<T>(p: { columns: readonly Column<T>[]; rows: readonly T[]; rowKey: (row: T) => string; empty?: string; testId?: string; selected?: string | null; onRowClick?: (row: T) => void }) {
  if (p.rows.length === 0) return <EmptyState title={p.empty ?? 'Nothing to show'} />;
  return (
    <div className="table-wrap">
      <table className="t" data-testid={p.testId}>
        <thead>
          <tr>
            {p.columns.map((c) => (
              <th key={c.key} className={c.num ? 'num' : undefined} style={c.width ? { width: c.width } : undefined}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {p.rows.map((r) => {
            const k = p.rowKey(r);
            return (
              <tr key={k} className={p.selected === k ? 'selected' : undefined} onClick={p.onRowClick ? () => p.onRowClick?.(r) : undefined} style={p.onRowClick ? { cursor: 'pointer' } : undefined}>
                {p.columns.map((c) => (
                  <td key={c.key} className={[c.num ? 'num' : '', c.nowrap ? 'nowrap' : ''].join(' ').trim() || undefined}>
                    {c.render(r)}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
