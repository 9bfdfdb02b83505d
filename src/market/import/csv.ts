import { ValidationError } from '../../core/index.ts';

/**
 * Splits one CSV line into fields (RFC 4180 quoting within a line: `"a,b"` and `""` escapes).
 * Fields spanning several lines are not supported: none of the market files has them.
 */
export function splitCsvLine(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"') {
        if (line[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(field);
      field = '';
    } else field += ch;
  }
  out.push(field);
  return out;
}

/** Header names compared case-insensitively, ignoring spaces, dashes and underscores. */
export function normaliseHeader(h: string): string {
  return h.replace(/^\uFEFF/, '').trim().toLowerCase().replace(/[\s_-]+/g, '');
}

/** Where in a file: `file:line:column` (1-based), as error messages print it. */
export function at(source: string, line: number, column?: number): string {
  return column === undefined ? `${source}:${line}` : `${source}:${line}:${column}`;
}

export interface ColumnSpec<K extends string> {
  /** Logical column → accepted header names (any one). */
  readonly required: Readonly<Record<K, readonly string[]>>;
  readonly optional?: Readonly<Record<string, readonly string[]>>;
  /** When true, a header not named in required/optional is an error (default true). */
  readonly strict?: boolean;
  /** What the file should look like, for error messages, e.g. `date,open,high,low,close,volume,Name`. */
  readonly expected: string;
}

/** Column index of each logical column (optional ones -1 when absent). */
export type ColumnIndex<K extends string> = Readonly<Record<K, number>> & { readonly optional: ReadonlyMap<string, number> };

/**
 * Maps a header line to column positions, or throws ValidationError naming the missing or
 * unknown column, its position, and the expected header.
 */
export function resolveColumns<K extends string>(header: readonly string[], spec: ColumnSpec<K>, source: string, line = 1): ColumnIndex<K> {
  const norm = header.map(normaliseHeader);
  const find = (names: readonly string[]) => {
    const wanted = names.map(normaliseHeader);
    return norm.findIndex((h) => wanted.includes(h));
  };
  const used = new Set<number>();
  const index: Record<string, number> = {};
  for (const [key, names] of Object.entries(spec.required) as Array<[K, readonly string[]]>) {
    const i = find(names);
    if (i < 0) {
      throw new ValidationError(at(source, line), `missing column '${names[0] ?? key}' (expected header ${spec.expected}; found ${header.join(',')})`, {
        line,
        column: names[0] ?? key,
      });
    }
    index[key] = i;
    used.add(i);
  }
  const optional = new Map<string, number>();
  for (const [key, names] of Object.entries(spec.optional ?? {})) {
    const i = find(names);
    optional.set(key, i);
    if (i >= 0) used.add(i);
  }
  if (spec.strict ?? true) {
    header.forEach((h, i) => {
      if (!used.has(i)) {
        throw new ValidationError(at(source, line, i + 1), `unknown column '${h}' (expected header ${spec.expected})`, { line, column: i + 1, name: h });
      }
    });
  }
  return Object.assign(index, { optional }) as unknown as ColumnIndex<K>;
}

/** Blank-like field values: empty, `null` (Yahoo), `NaN`, `.` (FRED). */
export function isBlank(s: string | undefined): boolean {
  if (s === undefined) return true;
  const t = s.trim();
  return t === '' || t === 'null' || t === 'NaN' || t === 'nan' || t === '.' || t === 'NA';
}

/** Parses a number field; throws ValidationError with line and column when it is not one. */
export function parseNumber(s: string, source: string, line: number, column: number, name: string): number {
  const x = Number(s);
  if (!Number.isFinite(x) || s.trim() === '') {
    throw new ValidationError(at(source, line, column), `${name} '${s}' is not a number`, { line, column, name });
  }
  return x;
}
