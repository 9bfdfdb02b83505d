import { KeelError } from '../../core/index.ts';
import type { StoredAlert } from '../../store/index.ts';
import { addJournalEntry } from '../desk/journal-store.ts';
import type { JournalEntry } from '../journal/journal-entry.ts';
import { recordDecision } from '../journal/record-decision.ts';
import type { ControlActor, ControlDeps } from './kill-switch.ts';

/** What an acknowledgement did: the alert as now stored, its journal entry and audit row. */
export interface AlertAcknowledged {
  readonly alert: StoredAlert;
  readonly journalEntry: JournalEntry;
  readonly auditHash: string;
}

/**
 * Acknowledges one of a fund's alerts: who and when on the alert, a NOTE journal entry and an
 * `AlertAcknowledged` audit row in one transaction, then `alert.acknowledged`. An alert of another
 * fund (or a fund-wide one) is not found; an acknowledged one is refused (409) naming who did it.
 */
export async function acknowledgeAlert(d: ControlDeps, a: ControlActor, fundId: string, alertId: string, note?: string): Promise<AlertAcknowledged> {
  const alert = await d.store.alerts.get(alertId);
  if (!alert || alert.fundId !== fundId) throw new KeelError('KEEL_E_NOT_FOUND', `alert ${alertId} of fund ${fundId} does not exist`, { field: 'params.alertId' });
  const already = (x: StoredAlert) =>
    new KeelError('KEEL_E_ILLEGAL_TRANSITION', `alert ${alertId} was already acknowledged by ${x.acknowledgedBy ?? 'someone'} at ${x.acknowledgedAt ?? 'an unknown time'}`, { field: 'params.alertId', acknowledgedBy: x.acknowledgedBy, acknowledgedAt: x.acknowledgedAt });
  if (alert.acknowledgedAt !== null) throw already(alert);
  const r = recordDecision({
    id: d.ids.next('note'),
    fundId,
    kind: 'NOTE',
    who: a.who,
    role: a.role,
    rationale: `acknowledged alert ${alertId} (${alert.severity} ${alert.category}: ${alert.title})${note ? `: ${note}` : ''}`,
    timestamp: d.now,
  });
  if (!r.ok) throw new KeelError(r.error.keelCode, r.error.message, { field: r.error.code === 'INVALID_INPUT' ? r.error.field : 'role' });
  const audit = await d.store.transaction(async (tx) => {
    // A concurrent acknowledgement wins the row; this one changes nothing.
    if (!(await tx.alerts.acknowledge(alertId, a.who, d.now))) throw already((await tx.alerts.get(alertId)) ?? alert);
    await addJournalEntry(tx, r.value);
    return tx.audit.append({ at: d.now, actor: a.who, action: 'AlertAcknowledged', entity: 'alert', entityId: alertId, payload: { fundId, role: a.role, severity: alert.severity, category: alert.category, title: alert.title, ...(note ? { note } : {}) } });
  });
  await d.bus.publish('alert.acknowledged', { fundId, alertId, who: a.who, at: d.now });
  return { alert: { ...alert, acknowledgedAt: d.now, acknowledgedBy: a.who }, journalEntry: r.value, auditHash: audit.hash };
}
