import { z } from 'zod';
import { cookieValue, SESSION_COOKIE, type Principal } from '../auth.ts';
import { route, type AnyRoute } from '../route.ts';
import * as R from '../responses/index.ts';

const userView = (p: Principal) => ({ id: p.userId, name: p.name, role: p.role, fundIds: p.fundIds });

const Login = z.object({ name: z.string().min(1).max(200), key: z.string().min(1).max(512) });

/** Dashboard login (HttpOnly cookie) and the caller's identity. */
export const sessionRoutes: readonly AnyRoute[] = [
  route({
    method: 'POST', url: '/v1/session', tag: 'session', access: 'public', body: Login,
    summary: 'Log in with user name and API key; sets an HttpOnly session cookie (Set-Cookie keel_session)',
    response: R.SessionAnswer,
    handler: async ({ rt, body, reply }) => {
      const { token, principal } = await rt.auth.login(body.name, body.key);
      const maxAge = Math.floor((rt.opts.sessionTtlMs ?? 12 * 3_600_000) / 1000);
      reply.header('set-cookie', `${SESSION_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${maxAge}`);
      return { user: userView(principal) };
    },
  }),
  route({
    method: 'DELETE', url: '/v1/session', tag: 'session', access: 'any', summary: 'Log out (ends the session, clears the cookie)',
    response: R.Ok,
    handler: async ({ rt, req, reply }) => {
      const token = cookieValue(req.headers.cookie, SESSION_COOKIE);
      if (token) rt.auth.logout(token);
      reply.header('set-cookie', `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`);
      return { ok: true };
    },
  }),
  route({
    method: 'GET', url: '/v1/me', tag: 'session', access: 'any', summary: 'The caller',
    response: R.MeAnswer,
    handler: async ({ principal }) => ({ user: principal ? userView(principal) : null }),
  }),
];
