import { useCallback, useEffect, useState, type SubmitEvent } from 'react';
import { api, ApiError, type UserAction, type UserRow } from '../api.js';
import { ErrorMessage, FieldError, formLevelError, Loading, Notice, describedBy } from '../components/Messages.js';
import { formatDateTime } from '../format.js';
import { roles, roleTitle } from '../roles.js';
import { useSession } from '../session.js';
import { usePageTitle } from './StaticPages.js';

const actionText: Record<UserAction, { label: string; done: string; confirm?: string }> = {
  disable: {
    label: 'Disable',
    done: 'disabled',
    confirm: 'Disable this account? The user is signed out and cannot sign in until enabled.',
  },
  enable: { label: 'Enable', done: 'enabled' },
  'reset-mfa': {
    label: 'Reset MFA',
    done: 'MFA reset',
    confirm: 'Reset two-step verification? The user must enrol a new authenticator at next sign-in.',
  },
  unlock: { label: 'Unlock', done: 'unlocked' },
};

/** User accounts (HIPAA 164.312(a)(2)(i) unique user identification): create, disable, reset MFA, unlock. */
export function UsersAdminPage() {
  usePageTitle('User administration');
  const { session } = useSession();
  const [users, setUsers] = useState<UserRow[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [pending, setPending] = useState<{ id: string; action: UserAction } | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      setUsers((await api.users()).items);
    } catch (err) {
      setError(err);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  async function run(u: UserRow, action: UserAction) {
    if (actionText[action].confirm && !(pending?.id === u.id && pending.action === action)) {
      setPending({ id: u.id, action });
      return;
    }
    setPending(null);
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      await api.userAction(u.id, action);
      setNotice(`${u.username}: ${actionText[action].done}.`);
      await load();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const now = Date.now();
  return (
    <section className="page">
      <h1>User administration</h1>
      <div aria-live="polite">
        {notice && <Notice kind="success">{notice}</Notice>}
        <ErrorMessage error={error} />
      </div>
      {!users && !error && <Loading />}
      {users && (
        <div className="table-scroll">
          <table className="data-table">
            <caption className="sr-only">User accounts</caption>
            <thead>
              <tr>
                <th scope="col">Username</th>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">Status</th>
                <th scope="col">Two-step</th>
                <th scope="col">Work email</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {users.map((u) => {
                const locked = u.lockedUntil !== null && Date.parse(u.lockedUntil) > now;
                const self = u.id === session.user.id;
                const confirm = pending?.id === u.id ? actionText[pending.action].confirm : undefined;
                return (
                  <tr key={u.id}>
                    <td className="mono">{u.username}</td>
                    <td>{u.displayName}</td>
                    <td>{roleTitle(u.role)}</td>
                    <td>
                      {u.disabled ? <span className="badge badge-bad">Disabled</span> : <span className="badge badge-ok">Active</span>}
                      {locked && (
                        <span className="badge badge-warn" title={`Locked until ${formatDateTime(u.lockedUntil)}`}>
                          Locked
                        </span>
                      )}
                    </td>
                    <td>{u.mfaEnabled ? 'On' : <span className="muted">Off</span>}</td>
                    <td>
                      <EmailCell
                        user={u}
                        onSaved={async (email) => {
                          setNotice(`${u.username}: work email ${email ? 'saved' : 'cleared'}.`);
                          await load();
                        }}
                        onError={setError}
                      />
                    </td>
                    <td>
                      {confirm ? (
                        <div className="confirm" role="group" aria-label="Confirm">
                          <span className="small">{confirm}</span>
                          <button
                            type="button"
                            className="btn btn-small btn-danger"
                            disabled={busy}
                            onClick={() => void run(u, pending!.action)}
                            autoFocus
                          >
                            Yes, {actionText[pending!.action].label.toLowerCase()}
                          </button>
                          <button type="button" className="btn btn-small" onClick={() => setPending(null)}>
                            Cancel
                          </button>
                        </div>
                      ) : (
                        <div className="row">
                          {u.disabled ? (
                            <button type="button" className="btn btn-small" disabled={busy} onClick={() => void run(u, 'enable')}>
                              Enable
                            </button>
                          ) : (
                            <button
                              type="button"
                              className="btn btn-small"
                              disabled={busy || self}
                              title={self ? 'You cannot disable your own account' : undefined}
                              onClick={() => void run(u, 'disable')}
                            >
                              Disable
                            </button>
                          )}
                          {u.mfaEnabled && (
                            <button
                              type="button"
                              className="btn btn-small"
                              disabled={busy || self}
                              title={self ? 'Another administrator resets your second factor' : undefined}
                              onClick={() => void run(u, 'reset-mfa')}
                            >
                              Reset MFA
                            </button>
                          )}
                          {locked && (
                            <button type="button" className="btn btn-small" disabled={busy} onClick={() => void run(u, 'unlock')}>
                              Unlock
                            </button>
                          )}
                        </div>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <CreateUser
        onCreated={async (name) => {
          setNotice(`User ${name} created.`);
          await load();
        }}
      />
    </section>
  );
}

const emptyForm = { username: '', displayName: '', role: 'coder', password: '' };

/** A user's work email (where completion notices are emailed), edited in place. */
function EmailCell({
  user,
  onSaved,
  onError,
}: {
  user: UserRow;
  onSaved: (email: string | null) => Promise<void>;
  onError: (e: unknown) => void;
}) {
  const [value, setValue] = useState(user.email ?? '');
  const [busy, setBusy] = useState(false);
  const changed = value.trim() !== (user.email ?? '');
  return (
    <form
      className="row"
      onSubmit={(e) => {
        e.preventDefault();
        setBusy(true);
        const email = value.trim() === '' ? null : value.trim();
        api.setUserEmail(user.id, email).then(
          () => onSaved(email).finally(() => setBusy(false)),
          (err: unknown) => {
            onError(err);
            setBusy(false);
          },
        );
      }}
    >
      <input
        type="email"
        aria-label={`Work email of ${user.username}`}
        value={value}
        onChange={(e) => setValue(e.target.value)}
        maxLength={254}
      />
      <button type="submit" className="btn btn-small" disabled={busy || !changed}>
        Save
      </button>
    </form>
  );
}

function CreateUser({ onCreated }: { onCreated: (username: string) => Promise<void> }) {
  const [form, setForm] = useState(emptyForm);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: SubmitEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.createUser({ ...form, username: form.username.trim(), displayName: form.displayName.trim() });
      setForm(emptyForm);
      await onCreated(form.username.trim());
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const fe = error instanceof ApiError ? error.fieldErrors : {};
  const set = (k: keyof typeof emptyForm) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));
  return (
    <section className="section card card-form" aria-labelledby="new-user-h">
      <h2 id="new-user-h">New user</h2>
      <div aria-live="assertive">
        <ErrorMessage error={formLevelError(error, ['username', 'displayName', 'role', 'password'])} />
      </div>
      <form onSubmit={(e) => void submit(e)} className="form-grid" noValidate>
        <div className="field">
          <label htmlFor="nu-username">Username</label>
          <input
            id="nu-username"
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            required
            value={form.username}
            onChange={set('username')}
            aria-invalid={fe.username ? true : undefined}
            aria-describedby={describedBy(fe.username && 'nu-username-err')}
          />
          <FieldError id="nu-username-err" message={fe.username} />
        </div>
        <div className="field">
          <label htmlFor="nu-name">Full name</label>
          <input
            id="nu-name"
            autoComplete="off"
            required
            value={form.displayName}
            onChange={set('displayName')}
            aria-invalid={fe.displayName ? true : undefined}
            aria-describedby={describedBy(fe.displayName && 'nu-name-err')}
          />
          <FieldError id="nu-name-err" message={fe.displayName} />
        </div>
        <div className="field">
          <label htmlFor="nu-role">Role</label>
          <select id="nu-role" value={form.role} onChange={set('role')} aria-describedby={describedBy(fe.role && 'nu-role-err')}>
            {roles.map((r) => (
              <option key={r} value={r}>
                {roleTitle(r)}
              </option>
            ))}
          </select>
          <FieldError id="nu-role-err" message={fe.role} />
        </div>
        <div className="field">
          <label htmlFor="nu-password">Initial password</label>
          <input
            id="nu-password"
            type="password"
            autoComplete="new-password"
            required
            value={form.password}
            onChange={set('password')}
            aria-invalid={fe.password ? true : undefined}
            aria-describedby={describedBy('nu-password-help', fe.password && 'nu-password-err')}
          />
          <div className="help" id="nu-password-help">
            At least 15 characters, not a common password, not containing the username or the user's name. Give it to the user in person;
            administrators set up two-step verification at first sign-in.
          </div>
          <FieldError id="nu-password-err" message={fe.password} />
        </div>
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? 'Creating…' : 'Create user'}
          </button>
        </div>
      </form>
    </section>
  );
}
