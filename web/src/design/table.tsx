import type { ReactNode } from 'react';
import { EmptyState } from './states.tsx';
import type { CellValue, Sort } from './table-model.ts';

export interface Column<T> {
  readonly key: string;
  readonly header: ReactNode;
  readonly render: (row: T) => ReactNode;
  /** The raw value (a number, an ISO time, a symbol…): with it the column sorts, is searched and is exported to CSV. */
  readonly value?: (row: T) => CellValue;
  /** The CSV header when `header` is not plain text. */
  readonly label?: string;
  /** Exported to CSV but not shown (an id, a full-precision number). */
  readonly isHidden?: boolean;
  /** Right-aligned tabular numbers. */
  readonly num?: boolean;
  readonly width?: number;
  /** Keep the cell on one line. */
  readonly nowrap?: boolean;
}

const ARIA_SORT = { asc: 'ascending', desc: 'descending' } as const;

/** A data table; shows an EmptyState when there are no rows. With `onSort`, columns that have a `value` sort from their header. */
export function Table<T>(p: {
  columns: readonly Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string;
  empty?: string;
  testId?: string;
  selected?: string | null;
  onRowClick?: (row: T) => void;
  sort?: Sort | null;
  onSort?: (key: string) => void;
  /** Up to 900 px wide, each row as a block of labelled lines (for long free text, which in columns wraps a few words a line). */
  isStackedOnPhone?: boolean;
}) {
  if (p.rows.length === 0) return <EmptyState title={p.empty ?? 'Nothing to show'} />;
  const shown = p.columns.filter((c) => !c.isHidden);
  return (
    <div className="table-wrap">
      <table className={p.isStackedOnPhone ? 't t-stack' : 't'} data-testid={p.testId}>
        <thead>
          <tr>
            {shown.map((c) => {
              const dir = p.sort?.key === c.key ? p.sort.dir : null;
              const sortable = p.onSort !== undefined && c.value !== undefined;
              return (
                <th key={c.key} className={c.num ? 'num' : undefined} style={c.width ? { width: c.width } : undefined} aria-sort={dir ? ARIA_SORT[dir] : sortable ? 'none' : undefined}>
                  {sortable ? (
                    <button type="button" className="th-sort" data-testid={`sort-${c.key}`} onClick={() => p.onSort?.(c.key)}>
                      {c.header}
                      <span className="th-arrow" aria-hidden="true">
                        {dir === 'asc' ? '▲' : dir === 'desc' ? '▼' : '↕'}
                      </span>
                    </button>
                  ) : (
                    c.header
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {p.rows.map((r) => {
            const k = p.rowKey(r);
            return (
              <tr key={k} className={p.selected === k ? 'selected' : undefined} onClick={p.onRowClick ? () => p.onRowClick?.(r) : undefined} style={p.onRowClick ? { cursor: 'pointer' } : undefined}>
                {shown.map((c) => (
                  <td key={c.key} className={[c.num ? 'num' : '', c.nowrap ? 'nowrap' : ''].join(' ').trim() || undefined} data-label={p.isStackedOnPhone ? (c.label ?? (typeof c.header === 'string' ? c.header : undefined)) : undefined}>
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
