import { docsHtml, openApiDocument } from '../openapi.ts';
import { rawResponse, route, type AnyRoute } from '../route.ts';
import { agentDetailRoutes } from './agent-detail.ts';
import { alertRoutes } from './alerts.ts';
import { bookRoutes } from './books.ts';
import { fundRoutes } from './funds.ts';
import { marketRoutes } from './market.ts';
import { opsRoutes } from './ops.ts';
import { sessionRoutes } from './session.ts';
import { attributionRoutes } from './attribution.ts';
import { auditRoutes } from './audit.ts';
import { backtestRoutes } from './backtests.ts';
import { eventRoutes } from './events.ts';
import { journalRoutes } from './journal.ts';
import { killSwitchRoutes } from './kill-switch.ts';
import { morningPackRoutes } from './morning-pack.ts';
import { proposalRoutes } from './proposals.ts';
import { proposalImpactRoutes } from './proposal-impact.ts';
import { riskRoutes } from './risk.ts';
import { riskDrilldownRoutes } from './risk-drilldown.ts';
import { riskHistoryRoutes } from './risk-history.ts';
import { tradeRoutes } from './trades.ts';
import { userRoutes } from './users.ts';
import * as R from '../responses/index.ts';

/** Every domain route, in documentation order. */
export function domainRoutes(): AnyRoute[] {
  return [
    ...opsRoutes, ...sessionRoutes, ...userRoutes, ...fundRoutes, ...agentDetailRoutes, ...marketRoutes, ...bookRoutes, ...proposalRoutes, ...proposalImpactRoutes, ...tradeRoutes, ...journalRoutes,
    ...morningPackRoutes, ...riskRoutes, ...riskHistoryRoutes, ...riskDrilldownRoutes, ...alertRoutes, ...killSwitchRoutes, ...backtestRoutes, ...auditRoutes, ...eventRoutes,
    ...attributionRoutes,
  ];
}

/** Every route the server serves: the domain routes and the documentation generated from them. */
export function allRoutes(): AnyRoute[] {
  const routes = domainRoutes();
  const docs: AnyRoute[] = [
    route({ method: 'GET', url: '/docs/openapi.json', tag: 'operations', access: 'public', summary: 'The OpenAPI document', response: R.OpenApiDocument, handler: async () => doc }),
    route({ method: 'GET', url: '/docs', tag: 'operations', access: 'public', summary: 'API documentation page', response: rawResponse('text/html'), handler: async () => ({ raw: true, contentType: 'text/html; charset=utf-8', body: html }) }),
  ];
  const doc = openApiDocument([...routes, ...docs]);
  const html = docsHtml([...routes, ...docs]);
  return [...routes, ...docs];
}
