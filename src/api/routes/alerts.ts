import { z } from 'zod';
import { AlertCategory, id } from '../../contracts/index.ts';
import { ensureDefined } from '../../core/index.ts';
import { acknowledgeAlert } from '../../pms/index.ts';
import { route, type AnyRoute } from '../route.ts';
import { FundParams, qBool, qInt, reason } from './schemas.ts';
import * as R from '../responses/index.ts';

const AlertParams = FundParams.extend({ alertId: id });
const AlertsQuery = z.object({ unacknowledged: qBool.optional(), category: AlertCategory.optional(), limit: qInt(1, 500).default(100) });
const Acknowledge = z.object({ note: reason.optional() });

/** A fund's alerts, and their acknowledgement by a pm or risk user (who and when, journalled and audited). */
export const alertRoutes: readonly AnyRoute[] = [
  route({
    method: 'GET', url: '/v1/funds/:fundId/alerts', tag: 'alerts', access: 'any', params: FundParams, query: AlertsQuery,
    summary: "The fund's own alerts, newest first, with who acknowledged each and when (unacknowledged=true: only those not acknowledged)",
    response: R.AlertsAnswer,
    handler: async ({ rt, fund, query }) => {
      const f = ensureDefined(fund, 'fund');
      const alerts = await rt.store.alerts.listForFund(f.id, { unacknowledgedOnly: query.unacknowledged ?? false, limit: query.limit, ...(query.category ? { category: query.category } : {}) });
      return { fundId: f.id, alerts };
    },
  }),
  route({
    method: 'POST', url: '/v1/funds/:fundId/alerts/:alertId/acknowledge', tag: 'alerts', access: ['pm', 'risk'], params: AlertParams, body: Acknowledge,
    summary: "Acknowledge one of the fund's alerts: the caller and the time are recorded on it, with a NOTE journal entry and an audit row; 409 when already acknowledged",
    response: R.AlertAcknowledgedAnswer,
    handler: async ({ rt, principal, fund, params, body }) => {
      const p = ensureDefined(principal, 'principal');
      const f = ensureDefined(fund, 'fund');
      return acknowledgeAlert(rt.controlDeps(), { who: p.name, role: p.role }, f.id, params.alertId, body.note);
    },
  }),
];
