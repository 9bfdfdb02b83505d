/** Dense sector ids in first-seen order: `sectorOf[i]` indexes `names` (a missing name is 'Unknown'). */
export function sectorIds(sectors: ArrayLike<string | undefined>): { sectorOf: Int32Array; names: string[] } {
  const sectorOf = new Int32Array(sectors.length);
  const names: string[] = [];
  const idx = new Map<string, number>();
  for (let i = 0; i < sectors.length; i++) {
    const name = sectors[i] ?? 'Unknown';
    let s = idx.get(name);
    if (s === undefined) {
      s = names.length;
      idx.set(name, s);
      names.push(name);
    }
    sectorOf[i] = s;
  }
  return { sectorOf, names };
}
