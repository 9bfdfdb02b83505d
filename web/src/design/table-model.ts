/** The pure part of DataTable: search, sort, page and CSV over rows and their columns' raw values. */

/** A cell's raw value: what sorts, what the search matches and what the CSV holds (not the formatted text). */
export type CellValue = string | number | boolean | null | undefined;

export interface ValueColumn<T> {
  readonly key: string;
  readonly label: string;
  readonly value: (row: T) => CellValue;
}

export type SortDir = 'asc' | 'desc';
export interface Sort {
  readonly key: string;
  readonly dir: SortDir;
}

const isBlank = (v: CellValue): v is null | undefined => v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v)) || v === '';

/** Rows with any column's value containing `q` (case-insensitive); all rows for a blank query. */
export function searchRows<T>(rows: readonly T[], columns: readonly ValueColumn<T>[], q: string): T[] {
  const needle = q.trim().toLowerCase();
  if (needle === '') return [...rows];
  return rows.filter((r) => columns.some((c) => {
    const v = c.value(r);
    return !isBlank(v) && String(v).toLowerCase().includes(needle);
  }));
}

/** Compares two values: numbers by value, text naturally ("SYN2" before "SYN10"); blanks always last, whatever the direction. */
function compare(a: CellValue, b: CellValue, dir: SortDir): number {
  const ba = isBlank(a);
  const bb = isBlank(b);
  if (ba || bb) return ba === bb ? 0 : ba ? 1 : -1;
  const s = dir === 'asc' ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return s * (a - b);
  return s * String(a).localeCompare(String(b), 'en', { numeric: true, sensitivity: 'base' });
}

/** A stable sort by one column; rows keep their given order when no column is chosen or values tie. */
export function sortRows<T>(rows: readonly T[], columns: readonly ValueColumn<T>[], sort: Sort | null): T[] {
  const col = sort === null ? undefined : columns.find((c) => c.key === sort.key);
  if (sort === null || col === undefined) return [...rows];
  return rows
    .map((row, i) => ({ row, i, v: col.value(row) }))
    .sort((x, y) => compare(x.v, y.v, sort.dir) || x.i - y.i)
    .map((x) => x.row);
}

/** The next sort when a header is clicked: ascending first (descending first for numbers), then the other way. */
export function nextSort(current: Sort | null, key: string, isNumeric: boolean): Sort {
  if (current?.key === key) return { key, dir: current.dir === 'asc' ? 'desc' : 'asc' };
  return { key, dir: isNumeric ? 'desc' : 'asc' };
}

/** Page `page` (0-based, clamped) of `size` rows, and the page count (at least 1). */
export function pageOf<T>(rows: readonly T[], page: number, size: number): { rows: T[]; page: number; pages: number } {
  const pages = Math.max(1, Math.ceil(rows.length / size));
  const p = Math.min(Math.max(0, page), pages - 1);
  return { rows: rows.slice(p * size, (p + 1) * size), page: p, pages };
}

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote or line break. Text starting with
 * = + - @ or a tab is prefixed with ' so a spreadsheet does not run it as a formula; numbers are
 * written as they are (full precision, a minus sign intact).
 */
export function csvField(v: CellValue): string {
  if (isBlank(v)) return '';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  const s = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The rows as CSV text: a header line of the columns' labels, then one line per row, CRLF line ends. */
export function toCsv<T>(rows: readonly T[], columns: readonly ValueColumn<T>[]): string {
  const lines = [columns.map((c) => csvField(c.label)).join(','), ...rows.map((r) => columns.map((c) => csvField(c.value(r))).join(','))];
  return lines.join('\r\n') + '\r\n';
}
