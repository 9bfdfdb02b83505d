import { InvalidArgumentError } from 'commander';
import { isIsoDate } from '../../core/index.ts';

/** Commander argument parsers that name the option in their error. */
export function parsePositive(name: string): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive number, got '${v}'`);
    return n;
  };
}

export function parseInteger(name: string, min = 0): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`${name} must be a whole number ≥ ${min}, got '${v}'`);
    return n;
  };
}

export function parseDate(name: string): (v: string) => string {
  return (v) => {
    if (!isIsoDate(v)) throw new InvalidArgumentError(`${name} must be a date YYYY-MM-DD, got '${v}'`);
    return v;
  };
}

export function parseList(v: string): string[] {
  return v
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

const DURATION_UNITS: Readonly<Record<string, number>> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A duration such as `90s`, `30m`, `2h`, `1d` (a bare number is seconds) → milliseconds. */
export function parseDuration(name: string): (v: string) => number {
  return (v) => {
    const m = /^(\d+(?:\.\d+)?)\s*([smhd]?)$/.exec(v.trim());
    const n = m ? Number(m[1]) * (DURATION_UNITS[m[2] || 's'] ?? 1_000) : Number.NaN;
    if (!(n > 0) || !Number.isFinite(n)) throw new InvalidArgumentError(`${name} must be a duration like 90s, 30m, 2h or 1d, got '${v}'`);
    return n;
  };
}
