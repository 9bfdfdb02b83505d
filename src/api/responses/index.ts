/**
 * Response schemas of the HTTP API: each route declares its success answer with one of these
 * (route.ts `response`), the OpenAPI document publishes them, the server checks its answers against
 * them when KEEL_VALIDATE_RESPONSES=1, and the dashboard infers its types from them (types only).
 * Objects may gain fields: clients must ignore fields they do not know.
 */
export * from './alerts.ts';
export * from './attribution.ts';
export * from './backtests.ts';
export * from './books.ts';
export * from './funds.ts';
export * from './journal.ts';
export * from './market.ts';
export * from './morning-pack.ts';
export * from './proposals.ts';
export * from './risk.ts';
export * from './session.ts';
