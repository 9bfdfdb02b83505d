import { reasonCodeInfo } from '../../contracts/index.ts';
import type { FundReview } from '../review-fund.ts';

/** Final weight (fraction of the agent's capital) of a name in an agent's decision, 0 if absent. */
export function finalOf(r: FundReview, agentId: string, symbol: string): number {
  return r.decisions.find((d) => d.agentId === agentId)?.targets.find((t) => t.symbol === symbol)?.finalWeight ?? 0;
}

export function decisionOf(r: FundReview, agentId: string): FundReview['decisions'][number] {
  const d = r.decisions.find((x) => x.agentId === agentId);
  if (!d) throw new Error(`no decision for ${agentId}`);
  return d;
}

export function codesOf(r: FundReview, agentId: string): string[] {
  return decisionOf(r, agentId).reasons.map((x) => x.code);
}

/** Every reason of a review that is not in the catalogue under its rule (contracts/reason-codes.ts), as `rule/code`. */
export function uncatalogued(r: FundReview): string[] {
  const out: string[] = [];
  for (const d of r.decisions) for (const x of d.reasons) if (!reasonCodeInfo(x.code)?.rules.includes(x.rule)) out.push(`${x.rule}/${x.code}`);
  return out;
}
