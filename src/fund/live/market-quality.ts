import type { DataQuality, GovernanceThresholds } from '../../contracts/index.ts';
import { assessQuality } from '../../market/index.ts';
import type { Store } from '../../store/index.ts';

/**
 * Assesses every stored equity's (and instrument-less symbol's) bars with the governance
 * thresholds and saves the results (`data_quality`, as of the latest stored date): the quality
 * score and ACTIVE / DEGRADED / QUARANTINED state the next cycle trades by. `keel market quality`
 * runs it by hand; the pre-cycle step after new bars are stored, once a store has been assessed.
 */
export async function assessStoredQuality(store: Store, cfg: GovernanceThresholds): Promise<DataQuality[]> {
  const instruments = await store.instruments.list();
  const nonEquity = new Set(instruments.filter((i) => i.assetClass !== 'equity' && i.assetClass !== 'etf').map((i) => i.symbol));
  const symbols = (await store.bars.symbols()).filter((s) => !nonEquity.has(s));
  if (symbols.length === 0) return [];
  const bars = (await store.bars.range({ symbols })).map((b) => ({ version: 1 as const, ...b }));
  const q = assessQuality(bars, { config: cfg }).sort((a, b) => (a.symbol < b.symbol ? -1 : 1));
  await store.dataQuality.upsert(q);
  return q;
}
