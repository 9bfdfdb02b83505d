import { ValidationError, isIsoDate } from '../../core/index.ts';
import type { Bar } from '../../contracts/index.ts';
import { addIssue, type ImportReport } from './import-report.ts';
import { at, isBlank, parseNumber } from './csv.ts';

/** Column positions of a bar row; -1 when the file has no such column (volume → 0). */
export interface BarColumns {
  readonly date: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

const FIELDS = ['open', 'high', 'low', 'close', 'volume'] as const;

/**
 * Turns CSV cells into Bars under the defects policy of import-report.ts, collecting the bars,
 * the symbols in first-seen order, and the issues. Shared by every bar-shaped importer.
 */
export class BarCollector {
  readonly bars: Bar[] = [];
  readonly symbols: string[] = [];
  private readonly seen = new Map<string, Set<string>>();
  /** Validated dates, interned: one string per date keeps later Map lookups on cached hashes. */
  private readonly goodDates = new Map<string, string>();

  constructor(
    readonly report: ImportReport,
    private readonly source: string,
  ) {}

  private checkDate(s: string, line: number, column: number): string {
    const d = s.trim();
    const known = this.goodDates.get(d);
    if (known !== undefined) return known;
    if (!isIsoDate(d)) throw new ValidationError(at(this.source, line, column), `date '${s}' is not a real date in YYYY-MM-DD form`, { line, column });
    this.goodDates.set(d, d);
    return d;
  }

  /** Adds one data row; `scale` multiplies prices (adjusted-close rescaling), default 1. */
  add(cells: readonly string[], cols: BarColumns, symbol: string, line: number, scale = 1): void {
    const r = this.report;
    r.rows++;
    const date = this.checkDate(cells[cols.date] ?? '', line, cols.date + 1);
    const values: Record<(typeof FIELDS)[number], number> = { open: NaN, high: NaN, low: NaN, close: NaN, volume: 0 };
    const blanks: string[] = [];
    for (const f of FIELDS) {
      const c = cols[f];
      if (c < 0) continue;
      const cell = cells[c];
      if (isBlank(cell)) {
        blanks.push(f);
        r.blankFields[f] = (r.blankFields[f] ?? 0) + 1;
      } else values[f] = parseNumber(cell ?? '', this.source, line, c + 1, f);
    }
    const issue = (problem: Parameters<typeof addIssue>[1]['problem'], action: 'repaired' | 'kept' | 'skipped', detail: string) =>
      addIssue(r, { line, symbol, date, problem, action, detail });
    if (blanks.includes('close')) {
      issue('MISSING_CLOSE', 'skipped', `blank: ${blanks.join(',')}`);
      r.skipped++;
      return;
    }
    const dates = this.seen.get(symbol) ?? new Set<string>();
    if (dates.has(date)) {
      issue('DUPLICATE', 'skipped', 'second row for this symbol and date');
      r.skipped++;
      return;
    }
    const { close, volume } = values;
    let { open, high, low } = values;
    if (!(close > 0) || (blanks.includes('open') ? false : !(open > 0)) || (!blanks.includes('high') && !(high > 0)) || (!blanks.includes('low') && !(low > 0)) || volume < 0) {
      issue('NON_POSITIVE_PRICE', 'skipped', `open ${open}, high ${high}, low ${low}, close ${close}, volume ${volume}`);
      r.skipped++;
      return;
    }
    let repaired = false;
    if (blanks.length > 0) {
      if (Number.isNaN(open)) open = close;
      const present = [open, close, high, low].filter((x) => !Number.isNaN(x));
      if (Number.isNaN(high)) high = Math.max(...present);
      if (Number.isNaN(low)) low = Math.min(...present);
      high = Math.max(high, open, close, low);
      low = Math.min(low, open, close, high);
      issue('BLANK_FIELD', 'repaired', `blank: ${blanks.join(',')}`);
      repaired = true;
    } else if (high < Math.max(open, close, low) || low > Math.min(open, close, high)) {
      const was = `high ${high}, low ${low}, open ${open}, close ${close}`;
      high = Math.max(open, high, low, close);
      low = Math.min(open, high, low, close);
      issue('OHLC_INCONSISTENT', 'repaired', was);
      repaired = true;
    }
    if (volume === 0 && cols.volume >= 0) issue('ZERO_VOLUME', 'kept', 'volume 0');
    if (!this.seen.has(symbol)) {
      this.seen.set(symbol, dates);
      this.symbols.push(symbol);
    }
    dates.add(date);
    if (repaired) r.repaired++;
    r.kept++;
    this.bars.push({ version: 1, symbol, date, open: open * scale, high: high * scale, low: low * scale, close: close * scale, volume });
  }
}
