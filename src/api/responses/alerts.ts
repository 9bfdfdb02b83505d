import { z } from 'zod';
import { Alert, isoTime } from '../../contracts/index.ts';
import { JournalEntry } from './journal.ts';

/** A fund's alert with its acknowledgement (null: not acknowledged). */
export const FundAlert = Alert.extend({ acknowledgedAt: isoTime.nullable(), acknowledgedBy: z.string().nullable() });
/** GET …/alerts: newest first. */
export const AlertsAnswer = z.object({ fundId: z.string(), alerts: z.array(FundAlert) });
/** POST …/alerts/:alertId/acknowledge: the alert as now stored, the journal entry and the audit row's hash. */
export const AlertAcknowledgedAnswer = z.object({ alert: FundAlert, journalEntry: JournalEntry, auditHash: z.string() });
