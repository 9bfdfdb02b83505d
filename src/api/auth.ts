import { randomBytes } from 'node:crypto';
import { KeelError, sha256Hex } from '../core/index.ts';
import { PMS_ROLES, type PmsRole } from '../pms/index.ts';
import { hashApiKey, type Store, type User } from '../store/index.ts';

export type Role = PmsRole;
export const ROLES: readonly Role[] = PMS_ROLES;
/** A fund id in `users.fund_ids` that means every fund (honoured for admins only). */
export const ALL_FUNDS = '*';
export const SESSION_COOKIE = 'keel_session';

/** The authenticated caller. `credential` is a hash naming the key or session (for rate limiting). */
export interface Principal {
  readonly userId: string;
  readonly name: string;
  readonly role: Role;
  readonly fundIds: readonly string[];
  readonly credential: string;
  readonly via: 'key' | 'session';
}

export function isRole(s: string): s is Role {
  return (ROLES as readonly string[]).includes(s);
}

/** True when the caller may see `fundId` (membership, or `*` for an admin). */
export function canSeeFund(p: Principal, fundId: string): boolean {
  return p.fundIds.includes(fundId) || (p.role === 'admin' && p.fundIds.includes(ALL_FUNDS));
}

/** True when the role is one of `allowed`; admin may do everything. */
export function hasRole(p: Principal, allowed: readonly Role[]): boolean {
  return p.role === 'admin' || allowed.includes(p.role);
}

function principalOf(u: User, credential: string, via: Principal['via']): Principal | undefined {
  if (!isRole(u.role)) return undefined;
  return { userId: u.id, name: u.name, role: u.role, fundIds: u.fundIds, credential, via };
}

interface Session {
  readonly userId: string;
  readonly principal: Principal;
  expiresAt: number;
}

/**
 * Resolves credentials to principals. API keys are looked up by their hash (cached for a few
 * seconds so hot endpoints do not hit the database on every request; a rotated key stops working
 * within `keyCacheMs`). Sessions live in memory with an idle expiry.
 */
export class Authenticator {
  private readonly keyCache = new Map<string, { principal: Principal | undefined; until: number }>();
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly store: Store,
    private readonly now: () => number,
    private readonly sessionTtlMs: number,
    private readonly keyCacheMs = 5_000,
  ) {}

  async byApiKey(key: string): Promise<Principal | undefined> {
    const h = hashApiKey(key);
    const t = this.now();
    const hit = this.keyCache.get(h);
    if (hit && hit.until > t) return hit.principal;
    const u = await this.store.users.findByApiKey(key);
    const principal = u ? principalOf(u, h, 'key') : undefined;
    if (this.keyCache.size > 10_000) this.keyCache.clear();
    this.keyCache.set(h, { principal, until: t + this.keyCacheMs });
    return principal;
  }

  /** The principal of a key validated within `keyCacheMs`, without a database lookup; undefined otherwise. */
  knownApiKey(key: string): Principal | undefined {
    const hit = this.keyCache.get(hashApiKey(key));
    return hit && hit.until > this.now() ? hit.principal : undefined;
  }

  bySession(token: string): Principal | undefined {
    const s = this.sessions.get(sha256Hex(token));
    if (!s) return undefined;
    const t = this.now();
    if (s.expiresAt <= t) {
      this.sessions.delete(sha256Hex(token));
      return undefined;
    }
    s.expiresAt = t + this.sessionTtlMs;
    return s.principal;
  }

  /** Checks name + key and opens a session; returns the token (only its hash is kept). */
  async login(name: string, key: string): Promise<{ token: string; principal: Principal }> {
    const p = await this.byApiKey(key);
    if (!p || p.name !== name) throw new KeelError('KEEL_E_UNAUTHORIZED', 'unknown user or wrong key');
    const token = randomBytes(32).toString('base64url');
    const h = sha256Hex(token);
    const principal: Principal = { ...p, credential: `s:${h}`, via: 'session' };
    this.sessions.set(h, { userId: p.userId, principal, expiresAt: this.now() + this.sessionTtlMs });
    return { token, principal };
  }

  logout(token: string): void {
    this.sessions.delete(sha256Hex(token));
  }

  /** Forgets cached keys (after a rotation in this process). */
  clearCache(): void {
    this.keyCache.clear();
  }
}

/** Reads `Authorization: Bearer <key>`; undefined when absent or malformed. */
export function bearerKey(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const m = /^Bearer\s+(\S{1,512})$/i.exec(header.trim());
  return m?.[1];
}

/**
 * Reads one cookie from a Cookie header; undefined when absent or not a valid %-encoding (a
 * malformed cookie is no credential, never an error: `/healthz` must answer whatever the browser sends).
 */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) {
      try {
        return decodeURIComponent(part.slice(i + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** A fresh API key: 32 random bytes, url-safe, prefixed so it is recognisable in a secret scanner. */
export function newApiKey(): string {
  return `keel_${randomBytes(32).toString('base64url')}`;
}
