/**
 * Defects found while importing, and what the importer did about each (docs/market-data.md
 * "Defects policy"):
 * - `BLANK_FIELD` — open/high/low/volume blank: repaired (open ← close; high/low ← max/min of the
 *   present prices; volume ← 0), row kept.
 * - `MISSING_CLOSE` — close blank: no price to keep, row skipped.
 * - `ZERO_VOLUME` — volume 0: kept as published (flagged again by the quality score).
 * - `OHLC_INCONSISTENT` — high/low do not bracket open/close: repaired (high ← max(o,h,l,c),
 *   low ← min(o,h,l,c)), row kept.
 * - `NON_POSITIVE_PRICE` — a price ≤ 0 or a negative volume: row skipped.
 * - `DUPLICATE` — a second row for the same symbol and date: the later row is skipped.
 * - `BLANK_VALUE` — a blank value in a series or factor file: that observation is skipped.
 * Malformed input (a date that is not YYYY-MM-DD, text in a number field, a missing or unknown
 * column) is not a defect but a wrong file: the importer throws ValidationError with line and column.
 */
export type ImportProblem =
  | 'BLANK_FIELD'
  | 'MISSING_CLOSE'
  | 'ZERO_VOLUME'
  | 'OHLC_INCONSISTENT'
  | 'NON_POSITIVE_PRICE'
  | 'DUPLICATE'
  | 'BLANK_VALUE';

export const IMPORT_PROBLEMS: readonly ImportProblem[] = [
  'BLANK_FIELD',
  'MISSING_CLOSE',
  'ZERO_VOLUME',
  'OHLC_INCONSISTENT',
  'NON_POSITIVE_PRICE',
  'DUPLICATE',
  'BLANK_VALUE',
];

export type ImportAction = 'repaired' | 'kept' | 'skipped';

/** One defect: where (line, 1-based, header = line 1), which row, what, and what was done. */
export interface ImportIssue {
  readonly line: number;
  readonly symbol: string;
  readonly date: string;
  readonly problem: ImportProblem;
  readonly action: ImportAction;
  /** E.g. the blank fields (`open,high`) or the original high/low. */
  readonly detail: string;
}

export interface ImportReport {
  readonly source: string;
  /** Data rows read (header and empty lines excluded). */
  rows: number;
  /** Rows turned into records (kept as is or repaired). */
  kept: number;
  skipped: number;
  repaired: number;
  readonly counts: Record<ImportProblem, number>;
  /** Blank fields by column name (a row with blank open and high counts once in each). */
  readonly blankFields: Record<string, number>;
  readonly issues: ImportIssue[];
}

export function emptyReport(source: string): ImportReport {
  const counts = Object.fromEntries(IMPORT_PROBLEMS.map((p) => [p, 0])) as Record<ImportProblem, number>;
  return { source, rows: 0, kept: 0, skipped: 0, repaired: 0, counts, blankFields: {}, issues: [] };
}

export function addIssue(report: ImportReport, issue: ImportIssue): void {
  report.counts[issue.problem]++;
  report.issues.push(issue);
}

/** A one-line summary, e.g. `619040 rows, 619040 kept (23 repaired), 0 skipped; BLANK_FIELD 11, …`. */
export function summariseReport(r: ImportReport): string {
  const problems = IMPORT_PROBLEMS.filter((p) => r.counts[p] > 0).map((p) => `${p} ${r.counts[p]}`);
  return `${r.rows} rows, ${r.kept} kept (${r.repaired} repaired), ${r.skipped} skipped${problems.length ? `; ${problems.join(', ')}` : ''}`;
}
