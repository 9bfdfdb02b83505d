import { KeelError } from '../../core/index.ts';
import { rawResponse, route, type AnyRoute } from '../route.ts';
import * as R from '../responses/index.ts';

const started = Date.now();

/** Health, readiness and Prometheus metrics. */
export const opsRoutes: readonly AnyRoute[] = [
  route({
    method: 'GET', url: '/healthz', tag: 'operations', access: 'public', summary: 'Liveness: the process answers',
    response: R.Health,
    handler: async () => ({ status: 'ok', uptimeS: Math.round((Date.now() - started) / 1000) }),
  }),
  route({
    method: 'GET', url: '/readyz', tag: 'operations', access: 'public', summary: 'Readiness: the database answers; 503 KEEL_E_STORE when it does not',
    response: R.Ready,
    handler: async ({ rt }) => {
      try {
        const r = await rt.store.db.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations');
        return { status: 'ready', db: 'ok', migrations: r.rows[0]?.n ?? 0 };
      } catch (e) {
        throw new KeelError('KEEL_E_STORE', `database not ready: ${e instanceof Error ? e.message : String(e)}`);
      }
    },
  }),
  route({
    method: 'GET', url: '/metrics', tag: 'operations', access: ['admin'], summary: 'Prometheus metrics (text exposition format)',
    response: rawResponse('text/plain'),
    handler: async ({ rt }) => ({ raw: true, contentType: rt.opts.metrics.registry.contentType, body: await rt.opts.metrics.registry.metrics() }),
  }),
];
