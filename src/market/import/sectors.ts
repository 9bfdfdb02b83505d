import { ValidationError } from '../../core/index.ts';
import { at, isBlank, normaliseHeader } from './csv.ts';
import { CsvLineParser } from './line-parser.ts';
import { pushText, readLines, type ReadOptions } from './read-lines.ts';

export interface SectorEntry {
  readonly sector: string;
  /** Company name when the file has one. */
  readonly name?: string;
}

/** Symbol → sector (and company name). */
export type SectorMap = Map<string, SectorEntry>;

export interface SectorMapImport {
  readonly sectors: SectorMap;
  /** Rows without a sector, or repeating a symbol (the first row wins). */
  readonly skipped: Array<{ line: number; symbol: string; reason: string }>;
}

const SECTOR_HEADERS = ['sector_2018', 'GICS Sector', 'Sector', 'gics_sector_current'];
const EXPECTED = 'Name,…,sector_2018 (sp500_5yr_sectors.csv), Symbol,…,GICS Sector (sp500_constituents.csv) or Symbol,Name,Sector';

/**
 * A sector map: the ticker column is `Symbol` (or `Ticker`), else `Name`; the sector column is
 * the first of sector_2018, GICS Sector, Sector, gics_sector_current; the company name is
 * company_2018, Security, or Name when Name is not the ticker. Other columns are ignored.
 */
export class SectorMapParser extends CsvLineParser<SectorMapImport> {
  private symbolCol = -1;
  private sectorCol = -1;
  private nameCol = -1;
  private readonly sectors: SectorMap = new Map();
  private readonly skipped: SectorMapImport['skipped'] = [];

  protected header(cells: string[], lineNo: number): void {
    const norm = cells.map(normaliseHeader);
    const find = (...names: string[]) => {
      for (const n of names) {
        const i = norm.indexOf(normaliseHeader(n));
        if (i >= 0) return i;
      }
      return -1;
    };
    const symbolCol = find('Symbol', 'Ticker');
    this.symbolCol = symbolCol >= 0 ? symbolCol : find('Name');
    this.sectorCol = find(...SECTOR_HEADERS);
    this.nameCol = symbolCol >= 0 ? find('Security', 'company_2018', 'Name') : find('company_2018', 'Security');
    if (this.symbolCol < 0) throw new ValidationError(at(this.source, lineNo), `missing column 'Symbol' (or 'Name') for the ticker (expected ${EXPECTED})`, { column: 'Symbol' });
    if (this.sectorCol < 0) throw new ValidationError(at(this.source, lineNo), `missing a sector column (one of ${SECTOR_HEADERS.join(', ')}; expected ${EXPECTED})`, { column: 'sector_2018' });
  }

  protected row(cells: string[], lineNo: number): void {
    const symbol = (cells[this.symbolCol] ?? '').trim();
    const sector = (cells[this.sectorCol] ?? '').trim();
    if (symbol === '') return void this.skipped.push({ line: lineNo, symbol, reason: 'blank symbol' });
    if (isBlank(sector)) return void this.skipped.push({ line: lineNo, symbol, reason: 'blank sector' });
    if (this.sectors.has(symbol)) return void this.skipped.push({ line: lineNo, symbol, reason: 'repeated symbol' });
    const name = this.nameCol >= 0 ? (cells[this.nameCol] ?? '').trim() : '';
    this.sectors.set(symbol, name ? { sector, name } : { sector });
  }

  protected build(): SectorMapImport {
    return { sectors: this.sectors, skipped: this.skipped };
  }
}

export function parseSectorMap(text: string, source = 'input'): SectorMapImport {
  const p = new SectorMapParser(source);
  pushText(text, p);
  return p.result();
}

export async function importSectorMap(path: string, options: ReadOptions = {}): Promise<SectorMapImport> {
  const p = new SectorMapParser(path);
  await readLines(path, p, options);
  return p.result();
}
