/**
 * One conversion of column text to JavaScript values for both drivers, so repositories see the
 * same types on PGlite and PostgreSQL:
 * - NUMERIC → number (float64: exact for up to 15 significant digits, which covers money in
 *   cents and quantities to 1e-4 up to 10^11);
 * - INT8 (count(*), bigserial ids) → number when it is a safe integer, else the decimal string;
 * - DATE → `YYYY-MM-DD` string (never a local-time Date);
 * - TIMESTAMPTZ / TIMESTAMP → ISO-8601 UTC string with milliseconds (`2024-01-02T14:30:00.000Z`).
 */
export const OID = {
  INT8: 20,
  NUMERIC: 1700,
  DATE: 1082,
  TIMESTAMP: 1114,
  TIMESTAMPTZ: 1184,
} as const;

export function parseNumeric(text: string): number {
  return Number(text);
}

export function parseInt8(text: string): number | string {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : text;
}

export function parseDate(text: string): string {
  return text;
}

const TS = /^(\d{4,}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d+)?(?:([+-]\d{2})(?::?(\d{2}))?(?::?\d{2})?)?$/;

/** PostgreSQL's text of a timestamptz in a UTC session (Keel's), `YYYY-MM-DD HH:MM:SS[.f]+00`. */
const UTC_TS = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?\+00$/;

function daysIn(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * The ISO string of a UTC timestamp's text without a Date: the fills of a fund are read by the
 * hundred thousand (attribution over the demo's five years spent a quarter of a second here).
 * Null when the text is not such a timestamp or not a real instant (the general path decides).
 */
function utcTimestamp(text: string): string | null {
  const m = UTC_TS.exec(text);
  if (!m) return null;
  const [, y = '', mo = '', d = '', h = '', mi = '', s = '', frac = ''] = m;
  const month = Number(mo);
  if (month < 1 || month > 12 || Number(d) < 1 || Number(d) > daysIn(Number(y), month) || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return null;
  return `${y}-${mo}-${d}T${h}:${mi}:${s}.${`${frac}000`.slice(0, 3)}Z`;
}

/** PostgreSQL timestamp text → ISO UTC string. Without an offset (TIMESTAMP) the text is read as UTC. */
export function parseTimestamp(text: string): string {
  const fast = utcTimestamp(text);
  if (fast !== null) return fast;
  const m = TS.exec(text);
  if (!m) return text;
  const frac = (m[3] ?? '').slice(0, 4);
  const off = m[4] === undefined ? 'Z' : `${m[4]}:${m[5] ?? '00'}`;
  const d = new Date(`${m[1] ?? ''}T${m[2] ?? ''}${frac}${off}`);
  return Number.isNaN(d.getTime()) ? text : d.toISOString();
}

/** Text parser per type oid, or undefined to keep the driver's default. */
export function keelParser(oid: number): ((text: string) => unknown) | undefined {
  switch (oid) {
    case OID.INT8:
      return parseInt8;
    case OID.NUMERIC:
      return parseNumeric;
    case OID.DATE:
      return parseDate;
    case OID.TIMESTAMP:
    case OID.TIMESTAMPTZ:
      return parseTimestamp;
    default:
      return undefined;
  }
}
