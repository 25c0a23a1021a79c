import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { type LiveConnection } from './api/live.js';
import { type Session } from './session/token.js';

export interface SessionState {
  session: Session;
  live: LiveConnection;
  signOut(reason?: string): void;
}

export interface ScopeServer {
  id: string;
  name: string;
  /** The standby member of a switchover pair (it refuses logons until it takes over). */
  standby?: boolean;
}

export interface ScopeAccount {
  id: string;
  name: string;
  kind: string;
  /** null while allocation is unavailable (the rest of the account still answers). */
  servers: ScopeServer[] | null;
}

/** The accounts the signed-in person may look at, and the one chosen in the header. */
export interface ScopeState {
  accounts: ScopeAccount[];
  account: ScopeAccount | undefined;
  selectAccount(id: string): void;
}

export const SessionContext = createContext<SessionState | undefined>(undefined);
export const ScopeContext = createContext<ScopeState | undefined>(undefined);

export function useSession(): SessionState {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside a signed-in page');
  return value;
}

export function useScope(): ScopeState {
  const value = useContext(ScopeContext);
  if (!value) throw new Error('useScope outside a signed-in page');
  return value;
}
