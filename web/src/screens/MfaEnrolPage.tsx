import { useEffect, useState, type SubmitEvent } from 'react';
import { api, ApiError } from '../api.js';
import { ErrorMessage, FieldError, formLevelError, Loading } from '../components/Messages.js';

/** Second-factor enrolment for users who must use TOTP (administrators) and have not set it up yet. */
export function MfaEnrolPage({
  displayName,
  onEnabled,
  onSignOut,
}: {
  displayName: string;
  onEnabled: () => Promise<void>;
  onSignOut: () => void;
}) {
  const [setup, setSetup] = useState<{ secret: string; otpauthUrl: string } | null>(null);
  const [code, setCode] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    document.title = 'Set up two-step verification – Custodian';
    let live = true;
    api.mfaSetup().then(
      (s) => live && setSetup(s),
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, []);

  async function submit(e: SubmitEvent) {
    e.preventDefault();
    if (!/^\d{6}$/.test(code)) {
      setError(new Error('Enter the 6-digit code your authenticator app shows.'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api.mfaEnable(code);
      await onEnabled();
    } catch (err) {
      setError(err);
      setCode('');
    } finally {
      setBusy(false);
    }
  }

  const fe = error instanceof ApiError ? error.fieldErrors : {};
  return (
    <div className="login-wrap">
      <main className="login-card login-card-wide" aria-labelledby="mfa-title">
        <h1 id="mfa-title">Set up two-step verification</h1>
        <p>
          {displayName}, your role must sign in with a second factor. Add this account to an authenticator app (for example one that
          supports TOTP, RFC 6238), then enter the code it shows.
        </p>
        <div aria-live="assertive">
          <ErrorMessage error={formLevelError(error, ['code'])} />
        </div>
        {!setup && !error && <Loading label="Creating your secret…" />}
        {setup && (
          <>
            <dl className="kv kv-stacked">
              <dt>Secret key (enter it by hand)</dt>
              <dd>
                <code className="secret">{setup.secret.replace(/(.{4})/g, '$1 ').trim()}</code>
              </dd>
              <dt>Set-up link (otpauth)</dt>
              <dd>
                <code className="wrap">{setup.otpauthUrl}</code>
              </dd>
            </dl>
            <form onSubmit={(e) => void submit(e)} noValidate>
              <div className="field">
                <label htmlFor="mfa-code">Code from the app</label>
                <input
                  id="mfa-code"
                  className="input-code"
                  inputMode="numeric"
                  autoComplete="one-time-code"
                  maxLength={6}
                  value={code}
                  onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))}
                  autoFocus
                  aria-describedby={fe.code ? 'mfa-code-err' : undefined}
                />
                <FieldError id="mfa-code-err" message={fe.code} />
              </div>
              <div className="form-actions row">
                <button type="submit" className="btn btn-primary" disabled={busy}>
                  {busy ? 'Checking…' : 'Turn on two-step verification'}
                </button>
                <button type="button" className="btn" onClick={onSignOut}>
                  Sign out
                </button>
              </div>
            </form>
          </>
        )}
      </main>
    </div>
  );
}
