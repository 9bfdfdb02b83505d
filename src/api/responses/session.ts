import { z } from 'zod';
import { isoTime, PMS_ROLES } from '../../contracts/index.ts';

export const Role = z.enum(PMS_ROLES);
/** The caller as the session routes show it (`fundIds` `*` = every fund). */
export const User = z.object({ id: z.string(), name: z.string(), role: Role, fundIds: z.array(z.string()) });
export const SessionAnswer = z.object({ user: User });
export const MeAnswer = z.object({ user: User.nullable() });
export const Ok = z.object({ ok: z.literal(true) });

/** A user as admins see it (never its key). */
export const UserRow = User.extend({ createdAt: isoTime, disabledAt: isoTime.nullable() });
export const UsersAnswer = z.object({ users: z.array(UserRow) });
/** A new or rotated key: in this answer only. */
export const UserKeyAnswer = z.object({ user: UserRow, apiKey: z.string().min(1) });

export const Health = z.object({ status: z.literal('ok'), uptimeS: z.number().int().min(0) });
export const Ready = z.object({ status: z.literal('ready'), db: z.literal('ok'), migrations: z.number().int().min(0) });
export const AuditVerified = z.object({ ok: z.literal(true), rows: z.number().int().min(0) });
/** The OpenAPI document itself (an object; its schema is OpenAPI 3.1's). */
export const OpenApiDocument = z.record(z.string(), z.unknown());
