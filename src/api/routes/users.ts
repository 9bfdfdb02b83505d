import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { id } from '../../contracts/index.ts';
import { ensureDefined, KeelError } from '../../core/index.ts';
import type { User } from '../../store/index.ts';
import { ALL_FUNDS, canSeeFund, newApiKey, ROLES, type Principal } from '../auth.ts';
import { route, type AnyRoute } from '../route.ts';
import * as R from '../responses/index.ts';

const userName = z.string().regex(/^[A-Za-z0-9._@-]{1,100}$/, '1–100 letters, digits or . _ @ -');
const NewUser = z
  .object({ name: userName, role: z.enum(ROLES), fundIds: z.array(id).min(1).max(100) })
  .refine((u) => u.role === 'admin' || !u.fundIds.includes(ALL_FUNDS), { message: "'*' (every fund) is for admins only", path: ['fundIds'] })
  .meta({
    description: "fundIds '*' (every fund) is for admins only.",
    if: { properties: { role: { not: { const: 'admin' } } }, required: ['role'] },
    then: { properties: { fundIds: { items: { not: { const: ALL_FUNDS } } } } },
  });

/** An admin manages only users all of whose funds they can see (a `*` user only by a `*` admin). */
function manages(p: Principal, u: Pick<User, 'fundIds'>): boolean {
  return u.fundIds.every((f) => (f === ALL_FUNDS ? p.fundIds.includes(ALL_FUNDS) : canSeeFund(p, f)));
}

const view = (u: User) => ({ id: u.id, name: u.name, role: u.role, fundIds: u.fundIds, createdAt: u.createdAt, disabledAt: u.disabledAt });

/**
 * Users over HTTP (admin): the same as `keel user add/key/list`, for a server that holds the
 * embedded database (PGlite cannot be opened by a second process while `keel serve` runs).
 */
export const userRoutes: readonly AnyRoute[] = [
  route({
    method: 'GET', url: '/v1/users', tag: 'users', access: ['admin'], summary: 'Users the admin manages (never keys)',
    response: R.UsersAnswer,
    handler: async ({ rt, principal }) => {
      const p = ensureDefined(principal, 'principal');
      return { users: (await rt.store.users.list()).filter((u) => manages(p, u)).map(view) };
    },
  }),
  route({
    method: 'POST', url: '/v1/users', tag: 'users', access: ['admin'], body: NewUser, status: 201,
    summary: 'Create a user for funds the admin sees; the API key is in this answer only', response: R.UserKeyAnswer,
    handler: async ({ rt, principal, body }) => {
      const p = ensureDefined(principal, 'principal');
      const fundIds = [...new Set(body.fundIds)];
      for (const f of fundIds) {
        const isKnown = f === ALL_FUNDS ? p.fundIds.includes(ALL_FUNDS) : canSeeFund(p, f) && (await rt.store.funds.get(f)) !== undefined;
        if (!isKnown) throw new KeelError('KEEL_E_NOT_FOUND', `fund ${f} does not exist`, { field: 'body.fundIds' });
      }
      if ((await rt.store.users.list()).some((u) => u.name === body.name)) throw new KeelError('KEEL_E_ILLEGAL_TRANSITION', `user ${body.name} already exists`, { field: 'body.name' });
      const apiKey = newApiKey();
      const now = rt.nowIso();
      const user = await rt.store.users.create({ id: `user-${randomUUID()}`, name: body.name, role: body.role, fundIds, apiKey, createdAt: now });
      await rt.store.audit.append({ at: now, actor: p.name, action: 'UserCreated', entity: 'user', entityId: user.id, payload: { name: user.name, role: user.role, fundIds } });
      return { user: view(user), apiKey };
    },
  }),
  route({
    method: 'POST', url: '/v1/users/:name/key', tag: 'users', access: ['admin'], params: z.object({ name: userName }),
    summary: "Rotate a user's API key (the old key stops working); the new key is in this answer only", response: R.UserKeyAnswer,
    handler: async ({ rt, principal, params }) => {
      const p = ensureDefined(principal, 'principal');
      const u = (await rt.store.users.list()).find((x) => x.name === params.name);
      if (!u || !manages(p, u)) throw new KeelError('KEEL_E_NOT_FOUND', `user ${params.name} does not exist`, { field: 'params.name' });
      const apiKey = newApiKey();
      await rt.store.users.rotateApiKey(u.id, apiKey);
      rt.auth.clearCache();
      await rt.store.audit.append({ at: rt.nowIso(), actor: p.name, action: 'UserKeyRotated', entity: 'user', entityId: u.id, payload: { name: u.name } });
      return { user: view(u), apiKey };
    },
  }),
];
