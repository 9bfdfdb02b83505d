/**
 * One sample request per route (path parameters filled for a fund tag `a` or `b`), used by the
 * authorisation matrix and the bad-input sweep. A route without a sample fails the matrix.
 */
import { allRoutes, type AnyRoute } from '../../../src/api/index.ts';

export interface Sample {
  readonly body?: unknown;
  readonly query?: string;
}

export function samples(symbol: string, lastDate: string): Record<string, Sample> {
  return {
    'POST /v1/session': { body: { name: 'pmA', key: 'wrong' } },
    'POST /v1/users': { body: { name: 'matrix-user', role: 'viewer', fundIds: ['fund-a'] } },
    // fund-a exists: admins get 409 here; a fund is created for real in the workflow test
    'POST /v1/funds': { body: { id: 'fund-a', name: 'Matrix fund', config: { fund: { totalCapital: 1_000_000 } }, reason: 'matrix' } },
    'POST /v1/funds/:fundId/agents': { body: { id: 'new-agent', strategy: 'momentum', bucket: 'directional_equity', allocatedCapital: 1_000_000, reason: 'matrix' } },
    'PATCH /v1/funds/:fundId/agents/:agentId/risk': { body: { riskParams: { maxPositionPct: 0.04 }, reason: 'matrix' } },
    'POST /v1/funds/:fundId/agents/:agentId/pause': { body: { reason: 'matrix pause' } },
    'POST /v1/funds/:fundId/agents/:agentId/resume': { body: { reason: 'matrix resume' } },
    'POST /v1/funds/:fundId/agents/:agentId/rearm': { body: { reason: 'matrix rearm' } },
    'GET /v1/market/bars/:symbol': { query: `from=${lastDate}&to=${lastDate}` },
    'POST /v1/funds/:fundId/proposals/:proposalId/approve': { body: { why: 'matrix approve' } },
    'POST /v1/funds/:fundId/proposals/:proposalId/reject': { body: { why: 'matrix reject' } },
    'POST /v1/funds/:fundId/proposals/:proposalId/modify': { body: { why: 'matrix modify', size: 0.5 } },
    'POST /v1/funds/:fundId/trades': { body: { symbol, side: 'BUY', qty: 10, rationale: 'matrix ticket' } },
    'POST /v1/funds/:fundId/journal': { body: { rationale: 'matrix note' } },
    'GET /v1/funds/:fundId/risk/as-of': { query: `date=${lastDate}` },
    'POST /v1/funds/:fundId/stress': { body: { scenarios: ['gfc_2008'] } },
    'POST /v1/risk/review': { body: { fund: { capital: 1_000_000 }, proposals: [{ agentId: 'momentum', targets: [{ symbol, weight: 0.05 }] }] } },
    'POST /v1/funds/:fundId/alerts/:alertId/acknowledge': { body: { note: 'matrix acknowledge' } },
    'POST /v1/funds/:fundId/kill-switch/trip': { body: { reason: 'matrix trip' } },
    'POST /v1/funds/:fundId/kill-switch/rearm': { body: { reason: 'matrix rearm' } },
    'POST /v1/funds/:fundId/backtests': { body: { from: '2019-02-01', to: '2019-02-08' } },
  };
}

export const keyOfRoute = (r: AnyRoute): string => `${r.method} ${r.url}`;

/** The URL of a route for a fund tag (`a` → fund-a and its records). */
export function urlFor(r: AnyRoute, tag: string, symbol: string, sample: Sample | undefined): string {
  const url = r.url
    .replace(':fundId', `fund-${tag}`)
    .replace(':agentId', 'momentum')
    .replace(':proposalId', `prop-${tag}-2`)
    .replace(':orderId', `ord-${tag}-1`)
    .replace(':backtestId', `bt-${tag}-seed`)
    .replace(':alertId', `al-${tag}-1`)
    .replace(':symbol', symbol)
    .replace(':name', 'matrix-user');
  return sample?.query ? `${url}?${sample.query}` : url;
}

/** Routes the sweep exercises (SSE streams forever, so it is tested against a running server). */
export const injectableRoutes = (): AnyRoute[] => allRoutes().filter((r) => r.url !== '/v1/events');
