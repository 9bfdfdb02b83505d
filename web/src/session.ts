import { createContext, useContext } from 'react';
import type { Fund, Role, User } from './api/types.ts';

/** What a role may do (docs/api.md "roles" column). Admin may do everything. */
export const PERMISSIONS = {
  approve: ['pm', 'admin'],
  modify: ['pm', 'admin'],
  reject: ['pm', 'risk', 'admin'],
  killSwitch: ['risk', 'admin'],
  backtest: ['pm', 'risk', 'admin'],
  stress: ['risk', 'admin'],
  note: ['pm', 'risk', 'admin'],
  pauseAgent: ['risk', 'admin'],
  acknowledge: ['pm', 'risk', 'admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(user: User | null, p: Permission): boolean {
  return user !== null && (PERMISSIONS[p] as readonly Role[]).includes(user.role);
}

export interface SessionValue {
  readonly user: User;
  readonly funds: readonly Fund[];
  readonly fundId: string;
  /** `/v1/funds/<id>` — prefix for fund-scoped routes. */
  readonly base: string;
  readonly refreshFunds: () => void;
}

export const SessionContext = createContext<SessionValue | null>(null);

export function useSession(): SessionValue {
  const s = useContext(SessionContext);
  if (s === null) throw new Error('useSession outside the signed-in app');
  return s;
}
