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
