import { ValidationError, isIsoDate } from '../../core/index.ts';
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
  private readonly clock: string;

  constructor(source: string, options: SeriesImportOptions = {}) {
    super(source);
    this.report = emptyReport(source);
    this.scale = (options.percent ?? true) ? 0.01 : 1;
    this.clock = options.releaseClock ?? '21:00:00.000Z';
  }

  protected header(cells: string[], lineNo: number): void {
    this.dateCol = cells.findIndex((c) => normaliseHeader(c) === 'date');
    if (this.dateCol < 0) throw new ValidationError(at(this.source, lineNo), `missing column 'date' (expected date,<series>… e.g. date,mkt_rf,smb,hml,rf)`, { column: 'date' });
    this.names = cells.map((c, i) => [i, seriesName(c)] as [number, string]).filter(([i]) => i !== this.dateCol);
    if (this.names.length === 0) throw new ValidationError(at(this.source, lineNo), 'no series columns after date (expected e.g. date,mkt_rf,smb,hml,rf)');
    for (const [i, name] of this.names) {
      if (!/^[a-z0-9_]+$/.test(name)) throw new ValidationError(at(this.source, lineNo, i + 1), `unusable series name '${cells[i]}'`);
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
      this.series.get(name)?.push({ version: 1, series: name, date: d, releaseTime: `${d}T${this.clock}`, value });
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
