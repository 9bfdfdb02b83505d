import type { AgentProposal, CheckResult, Reason, ReasonCode } from '../../contracts/index.ts';
import { reason, reduceOnlyCap, result, setCap, type OverlayCheck, type ReviewContext } from '../context.ts';
import { table } from '../table.ts';

const RULE = 'cross_agent_constraints';

/**
 * Seed fund-overlay-plan §3A, across all agents (books approved this cycle and books of agents not
 * proposing): per name, long and short dollars each ≤ min(5% of the fund, 10% of ADV × price);
 * per sector, each side ≤ 20% of the fund; no new exposure below the minimum market cap or without
 * a price / ADV. The top-5 limit is enforced by the committee after all caps (it needs the final book).
 */
export const CrossAgentConstraintsCheck: OverlayCheck = {
  name: RULE,
  kind: 'fit',
  capsMostNames: true,
  review(_p: AgentProposal, ctx: ReviewContext): CheckResult {
    const a = ctx.agent;
    const U = ctx.universe;
    const L = ctx.ledger;
    const risk = ctx.config.risk;
    const lf = ctx.fund.limitFactor;
    const fundCap = ctx.state.capital;
    const caps = table<number>();
    const removed: string[] = [];
    const reasons: Reason[] = [];
    const nameLimit = risk.maxSingleNamePct * fundCap * lf;
    const effective = ctx.ws.f64('constraints.effective', a.names.length, false);
    for (let i = 0; i < a.names.length; i++) {
      const sym = a.names[i] ?? '';
      const u = a.idx[i] ?? 0;
      const w = a.proposedW[i] ?? 0;
      const cur = a.currentW[i] ?? 0;
      let cap = Math.abs(w);
      const px = U.price[u] ?? Number.NaN;
      if ((U.column[u] ?? -1) < 0 || !(px > 0)) {
        if (w !== 0) {
          removed.push(sym);
          reasons.push(reason(RULE, (U.column[u] ?? -1) < 0 ? 'UNKNOWN_SYMBOL' : 'PRICE_MISSING', 'no price for this name as of the view: it cannot be sized', { symbol: sym }));
        }
        effective[i] = 0;
        continue;
      }
      const mcap = U.marketCap[u] ?? Number.NaN;
      if (Number.isFinite(mcap) && mcap < risk.minMarketCap / lf) {
        const c = reduceOnlyCap(w, cur);
        if (Math.abs(w) > c + 1e-12) reasons.push(reason(RULE, 'MIN_MARKET_CAP', 'market cap below the minimum: no new exposure', { symbol: sym, limit: risk.minMarketCap / lf, actual: mcap }));
        cap = Math.min(cap, c);
      }
      const adv = U.adv[u] ?? Number.NaN;
      let limit = nameLimit;
      let code: ReasonCode = 'SINGLE_NAME_CAP';
      if (!(adv > 0)) {
        const c = reduceOnlyCap(w, cur);
        if (Math.abs(w) > c + 1e-12) reasons.push(reason(RULE, 'ADV_UNKNOWN', 'no average daily volume: no new exposure', { symbol: sym }));
        cap = Math.min(cap, c);
      } else {
        const advLimit = risk.maxAdvPct * adv * px * lf;
        if (advLimit < limit) {
          limit = advLimit;
          code = 'ADV_CAP';
        }
      }
      const side = w >= 0 ? (L.long[u] ?? 0) : (L.short[u] ?? 0);
      const room = Math.max(0, limit - side) / a.capital;
      if (Math.abs(w) > room + 1e-12 && cap > room) {
        const fundActual = (side + Math.abs(w) * a.capital) / fundCap;
        reasons.push(reason(RULE, code, code === 'ADV_CAP' ? 'fund position above 10% of ADV' : 'fund position in one name above its cap', { symbol: sym, limit: limit / fundCap, actual: fundActual }));
        cap = room;
      }
      caps[sym] = Math.max(0, cap); // each name once (a candidate's names are distinct): setCap without the lookup
      effective[i] = Math.min(Math.abs(w), cap) * Math.sign(w);
    }
    // sector caps, by side: dollars per (sector, side), the pairs in first-seen order
    const secLimit = risk.maxSectorPct * fundCap * lf;
    const S = U.sectorNames.length;
    const slot = ctx.ws.i32('constraints.slot', 2 * S);
    const dollarsOf = ctx.ws.f64('constraints.dollars', 2 * S);
    const pairs = ctx.ws.i32('constraints.pairs', 2 * S, false);
    let np = 0;
    for (let i = 0; i < a.names.length; i++) {
      const e = effective[i] ?? 0;
      if (e === 0) continue;
      const key = 2 * (U.sector[a.idx[i] ?? 0] ?? 0) + (e > 0 ? 0 : 1);
      if (slot[key] === 0) {
        slot[key] = 1;
        pairs[np++] = key;
      }
      dollarsOf[key] = (dollarsOf[key] ?? 0) + Math.abs(e) * a.capital;
    }
    for (let k = 0; k < np; k++) {
      const key = pairs[k] ?? 0;
      const s = key >> 1;
      const side = (key & 1) === 0 ? 1 : -1;
      const dollars = dollarsOf[key] ?? 0;
      const used = side > 0 ? (L.sectorLong[s] ?? 0) : (L.sectorShort[s] ?? 0);
      const room = Math.max(0, secLimit - used);
      if (dollars <= room + 1e-6) continue;
      const f = room / dollars;
      const sector = U.sectorNames[s] ?? 'Unknown';
      for (let i = 0; i < a.names.length; i++) {
        const e = effective[i] ?? 0;
        if (e === 0 || (U.sector[a.idx[i] ?? 0] ?? 0) !== s || Math.sign(e) !== side) continue;
        setCap(caps, a.names[i] ?? '', Math.abs(e) * f);
      }
      reasons.push(reason(RULE, 'SECTOR_CAP', `${side > 0 ? 'long' : 'short'} exposure to ${sector} above the fund sector cap`, { sector, limit: risk.maxSectorPct * lf, actual: (used + dollars) / fundCap }));
    }
    const status = reasons.length > 0 ? 'BREACH' : 'OK';
    return result(RULE, { status, caps, removed, reasons });
  },
};
