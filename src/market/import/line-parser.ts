import { ValidationError } from '../../core/index.ts';
import { splitCsvLine } from './csv.ts';
import type { LineSink } from './read-lines.ts';

/**
 * Base of the CSV importers: the first non-empty line is the header, blank lines are ignored,
 * each data line is split and handed to `row`. Pure: it never touches the file system.
 */
export abstract class CsvLineParser<R> implements LineSink {
  private hasHeader = false;

  constructor(protected readonly source: string) {}

  push(line: string, lineNo: number): void {
    if (line.trim() === '') return;
    const cells = splitCsvLine(line);
    if (!this.hasHeader) {
      this.hasHeader = true;
      this.header(cells, lineNo);
      return;
    }
    this.row(cells, lineNo);
  }

  /** The result; throws ValidationError when the input had no header line. */
  result(): R {
    if (!this.hasHeader) throw new ValidationError(this.source, 'is empty: expected a CSV header line');
    return this.build();
  }

  protected abstract header(cells: string[], lineNo: number): void;
  protected abstract row(cells: string[], lineNo: number): void;
  protected abstract build(): R;
}
