import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigConflictError, ERROR_CATALOGUE, KeelError, LookAheadError, ValidationError } from './index.ts';

describe('error catalogue', () => {
  it('docs/errors.md lists exactly the codes in the catalogue, with the same HTTP status', () => {
    const doc = readFileSync('docs/errors.md', 'utf8');
    const documented = new Map<string, number>();
    for (const m of doc.matchAll(/^\| `(KEEL_E_[A-Z_]+)` \| (\d{3}) \|/gm)) documented.set(m[1] ?? '', Number(m[2]));
    const inCode = new Map(Object.entries(ERROR_CATALOGUE).map(([code, e]) => [code, e.status]));
    expect(new Map([...documented].sort())).toEqual(new Map([...inCode].sort()));
  });

  it('typed errors carry their code, status and the fields they name', () => {
    const v = new ValidationError('agents[0].allocatedCapital', 'must be ≥ 0');
    expect(v).toBeInstanceOf(KeelError);
    expect(v.code).toBe('KEEL_E_VALIDATION');
    expect(v.status).toBe(400);
    expect(v.message).toBe('agents[0].allocatedCapital: must be ≥ 0');
    const c = new ConfigConflictError('a.b', 'c.d', 'why');
    expect(c.message).toContain('a.b');
    expect(c.message).toContain('c.d');
    const l = new LookAheadError('close', '2020-01-02', '2020-01-03');
    expect(l.code).toBe('KEEL_E_LOOKAHEAD');
    expect(l.details).toEqual({ what: 'close', asOf: '2020-01-02', requested: '2020-01-03' });
  });
});
