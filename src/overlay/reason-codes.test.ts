/**
 * One catalogue of reason codes (contracts/reason-codes.ts): docs/overlay.md shows exactly it; every
 * `reason(rule, code)` in the overlay's source names a catalogued code under a rule the catalogue
 * lists for it; and every reason a review emits is catalogued under its rule.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REASON_CODES, reasonCodeInfo, reasonCodesMarkdown } from '../contracts/index.ts';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [p] : [];
  });
}

describe('reason codes: one catalogue', () => {
  it('docs/overlay.md "Reason codes" is the catalogue', () => {
    const doc = readFileSync('docs/overlay.md', 'utf8');
    const m = /<!-- reason-codes:begin -->\n([\s\S]*?)\n<!-- reason-codes:end -->/.exec(doc);
    expect(m?.[1]).toBe(reasonCodesMarkdown());
  });

  it('every reason(rule, code) in the overlay names a catalogued code under a rule listed for it', () => {
    const found: string[] = [];
    for (const file of sources('src/overlay')) {
      const text = readFileSync(file, 'utf8');
      const RULE = /const RULE = '([a-z_]+)'/.exec(text)?.[1];
      // codes written as literals anywhere in the file (ternaries, `let code = …`), and the rules of its reason() calls
      const literals = new Set([...text.matchAll(/'([A-Z][A-Z0-9_]{2,})'/g)].map((x) => x[1] ?? '').filter((c) => c in REASON_CODES));
      const rules = new Set<string>();
      for (const call of text.matchAll(/reason\(\s*(RULE|'([a-z_]+)')\s*,\s*('([A-Z0-9_]+)')?/g)) {
        const rule = call[1] === 'RULE' ? (RULE ?? '?') : (call[2] ?? '?');
        const code = call[4];
        if (code !== undefined) {
          found.push(`${rule}/${code}`);
          expect(reasonCodeInfo(code)?.rules, `${file}: ${rule}/${code}`).toContain(rule);
          literals.delete(code);
        } else rules.add(rule);
      }
      // a code given through a variable: it must be listed for one of the rules whose calls take variables
      for (const code of literals) {
        found.push(code);
        expect([...rules].some((rule) => reasonCodeInfo(code)?.rules.includes(rule)), `${file}: ${code} under ${[...rules].join(', ')}`).toBe(true);
      }
    }
    expect(found.length).toBeGreaterThan(40);
  });
});
