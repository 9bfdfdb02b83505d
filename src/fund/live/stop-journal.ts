import type { JournalEntry as StoredJournalEntry } from '../../store/index.ts';
import type { CycleResult } from '../cycle/run-cycle.ts';

/**
 * The decision-journal rows of a cycle's stop exits (`risk.atrStops`): one OVERRIDE by
 * `system:stops` per position closed, naming the level crossed and the day's range, linked to the
 * agent's overlay decision and the cycle's orders in the name. Shaped as the PMS journal stores its
 * entries (the entry in `refs.entry`, symbols and `agent:<id>` in tags), so `keel journal` and the
 * API read them like any other.
 */
export function stopExitJournal(fundId: string, r: Pick<CycleResult, 'cycleId' | 'stopExits' | 'decisions' | 'orders'>, at: string): StoredJournalEntry[] {
  return r.stopExits.map((e) => {
    const what = e.kind === 'ATR_STOP' ? 'ATR stop' : 'take-profit';
    const side = e.qty > 0 ? 'long' : 'short';
    const rationale = `${what} of ${e.agentId}'s ${side} ${e.symbol} (${Math.abs(e.qty)} shares, set ${e.setOn}) at ${e.level.toFixed(2)} crossed: day range ${e.low.toFixed(2)}–${e.high.toFixed(2)}. Closed by the cycle's orders; the agent's proposal for the name overridden this cycle.`;
    const decisionIds = r.decisions.filter((d) => d.agentId === e.agentId).map((d) => d.decisionId);
    const orderIds = r.orders.filter((o) => o.symbol === e.symbol && o.allocations.some((a) => a.agentId === e.agentId)).map((o) => o.id);
    const entry = {
      id: `${r.cycleId}:stop:${e.agentId}:${e.symbol}`,
      fundId,
      kind: 'OVERRIDE',
      who: 'system:stops',
      role: 'system',
      rationale,
      timestamp: at,
      agentId: e.agentId,
      symbols: [e.symbol],
      links: { decisionIds, orderIds, fillIds: [], proposalIds: [] },
    };
    const head = rationale.length > 80 ? `${rationale.slice(0, 77)}...` : rationale;
    return { fundId, at, author: entry.who, kind: entry.kind, title: `OVERRIDE: ${head}`, body: rationale, tags: [e.symbol, `agent:${e.agentId}`, e.kind], refs: { entry } };
  });
}
