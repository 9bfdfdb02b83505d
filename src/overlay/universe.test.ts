import { describe, expect, it } from 'vitest';
import { createRng } from '../core/index.ts';
import type { MarketView } from '../market/index.ts';
import { buildUniverse } from './index.ts';
import { symbolsOf, syntheticView } from './testing/fixture.ts';

/** The universe computed the plain way: sorted distinct names, sectors numbered in first-seen order. */
function plain(view: MarketView, names: readonly string[]) {
  const symbols = [...new Set(names)].sort();
  const sectorNames: string[] = [];
  const sector = symbols.map((s) => {
    const c = view.column(s);
    const name = c >= 0 ? (view.sectors[c] ?? 'Unknown') : 'Unknown';
    if (!sectorNames.includes(name)) sectorNames.push(name);
    return sectorNames.indexOf(name);
  });
  const column = symbols.map((s) => view.column(s));
  const price = column.map((c) => (c >= 0 ? view.close(c) : Number.NaN));
  const adv = column.map((c) => (c >= 0 ? view.value('adv20', c) : Number.NaN));
  return { symbols, sector, sectorNames, column, price, adv, index: symbols.map((s, u) => [s, u]) };
}

describe('universe (the names a review touches)', () => {
  const view = syntheticView({ U: 30 });
  const all = symbolsOf(30);

  it('equals the plain computation for any names, repeated or unlisted, whatever was laid out before', () => {
    const rng = createRng(11);
    for (let trial = 0; trial < 200; trial++) {
      const names: string[] = [];
      const n = 1 + Math.floor(rng.next() * 25);
      for (let k = 0; k < n; k++) names.push(all[Math.floor(rng.next() * all.length)] ?? 'S000');
      if (trial % 7 === 0) names.push('NOT_LISTED');
      if (trial % 11 === 0) names.push(...names.slice(0, 3)); // repeats
      const u = buildUniverse(view, names);
      const p = plain(view, names);
      expect([...u.symbols]).toEqual(p.symbols);
      expect(Array.from(u.sector)).toEqual(p.sector);
      expect([...u.sectorNames]).toEqual(p.sectorNames);
      expect(Array.from(u.column)).toEqual(p.column);
      expect(Array.from(u.price)).toEqual(p.price);
      expect(Array.from(u.adv)).toEqual(p.adv);
      expect([...u.index.entries()]).toEqual(p.index);
      expect(u.N).toBe(p.symbols.length);
    }
  });

  it('a name set seen again gets the same layout (the same symbols array)', () => {
    const a = buildUniverse(view, ['S003', 'S001', 'S007']);
    const b = buildUniverse(view, ['S007', 'S003', 'S001', 'S003']);
    expect(b.symbols).toBe(a.symbols);
    expect(b.price).not.toBe(a.price); // per-view data is the review's own
  });
});
