import { describe, expect, it } from 'vitest';
import { parseFundConfig } from '../contracts/index.ts';
import { limitsOf } from './risk-book.ts';

describe('the risk monitor reads each limit at the confidence it is set at', () => {
  it('the VaR and CVaR limits (risk.varConfidence) against the figures at that confidence, not CVaR99 against a CVaR95 limit', () => {
    const at95 = parseFundConfig({ fund: {} });
    const l95 = limitsOf(at95);
    expect(l95.find((l) => l.name.startsWith('CVaR'))).toMatchObject({ name: 'CVaR 95% (1d)', metric: 'cvar95', limit: at95.risk.cvarLimitPct });
    expect(l95.find((l) => l.name.startsWith('VaR'))).toMatchObject({ name: 'VaR 95% (1d)', metric: 'var95', limit: at95.risk.varLimitPct });
    const at99 = parseFundConfig({ fund: {}, risk: { varConfidence: 0.99 } });
    expect(limitsOf(at99).find((l) => l.name.startsWith('CVaR'))).toMatchObject({ name: 'CVaR 99% (1d)', metric: 'cvar99', limit: at99.risk.cvarLimitPct });
  });
});
