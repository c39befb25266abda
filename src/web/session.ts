/** The signed-in token's name and role, so pages offer only what the role may do (the API checks again). */
import { createContext, useContext } from 'react';

export interface Session {
  name: string;
  role: string;
}

export const SessionContext = createContext<Session | null>(null);

export function useCanWrite(): boolean {
  const session = useContext(SessionContext);
  return session !== null && (session.role === 'write' || session.role === 'admin');
}
