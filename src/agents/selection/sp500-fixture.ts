/**
 * Test and benchmark fixture (not library code, not exported): the real S&P 500 data set
 * (../shared/data/sp500_5yr_daily.csv.gz, 505 names × 1259 days) as a T×U close matrix,
 * parsed with node:zlib and a plain comma split. NaN where a name has no bar.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';

export const SHARED_DATA_DIR = path.resolve(process.cwd(), '../shared/data');
export const SP500_FILE = path.join(SHARED_DATA_DIR, 'sp500_5yr_daily.csv.gz');

export interface CloseMatrix {
  readonly dates: string[];
  readonly symbols: string[];
  readonly T: number;
  readonly U: number;
  /** close[t * U + u] */
  readonly close: Float64Array;
}

export function hasSp500(): boolean {
  return existsSync(SP500_FILE);
}

export function loadSp500Closes(file = SP500_FILE): CloseMatrix {
  const text = gunzipSync(readFileSync(file)).toString('utf8');
  const lines = text.split('\n');
  const header = (lines[0] ?? '').split(',');
  const iDate = header.indexOf('date');
  const iClose = header.indexOf('close');
  const iName = header.indexOf('Name');
  const dateSet = new Set<string>();
  const symSet = new Set<string>();
  const rows: [string, string, number][] = [];
  for (let k = 1; k < lines.length; k++) {
    const line = lines[k];
    if (!line) continue;
    const f = line.split(',');
    const d = f[iDate] ?? '';
    const s = (f[iName] ?? '').trim();
    const c = Number.parseFloat(f[iClose] ?? '');
    if (!d || !s) continue;
    dateSet.add(d);
    symSet.add(s);
    rows.push([d, s, c]);
  }
  const dates = [...dateSet].sort();
  const symbols = [...symSet].sort();
  const ti = new Map(dates.map((d, i) => [d, i]));
  const ui = new Map(symbols.map((s, i) => [s, i]));
  const U = symbols.length;
  const close = new Float64Array(dates.length * U).fill(Number.NaN);
  for (const [d, s, c] of rows) close[(ti.get(d) ?? 0) * U + (ui.get(s) ?? 0)] = Number.isFinite(c) && c > 0 ? c : Number.NaN;
  return { dates, symbols, T: dates.length, U, close };
}

/** Simple returns T×U (row 0 NaN), row-major by time, for `returnsBlock`. */
export function returnsOf(m: CloseMatrix): Float64Array {
  const r = new Float64Array(m.T * m.U).fill(Number.NaN);
  for (let t = 1; t < m.T; t++) {
    for (let u = 0; u < m.U; u++) r[t * m.U + u] = (m.close[t * m.U + u] ?? Number.NaN) / (m.close[(t - 1) * m.U + u] ?? Number.NaN) - 1;
  }
  return r;
}

/** Rows [from, to] of columns `cols` of a T×U block, as an n×C block. */
export function returnsBlock(ret: Float64Array, U: number, from: number, to: number, cols: readonly number[]): Float64Array {
  const n = to - from + 1;
  const C = cols.length;
  const out = new Float64Array(n * C);
  for (let k = 0; k < n; k++) for (let c = 0; c < C; c++) out[k * C + c] = ret[(from + k) * U + (cols[c] ?? 0)] ?? Number.NaN;
  return out;
}

export interface SelectionStudy {
  readonly dates: number;
  readonly k: number;
  readonly penalty: number;
  /** Mean over dates of the average pairwise correlation of the selected names. */
  readonly plainInSample: number;
  readonly diversifiedInSample: number;
  readonly plainOutOfSample: number;
  readonly diversifiedOutOfSample: number;
  /** Mean 63-day forward return of the selected names, averaged over dates. */
  readonly plainForward: number;
  readonly diversifiedForward: number;
}
