import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api, setActivityHandler, setCsrfToken, setSessionLostHandler, type Session } from './api.js';
import { Loading } from './components/Messages.js';
import { IdleWarning } from './components/IdleWarning.js';
import { Router } from './router.js';
import { SessionContext, type SessionValue } from './session.js';
import { AppShell } from './screens/AppShell.js';
import { LoginPage } from './screens/LoginPage.js';
import { MfaEnrolPage } from './screens/MfaEnrolPage.js';
import { RoiDownloadPage } from './screens/RoiDownloadPage.js';

export const inactivityNotice = 'You were signed out after inactivity. Sign in again to continue.';

type State = { phase: 'loading' } | { phase: 'signed-out'; notice: string | null } | { phase: 'signed-in'; session: Session };

/** Holds the session: probes it at start, signs in and out, and returns to sign-in when the server ends it. */
export function App() {
  const [state, setState] = useState<State>({ phase: 'loading' });
  const lastActivity = useRef(Date.now());

  const loadSession = useCallback(async () => {
    const s = await api.session();
    setCsrfToken(s.csrfToken);
    lastActivity.current = Date.now();
    setState({ phase: 'signed-in', session: s });
  }, []);

  const endLocally = useCallback((notice: string | null) => {
    setCsrfToken(null);
    setState({ phase: 'signed-out', notice });
  }, []);

  useEffect(() => {
    setSessionLostHandler(() => endLocally(inactivityNotice));
    setActivityHandler(() => {
      lastActivity.current = Date.now();
    });
    loadSession().catch(() => endLocally(null));
    return () => {
      setSessionLostHandler(null);
      setActivityHandler(null);
    };
  }, [loadSession, endLocally]);

  const signOut = useCallback(async () => {
    try {
      await api.logout();
    } catch {
      // Signed out locally regardless; the server session ends by itself at the idle timeout.
    }
    // The next person at this workstation starts from the start page, not the last record opened.
    window.history.replaceState(null, '', '/');
    endLocally('You have signed out.');
  }, [endLocally]);

  const session = state.phase === 'signed-in' ? state.session : null;
  const value = useMemo<SessionValue | null>(
    () => (session ? { session, can: (p) => session.permissions.includes(p), signOut } : null),
    [session, signOut],
  );

  // A secure download link of a released packet (src/modules/roi): for a recipient without an account.
  const download = /^\/roi-download\/([A-Za-z0-9_-]{20,100})$/.exec(window.location.pathname);
  if (download?.[1]) return <RoiDownloadPage token={download[1]} />;
  if (state.phase === 'loading') return <Loading label="Starting Custodian…" />;
  if (state.phase === 'signed-out' || !value) {
    return <LoginPage notice={state.phase === 'signed-out' ? state.notice : null} onSignedIn={loadSession} />;
  }
  if (value.session.mfaSetupRequired) {
    return <MfaEnrolPage displayName={value.session.user.displayName} onEnabled={loadSession} onSignOut={() => void signOut()} />;
  }
  return (
    <SessionContext.Provider value={value}>
      <Router>
        <AppShell />
      </Router>
      <IdleWarning
        idleSeconds={value.session.idleTimeoutSeconds}
        lastActivity={lastActivity}
        onStay={() =>
          api.session().then(
            (s) => setCsrfToken(s.csrfToken),
            () => endLocally(inactivityNotice),
          )
        }
        onExpired={() => {
          // Another tab may have kept the session alive: ask the server before leaving. When this tab alone was
          // idle the server's deadline passed first (it counted from the request, this tab from the answer): 401.
          api.session().then(
            (s) => setCsrfToken(s.csrfToken),
            () => endLocally(inactivityNotice),
          );
        }}
        onSignOut={() => void signOut()}
      />
    </SessionContext.Provider>
  );
}
