import { useMemo, useState } from 'react';
import { EmptyState } from './states.tsx';
import { Table, type Column } from './table.tsx';
import { nextSort, pageOf, searchRows, sortRows, toCsv, type Sort, type ValueColumn } from './table-model.ts';

/** Up to this many rows are read at a glance: no search box. */
const SEARCH_FROM = 10;

/**
 * The dashboard's table for lists a user works through (positions, orders, decisions, journal,
 * backtests): sort by a column's header, search every column's value (from 11 rows), page, and export the
 * searched and sorted rows (all pages) as CSV. Columns take part through their `value`.
 */
export function DataTable<T>(p: {
  columns: readonly Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string;
  /** The CSV file's name, without the date and extension ("orders" → orders-2026-11-21.csv). */
  exportName: string;
  empty?: string;
  testId?: string;
  selected?: string | null;
  onRowClick?: (row: T) => void;
  initialSort?: Sort;
  pageSize?: number;
}) {
  const [q, setQ] = useState('');
  const [sort, setSort] = useState<Sort | null>(p.initialSort ?? null);
  const [page, setPage] = useState(0);
  const size = p.pageSize ?? 25;
  const valued = useMemo(
    () => p.columns.flatMap((c): ValueColumn<T>[] => (c.value === undefined ? [] : [{ key: c.key, label: c.label ?? (typeof c.header === 'string' ? c.header : c.key), value: c.value }])),
    [p.columns],
  );
  const found = useMemo(() => sortRows(searchRows(p.rows, valued, q), valued, sort), [p.rows, valued, q, sort]);
  if (p.rows.length === 0) return <EmptyState title={p.empty ?? 'Nothing to show'} />;
  const shown = pageOf(found, page, size);
  const testId = p.testId ?? p.exportName;
  const exportCsv = () => download(`${p.exportName}-${new Date().toISOString().slice(0, 10)}.csv`, toCsv(found, valued));
  return (
    <div className="dtable" data-testid={`${testId}-box`}>
      <div className="dtable-tools">
        {p.rows.length > SEARCH_FROM ? (
          <input
            type="search"
            aria-label="Search the table"
            placeholder="Search…"
            value={q}
            data-testid={`${testId}-search`}
            onChange={(e) => {
              setQ(e.target.value);
              setPage(0);
            }}
          />
        ) : null}
        <span className="muted" data-testid={`${testId}-count`}>
          {found.length === p.rows.length ? `${p.rows.length} rows` : `${found.length} of ${p.rows.length} rows`}
        </span>
        <button type="button" className="btn btn-sm" data-testid={`${testId}-csv`} disabled={found.length === 0} onClick={exportCsv}>
          Export CSV
        </button>
      </div>
      {found.length === 0 ? (
        <EmptyState title={`No rows match “${q.trim()}”`} />
      ) : (
        <Table
          columns={p.columns}
          rows={shown.rows}
          rowKey={p.rowKey}
          testId={testId}
          selected={p.selected}
          onRowClick={p.onRowClick}
          sort={sort}
          onSort={(key) => {
            setSort(nextSort(sort, key, p.columns.find((c) => c.key === key)?.num === true));
            setPage(0);
          }}
        />
      )}
      {shown.pages > 1 ? (
        <div className="dtable-pager" data-testid={`${testId}-pager`}>
          <button type="button" className="btn btn-sm" disabled={shown.page === 0} onClick={() => setPage(shown.page - 1)}>
            ← Prev
          </button>
          <span className="muted">
            page {shown.page + 1} of {shown.pages}
          </span>
          <button type="button" className="btn btn-sm" disabled={shown.page === shown.pages - 1} onClick={() => setPage(shown.page + 1)}>
            Next →
          </button>
        </div>
      ) : null}
    </div>
  );
}

/** Saves text as a file; the byte-order mark makes spreadsheets read it as UTF-8. */
function download(name: string, csv: string): void {
  const url = URL.createObjectURL(new Blob(['\uFEFF', csv], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
