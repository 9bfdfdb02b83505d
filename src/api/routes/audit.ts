import { KeelError } from '../../core/index.ts';
import { route, type AnyRoute } from '../route.ts';
import * as R from '../responses/index.ts';

/** Audit chain verification (the chain is fund-wide; risk and admin may verify it). */
export const auditRoutes: readonly AnyRoute[] = [
  route({
    method: 'GET', url: '/v1/audit/verify', tag: 'audit', access: ['risk'], summary: 'Verify the audit hash chain; 409 KEEL_E_AUDIT_TAMPERED naming the first bad row',
    response: R.AuditVerified,
    handler: async ({ rt }) => {
      const v = await rt.store.audit.verify();
      if (!v.ok) throw new KeelError('KEEL_E_AUDIT_TAMPERED', `audit log tampered at row ${v.firstBadId}: ${v.reason}`, { firstBadId: v.firstBadId, reason: v.reason });
      return v;
    },
  }),
];
