import { ValidationError, addDays, isIsoDate, type IsoDate } from '../../core/index.ts';
import { FRED_RELEASE_LAG_DAYS } from '../sources/fred.ts';
import type { MacroObservation } from '../../contracts/index.ts';
import { at, isBlank, normaliseHeader, parseNumber } from './csv.ts';
import { addIssue, emptyReport, type ImportReport } from './import-report.ts';
import { CsvLineParser } from './line-parser.ts';
import { pushText, readLines, type ReadOptions } from './read-lines.ts';

export interface SeriesImportOptions {
  /** Values are in percent (the Fama/French files): divide by 100. Default true. */
  readonly percent?: boolean;
  /**
   * Release time of the observation dated d: `${d}T${releaseClock}` (default 21:00:00.000Z,
   * after the US close — daily factor returns are computable from that day's closes).
   */
  readonly releaseClock?: string;
  /** Series names as in the header (FRED ids such as DGS10) instead of lower-case with `_`. */
  readonly keepNames?: boolean;
  /** Release time of an observation; overrides `releaseClock` (FRED: the series' publication lag). */
  readonly releaseTime?: (series: string, date: IsoDate) => string;
}

export interface SeriesImport {
  /** Series name → observations in file order. Names are lower-case with `_` (Mkt-RF → mkt_rf). */
  readonly series: Map<string, MacroObservation[]>;
  readonly report: ImportReport;
}

/** `Mkt-RF` → `mkt_rf`. */
export function seriesName(header: string): string {
  return header.replace(/^\uFEFF/, '').trim().toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');
}

/**
 * Daily factor (or any date-keyed numeric) series: `date,<series>…` as ff3_daily.csv
 * (`date,mkt_rf,smb,hml,rf`) and ff_mom_daily.csv (`date,mom`). Dates YYYY-MM-DD or the
 * French library's YYYYMMDD. Blank values are reported (BLANK_VALUE) and skipped.
 */
export class SeriesParser extends CsvLineParser<SeriesImport> {
  private dateCol = -1;
  private names: Array<[number, string]> = [];
  private readonly series = new Map<string, MacroObservation[]>();
  private readonly report: ImportReport;
  private readonly scale: number;
  private readonly release: (series: string, date: IsoDate) => string;
  private readonly keepNames: boolean;

  constructor(source: string, options: SeriesImportOptions = {}) {
    super(source);
    this.report = emptyReport(source);
    this.scale = (options.percent ?? true) ? 0.01 : 1;
    const clock = options.releaseClock ?? '21:00:00.000Z';
    this.release = options.releaseTime ?? ((_s, d) => `${d}T${clock}`);
    this.keepNames = options.keepNames ?? false;
  }

  protected header(cells: string[], lineNo: number): void {
    // FRED's downloads head the date column DATE (older) or observation_date.
    this.dateCol = cells.findIndex((c) => normaliseHeader(c) === 'date' || normaliseHeader(c) === 'observationdate');
    if (this.dateCol < 0) throw new ValidationError(at(this.source, lineNo), `missing column 'date' (expected date,<series>… e.g. date,mkt_rf,smb,hml,rf or FRED's DATE,DGS10)`, { column: 'date' });
    const nameOf = (c: string) => (this.keepNames ? c.replace(/^\uFEFF/, '').trim() : seriesName(c));
    this.names = cells.map((c, i) => [i, nameOf(c)] as [number, string]).filter(([i]) => i !== this.dateCol);
    if (this.names.length === 0) throw new ValidationError(at(this.source, lineNo), 'no series columns after date (expected e.g. date,mkt_rf,smb,hml,rf)');
    for (const [i, name] of this.names) {
      if (!(this.keepNames ? /^[A-Za-z0-9_]+$/ : /^[a-z0-9_]+$/).test(name)) throw new ValidationError(at(this.source, lineNo, i + 1), `unusable series name '${cells[i]}'`);
      this.series.set(name, []);
    }
  }

  protected row(cells: string[], lineNo: number): void {
    const r = this.report;
    r.rows++;
    let d = (cells[this.dateCol] ?? '').trim();
    if (/^\d{8}$/.test(d)) d = `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`;
    if (!isIsoDate(d)) throw new ValidationError(at(this.source, lineNo, this.dateCol + 1), `date '${cells[this.dateCol] ?? ''}' is not a real date in YYYY-MM-DD form`);
    let kept = false;
    for (const [i, name] of this.names) {
      const cell = cells[i];
      if (isBlank(cell)) {
        addIssue(r, { line: lineNo, symbol: name, date: d, problem: 'BLANK_VALUE', action: 'skipped', detail: `blank ${name}` });
        r.blankFields[name] = (r.blankFields[name] ?? 0) + 1;
        continue;
      }
      const value = parseNumber(cell ?? '', this.source, lineNo, i + 1, name) * this.scale;
      this.series.get(name)?.push({ version: 1, series: name, date: d, releaseTime: this.release(name, d), value });
      kept = true;
    }
    if (kept) r.kept++;
    else r.skipped++;
  }

  protected build(): SeriesImport {
    return { series: this.series, report: this.report };
  }
}

export function parseSeries(text: string, options: SeriesImportOptions = {}, source = 'input'): SeriesImport {
  const p = new SeriesParser(source, options);
  pushText(text, p);
  return p.result();
}

export async function importSeries(path: string, options: SeriesImportOptions & ReadOptions = {}): Promise<SeriesImport> {
  const p = new SeriesParser(path, options);
  await readLines(path, p, options);
  return p.result();
}

/**
 * Options for FRED's CSV download (`DATE,<SERIES_ID>…` or `observation_date,<SERIES_ID>…`; "."
 * or a blank cell where there is no value): values as published (no percent scaling), series ids
 * kept, each observation released `date + lag` days at 21:00 UTC, the lag from `releaseLagDays`
 * (a number for every series, or per series) or FRED_RELEASE_LAG_DAYS, else 1.
 */
export function fredCsvOptions(releaseLagDays?: number | Readonly<Record<string, number>>): SeriesImportOptions {
  const lag = (series: string) => (typeof releaseLagDays === 'number' ? releaseLagDays : (releaseLagDays?.[series] ?? FRED_RELEASE_LAG_DAYS[series] ?? 1));
  return { percent: false, keepNames: true, releaseTime: (series, date) => `${addDays(date, lag(series))}T21:00:00.000Z` };
}
