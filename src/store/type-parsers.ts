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

/** PostgreSQL timestamp text → ISO UTC string. Without an offset (TIMESTAMP) the text is read as UTC. */
export function parseTimestamp(text: string): string {
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
