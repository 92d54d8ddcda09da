/**
 * The signed-in session: a verified token and the purpose stated for this session, both kept in
 * sessionStorage (gone when the tab closes). The server still decides everything; the principal
 * here only chooses which pages to offer.
 */
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";
import type { VerifiedPrincipal } from "../api/session-endpoints";
import { PURPOSE_KEY, SESSION_KEY } from "./storage";

export interface Session {
  token: string;
  principal: VerifiedPrincipal;
  expiresAt: string;
}

interface SessionState {
  session: Session | null;
  purpose: string | null;
  signIn(session: Session): void;
  setPurpose(purpose: string): void;
  signOut(): void;
}

function readStored(): Session | null {
  const raw = sessionStorage.getItem(SESSION_KEY);
  if (!raw) return null;
  const stored = JSON.parse(raw) as Session;
  return Date.parse(stored.expiresAt) > Date.now() ? stored : null;
}

const SessionContext = createContext<SessionState | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(readStored);
  const [purpose, setPurposeState] = useState<string | null>(() => sessionStorage.getItem(PURPOSE_KEY));

  const signIn = useCallback((next: Session) => {
    sessionStorage.setItem(SESSION_KEY, JSON.stringify(next));
    setSession(next);
  }, []);
  const setPurpose = useCallback((next: string) => {
    sessionStorage.setItem(PURPOSE_KEY, next);
    setPurposeState(next);
  }, []);
  const signOut = useCallback(() => {
    sessionStorage.removeItem(SESSION_KEY);
    sessionStorage.removeItem(PURPOSE_KEY);
    setSession(null);
    setPurposeState(null);
  }, []);

  const value = useMemo(() => ({ session, purpose, signIn, setPurpose, signOut }), [session, purpose, signIn, setPurpose, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error("useSession outside SessionProvider");
  return state;
}

/** The signed-in principal; only rendered inside the signed-in shell. */
export function usePrincipal(): VerifiedPrincipal {
  const { session } = useSession();
  if (!session) throw new Error("usePrincipal without a session");
  return session.principal;
}
