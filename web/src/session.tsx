import { createContext, useContext } from 'react';
import type { Session } from './api.js';

export interface SessionValue {
  session: Session;
  can: (permission: string) => boolean;
  signOut: () => Promise<void>;
}

export const SessionContext = createContext<SessionValue | null>(null);

/** The signed-in user's session; only inside the app shell. */
export function useSession(): SessionValue {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside the signed-in app');
  return s;
}
