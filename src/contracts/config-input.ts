import { ValidationError } from '../core/index.ts';
import { formatPath, parseFundConfig, type FundConfig } from './fund-config.ts';

/**
 * A config a person wrote (a file, a request body): `parseFundConfig`, and every key of the input
 * must be one the config has. The schema drops a key it does not know, so a misspelt limit
 * (`risk.maxGrossExposur`) would validate, hash as the defaults, and silently not apply; here it is a
 * ValidationError naming its path and the nearest known key. Stored configs are read with
 * `parseFundConfig`, so a key a later version removed does not stop a fund from loading.
 */
export function parseFundConfigInput(input: unknown): FundConfig {
  const config = parseFundConfig(input);
  const unknown = unknownKey(input, config, []);
  if (unknown) {
    const near = nearest(unknown.key, unknown.known);
    throw new ValidationError(formatPath(unknown.path), `unknown key${near ? `; did you mean '${near}'?` : ''} (known here: ${unknown.known.slice(0, 20).join(', ')}${unknown.known.length > 20 ? ', …' : ''})`);
  }
  return config;
}

/** The first key of `input` (depth first) that the parsed value does not have at the same path. */
function unknownKey(input: unknown, parsed: unknown, at: (string | number)[]): { path: (string | number)[]; key: string; known: string[] } | null {
  if (Array.isArray(input) && Array.isArray(parsed)) {
    for (let i = 0; i < input.length; i++) {
      const u = unknownKey(input[i], parsed[i], [...at, i]);
      if (u) return u;
    }
    return null;
  }
  if (!isRecord(input) || !isRecord(parsed)) return null;
  for (const k of Object.keys(input)) {
    if (!Object.hasOwn(parsed, k)) return { path: [...at, k], key: k, known: Object.keys(parsed) };
    const u = unknownKey(input[k], parsed[k], [...at, k]);
    if (u) return u;
  }
  return null;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** The known key closest to `key` (edit distance at most a third of its length, at least 2), or null. */
function nearest(key: string, known: readonly string[]): string | null {
  let best: string | null = null;
  let bestD = Math.max(2, Math.floor(key.length / 3)) + 1;
  for (const k of known) {
    const d = editDistance(key.toLowerCase(), k.toLowerCase());
    if (d < bestD) {
      best = k;
      bestD = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length] ?? 0;
}
