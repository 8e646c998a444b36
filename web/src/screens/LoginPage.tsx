import { useEffect, useRef, useState, type SubmitEvent } from 'react';
import { api, ApiError } from '../api.js';
import { ErrorMessage, FieldError, formLevelError, Notice } from '../components/Messages.js';

interface Props {
  /** A message to show above the form, e.g. after an automatic sign-out. */
  notice: string | null;
  onSignedIn: () => Promise<void>;
}

/** Sign-in with username and password, then a 6-digit TOTP code when the server asks for it (mfa_required). */
export function LoginPage({ notice, onSignedIn }: Props) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [needCode, setNeedCode] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const codeRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    document.title = 'Sign in – Custodian';
  }, []);
  useEffect(() => {
    if (needCode) codeRef.current?.focus();
  }, [needCode]);

  async function submit(e: SubmitEvent) {
    e.preventDefault();
    if (busy) return;
    setError(null);
    if (needCode && !/^\d{6}$/.test(code)) {
      setError(new Error('Enter the 6-digit code from your authenticator app.'));
      codeRef.current?.focus();
      return;
    }
    setBusy(true);
    try {
      await api.login(username.trim(), password, needCode ? code : undefined);
      await onSignedIn();
    } catch (err) {
      if (err instanceof ApiError && err.code === 'mfa_required') {
        if (needCode) {
          setError(err);
          setCode('');
        }
        setNeedCode(true);
      } else {
        setError(err);
        if (err instanceof ApiError && (err.status === 401 || err.code === 'locked')) {
          setPassword('');
          setCode('');
          if (!needCode) passwordRef.current?.focus();
        }
      }
    } finally {
      setBusy(false);
    }
  }

  const fe = error instanceof ApiError ? error.fieldErrors : {};
  return (
    <div className="login-wrap">
      <main className="login-card" aria-labelledby="login-title">
        <div className="brand brand-large" aria-hidden="true">
          <span className="brand-mark">C</span> Custodian
        </div>
        <h1 id="login-title">Sign in</h1>
        <p className="muted small">Health information management. Authorized users only; all access is logged.</p>
        {notice && <Notice kind="warning">{notice}</Notice>}
        <div aria-live="assertive">
          <ErrorMessage error={formLevelError(error, ['username', 'password'])} />
        </div>
        <form onSubmit={(e) => void submit(e)} noValidate>
          <div className="field">
            <label htmlFor="login-username">Username</label>
            <input
              id="login-username"
              name="username"
              autoComplete="username"
              autoCapitalize="none"
              spellCheck={false}
              required
              autoFocus
              value={username}
              onChange={(e) => setUsername(e.target.value)}
              disabled={needCode}
              aria-describedby={fe.username ? 'login-username-err' : undefined}
            />
            <FieldError id="login-username-err" message={fe.username} />
          </div>
          <div className="field">
            <label htmlFor="login-password">Password</label>
            <input
              id="login-password"
              ref={passwordRef}
              name="password"
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              disabled={needCode}
              aria-describedby={fe.password ? 'login-password-err' : undefined}
            />
            <FieldError id="login-password-err" message={fe.password} />
          </div>
          {needCode && (
            <div className="field">
              <label htmlFor="login-code">Verification code</label>
              <input
                id="login-code"
                ref={codeRef}
                name="code"
                inputMode="numeric"
                autoComplete="one-time-code"
                pattern="\d{6}"
                maxLength={6}
                required
                value={code}
                onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))}
                aria-describedby="login-code-help"
                className="input-code"
              />
              <div className="help" id="login-code-help">
                The 6-digit code from your authenticator app.
              </div>
            </div>
          )}
          <div className="form-actions">
            <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
              {busy ? 'Signing in…' : needCode ? 'Verify and sign in' : 'Sign in'}
            </button>
            {needCode && (
              <button
                type="button"
                className="btn btn-link"
                onClick={() => {
                  setNeedCode(false);
                  setCode('');
                  setPassword('');
                  setError(null);
                }}
              >
                Use a different account
              </button>
            )}
          </div>
        </form>
      </main>
      <p className="login-foot small muted">For privacy, sessions end automatically after a period of inactivity.</p>
    </div>
  );
}
