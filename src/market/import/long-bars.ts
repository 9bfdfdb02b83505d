import type { Bar } from '../../contracts/index.ts';
import { resolveColumns, type ColumnSpec } from './csv.ts';
import { BarCollector, type BarColumns } from './bar-rows.ts';
import { emptyReport, type ImportReport } from './import-report.ts';
import { CsvLineParser } from './line-parser.ts';
import { pushText, readLines, type ReadOptions } from './read-lines.ts';

/** Bars read from a file, the symbols in first-seen order, and the defects report. */
export interface BarsImport {
  readonly bars: Bar[];
  readonly symbols: string[];
  readonly report: ImportReport;
}

const LONG_SPEC: ColumnSpec<'date' | 'open' | 'high' | 'low' | 'close' | 'volume' | 'symbol'> = {
  required: {
    date: ['date'],
    open: ['open'],
    high: ['high'],
    low: ['low'],
    close: ['close'],
    volume: ['volume'],
    symbol: ['Name', 'symbol', 'ticker'],
  },
  expected: 'date,open,high,low,close,volume,Name',
};

/** Long-format daily bars, one row per (symbol, date): `date,open,high,low,close,volume,Name`. */
export class LongBarsParser extends CsvLineParser<BarsImport> {
  private cols: BarColumns | undefined;
  private symbolCol = -1;
  private readonly collector: BarCollector;

  constructor(source: string) {
    super(source);
    this.collector = new BarCollector(emptyReport(source), source);
  }

  protected header(cells: string[], lineNo: number): void {
    const c = resolveColumns(cells, LONG_SPEC, this.source, lineNo);
    this.cols = c;
    this.symbolCol = c.symbol;
  }

  protected row(cells: string[], lineNo: number): void {
    const cols = this.cols;
    if (!cols) return;
    this.collector.add(cells, cols, (cells[this.symbolCol] ?? '').trim(), lineNo);
  }

  protected build(): BarsImport {
    return { bars: this.collector.bars, symbols: this.collector.symbols, report: this.collector.report };
  }
}

/** Parses long-format bars from a string (the pure path). */
export function parseLongBars(text: string, source = 'input'): BarsImport {
  const p = new LongBarsParser(source);
  pushText(text, p);
  return p.result();
}

/** Streams a long-format bars file (plain or .gz). */
export async function importLongBars(path: string, options: ReadOptions = {}): Promise<BarsImport> {
  const p = new LongBarsParser(path);
  await readLines(path, p, options);
  return p.result();
}
