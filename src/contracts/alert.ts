import { z } from 'zod';
import { id, isoTime, traceId, version } from './common.ts';

export const AlertSeverity = z.enum(['LOW', 'MEDIUM', 'HIGH', 'CRITICAL']);
export type AlertSeverity = z.infer<typeof AlertSeverity>;
export const AlertCategory = z.enum(['RISK', 'PERFORMANCE', 'SYSTEM', 'MARKET_DATA', 'TRADING', 'DATA_QUALITY']);
export type AlertCategory = z.infer<typeof AlertCategory>;

/** A notification (seed: mini-quant-fund §9). Alerts with the same `dedupKey` inside the window are merged. */
export const Alert = z.object({
  version,
  id,
  traceId,
  fundId: id.nullable().default(null),
  severity: AlertSeverity,
  category: AlertCategory,
  title: z.string().min(1).max(200),
  message: z.string().max(4000),
  dedupKey: z.string().min(1).max(200),
  timestamp: isoTime,
  context: z.record(z.string(), z.unknown()).default({}),
});
export type Alert = z.infer<typeof Alert>;
