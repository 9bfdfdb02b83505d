import { basename } from 'node:path';
import { ValidationError } from '../../core/index.ts';
import { at, isBlank, parseNumber, resolveColumns, type ColumnSpec } from './csv.ts';
import { BarCollector, type BarColumns } from './bar-rows.ts';
import { emptyReport } from './import-report.ts';
import { CsvLineParser } from './line-parser.ts';
import { pushText, readLines, type ReadOptions } from './read-lines.ts';
import type { BarsImport } from './long-bars.ts';

export interface SymbolBarsOptions {
  /** The symbol of every row (per-symbol files have no symbol column). */
  readonly symbol: string;
  /**
   * Scale open/high/low/close by `Adj Close / Close` (Yahoo's dividend-and-split adjustment).
   * Default false: raw prices. Ignored when the file has no Adj Close column (Stooq).
   */
  readonly adjusted?: boolean;
}

const SYMBOL_SPEC: ColumnSpec<'date' | 'open' | 'high' | 'low' | 'close'> = {
  required: { date: ['Date'], open: ['Open'], high: ['High'], low: ['Low'], close: ['Close'] },
  optional: { adjClose: ['Adj Close', 'adjclose', 'adj_close'], volume: ['Volume'], openInterest: ['OpenInterest', 'Open Interest'] },
  expected: 'Date,Open,High,Low,Close[,Adj Close][,Volume] (Yahoo) or Date,Open,High,Low,Close,Volume (Stooq)',
};

/**
 * One symbol's daily bars: Yahoo (`Date,Open,High,Low,Close,Adj Close,Volume`), Stooq
 * (`Date,Open,High,Low,Close,Volume`), and index files such as spx_daily.csv / vix_daily.csv
 * (lower-case headers, volume optional → 0). Yahoo's `null` cells count as blank.
 */
export class SymbolBarsParser extends CsvLineParser<BarsImport> {
  private cols: BarColumns | undefined;
  private adjCol = -1;
  private readonly collector: BarCollector;

  constructor(
    source: string,
    private readonly options: SymbolBarsOptions,
  ) {
    super(source);
    this.collector = new BarCollector(emptyReport(source), source);
  }

  protected header(cells: string[], lineNo: number): void {
    const c = resolveColumns(cells, SYMBOL_SPEC, this.source, lineNo);
    this.cols = { date: c.date, open: c.open, high: c.high, low: c.low, close: c.close, volume: c.optional.get('volume') ?? -1 };
    this.adjCol = this.options.adjusted ? (c.optional.get('adjClose') ?? -1) : -1;
  }

  protected row(cells: string[], lineNo: number): void {
    const cols = this.cols;
    if (!cols) return;
    let scale = 1;
    if (this.adjCol >= 0 && !isBlank(cells[this.adjCol]) && !isBlank(cells[cols.close])) {
      const adj = parseNumber(cells[this.adjCol] ?? '', this.source, lineNo, this.adjCol + 1, 'Adj Close');
      const close = parseNumber(cells[cols.close] ?? '', this.source, lineNo, cols.close + 1, 'Close');
      if (close > 0 && adj > 0) scale = adj / close;
    }
    this.collector.add(cells, cols, this.options.symbol, lineNo, scale);
  }

  protected build(): BarsImport {
    return { bars: this.collector.bars, symbols: this.collector.symbols, report: this.collector.report };
  }
}

/** `AAPL.csv` → AAPL, `aapl.us.txt` (Stooq) → AAPL, `^GSPC.csv` → ^GSPC. */
export function symbolFromFileName(path: string): string {
  const name = basename(path).replace(/\.gz$/i, '').replace(/\.(csv|txt)$/i, '').replace(/\.us$/i, '');
  if (!/^[A-Za-z0-9.\-_^]{1,32}$/.test(name)) {
    throw new ValidationError(at(path, 0), `cannot take a symbol from the file name '${basename(path)}'; pass one explicitly`);
  }
  return name.toUpperCase();
}

export function parseSymbolBars(text: string, options: SymbolBarsOptions, source = 'input'): BarsImport {
  const p = new SymbolBarsParser(source, options);
  pushText(text, p);
  return p.result();
}

export async function importSymbolBars(path: string, options: Partial<SymbolBarsOptions> & ReadOptions = {}): Promise<BarsImport> {
  const p = new SymbolBarsParser(path, { symbol: options.symbol ?? symbolFromFileName(path), ...(options.adjusted === undefined ? {} : { adjusted: options.adjusted }) });
  await readLines(path, p, options);
  return p.result();
}
