import { z } from 'zod';
import { ensureDefined } from '../../core/index.ts';
import { varDrilldown } from '../../pms/index.ts';
import { riskInputs } from '../risk-book.ts';
import { rawJson, route, type AnyRoute } from '../route.ts';
import { FundParams, qDate } from './schemas.ts';

const Share = z.number().meta({ description: 'componentVar / fundVar (0 when the fund VaR is 0)' });

/** GET …/risk/var-drilldown: Euler component VaR by position and by sector; each list sums to `fundVar`. */
export const VarDrilldownResponse = z.object({
  asOf: z.string(),
  nav: z.number(),
  confidence: z.number(),
  horizonDays: z.number(),
  fundVar: z.number(),
  sigma: z.number(),
  positions: z.array(z.object({ symbol: z.string(), sector: z.string(), exposure: z.number(), marginalVar: z.number(), componentVar: z.number(), share: Share })),
  sectors: z.array(z.object({ sector: z.string(), net: z.number(), gross: z.number(), componentVar: z.number(), share: Share, names: z.number().int() })),
  missingReturns: z.array(z.string()),
});
export type VarDrilldownResponse = z.infer<typeof VarDrilldownResponse>;

/** The fund VaR drill-down: component VaR per name and per sector. */
export const riskDrilldownRoutes: readonly AnyRoute[] = [
  route({
    method: 'GET', url: '/v1/funds/:fundId/risk/var-drilldown', tag: 'risk', access: 'any', params: FundParams, query: z.object({ asOf: qDate.optional() }),
    summary: "The fund's one-day parametric VaR at the fund's confidence (risk.varConfidence) split by position and by sector: Euler components (exposure × marginal VaR) over the risk monitor's book, returns window and covariance, so each list sums to fundVar, the monitor's parametric VaR at that confidence",
    response: VarDrilldownResponse,
    handler: async ({ rt, fund, query }) => {
      const f = ensureDefined(fund, 'fund');
      const key = `var-drilldown:${query.asOf ?? 'latest'}`;
      return rt.cache.get(f.id, key, async () => {
        const { book, config, symbols, returns } = await riskInputs(rt, f, query.asOf);
        const d = varDrilldown({ positions: book.positions, returns: { panel: returns, symbols }, confidence: config.risk.varConfidence });
        return rawJson({ asOf: book.asOf, nav: book.nav, ...d });
      }, rt.reportTtl);
    },
  }),
];
