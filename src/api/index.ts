/**
 * api: the HTTP server (Fastify). Thin: validates with zod, authenticates (API key or session),
 * authorises by role and fund, calls the domain, maps KeelErrors to HTTP statuses. See docs/api.md.
 */
export { buildServer, REDACT_PATHS } from './server.ts';
export type { ServerOptions, RateLimitOptions } from './options.ts';
export { DEFAULT_RATE_LIMIT } from './rate-limit.ts';
export { ALL_FUNDS, ROLES, isRole, newApiKey, SESSION_COOKIE, type Role, type Principal } from './auth.ts';
export { allRoutes } from './routes/index.ts';
export { openApiDocument } from './openapi.ts';
export { MAX_ERROR_BODY_BYTES, type ErrorBody } from './http-error.ts';
export type { AnyRoute, Access, HttpMethod } from './route.ts';
// response schemas of the risk views and the ticket impact (issue 17)
export { RiskHistoryResponse, RiskAsOfResponse } from './routes/risk-history.ts';
export { VarDrilldownResponse } from './routes/risk-drilldown.ts';
export { ProposalImpactResponse } from './routes/proposal-impact.ts';
export { AlertsAnswer, AlertAcknowledgedAnswer } from './responses/index.ts';
