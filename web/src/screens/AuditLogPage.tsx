import { useCallback, useEffect, useState, type SubmitEvent } from 'react';
import { api, ApiError, type AuditEvent, type AuditFilter, type PatientListItem, type VerifyResult } from '../api.js';
import { ErrorMessage, FieldError, formLevelError, Loading, Notice } from '../components/Messages.js';
import { formatDateTime } from '../format.js';
import { roleTitle } from '../roles.js';
import { Link, useRouter } from '../router.js';
import { useSession } from '../session.js';
import { BreakGlassReview } from './BreakGlassReview.js';
import { usePageTitle } from './StaticPages.js';

/** Audit actions the server writes (src/modules/audit/audit.service.ts AuditAction), labelled for people. */
export const auditActionLabels: Record<string, string> = {
  read: 'Viewed',
  search: 'Searched',
  create: 'Created',
  update: 'Changed',
  delete: 'Deleted',
  export: 'Exported',
  login: 'Signed in',
  login_failed: 'Failed sign-in',
  logout: 'Signed out',
  session_expired: 'Session expired',
  access_denied: 'Access denied',
  break_glass: 'Broke the glass',
  verify: 'Verified chain',
  account_locked: 'Account locked',
  account_unlocked: 'Account unlocked',
  user_disabled: 'User disabled',
  user_enabled: 'User enabled',
  mfa_enrolled: 'Second factor enrolled',
  mfa_reset: 'Second factor reset',
  password_changed: 'Password changed',
};

/** HL7 v3 PurposeOfUse codes the server records. */
export const purposeLabels: Record<string, string> = {
  TREAT: 'Treatment',
  ETREAT: 'Emergency treatment (break the glass)',
  HPAYMT: 'Payment',
  HOPERAT: 'Healthcare operations',
  HRESCH: 'Research',
  PATRQT: 'Patient request',
  HCOMPL: 'Compliance',
  LEGAL: 'Legal',
  PUBHLTH: 'Public health',
};

const pageSize = 100;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The audit trail (HIPAA 164.312(b)): filter by patient, user, action and dates; export; verify the hash chain. */
export function AuditLogPage() {
  usePageTitle('Audit log');
  const { location } = useRouter();
  const { can } = useSession();
  const initialPatient = new URLSearchParams(location.search).get('patientId') ?? '';
  const [form, setForm] = useState<AuditFilter>({ patientId: initialPatient });
  const [applied, setApplied] = useState<AuditFilter>({ patientId: initialPatient });
  const [items, setItems] = useState<AuditEvent[]>([]);
  const [next, setNext] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  // The patient filter as typed (name, MRN or id); the filter itself carries the patient's id only.
  const [patientText, setPatientText] = useState(initialPatient);
  const [patientChoices, setPatientChoices] = useState<PatientListItem[] | null>(null);
  const [patientLabel, setPatientLabel] = useState<string | null>(null);
  const [users, setUsers] = useState<{ id: string; username: string; displayName: string; role: string }[]>([]);
  useEffect(() => {
    api.userDirectory().then((r) => setUsers(r.items), setError);
  }, []);

  const fetchPage = useCallback(async (f: AuditFilter, after: number | null) => {
    setBusy(true);
    setError(null);
    try {
      const res = await api.auditEvents(clean(f), after, pageSize);
      setItems((prev) => (after === null ? res.items : [...prev, ...res.items]));
      setNext(res.nextBeforeSeq);
    } catch (err) {
      setError(err);
      if (after === null) setItems([]);
    } finally {
      setBusy(false);
    }
  }, []);

  useEffect(() => {
    void fetchPage(applied, null);
  }, [applied, fetchPage]);

  // A link to /audit?patientId=... while on this page (e.g. from the review list) applies that filter.
  useEffect(() => {
    if (initialPatient) {
      setPatientText(initialPatient);
      setForm({ patientId: initialPatient });
      setApplied((a) => (a.patientId === initialPatient && Object.keys(a).length === 1 ? a : { patientId: initialPatient }));
    }
  }, [initialPatient]);

  async function submit(e: SubmitEvent) {
    e.preventDefault();
    if (form.from && form.to && form.from > form.to) {
      setError(new Error('The “from” date is after the “to” date.'));
      return;
    }
    setPatientChoices(null);
    const text = patientText.trim();
    if (!text || UUID.test(text)) {
      setPatientLabel(null);
      setApplied({ ...form, patientId: text });
      return;
    }
    // A name or MRN: the patient search (a POST, so the words stay out of URLs) finds the record to filter by.
    try {
      const found = (await api.searchPatients(text)).items;
      if (found.length === 0) setError(new Error('No patient matches that name or MRN.'));
      else if (found.length === 1) choosePatient(found[0]!);
      else setPatientChoices(found);
    } catch (err) {
      setError(err);
    }
  }

  function choosePatient(p: PatientListItem) {
    setPatientChoices(null);
    setPatientLabel(`${p.familyName.toUpperCase()}, ${p.givenName} (MRN ${p.mrn})`);
    setForm((f) => ({ ...f, patientId: p.id }));
    setApplied({ ...form, patientId: p.id });
  }

  function reset() {
    setForm({});
    setApplied({});
    setPatientText('');
    setPatientLabel(null);
    setPatientChoices(null);
  }

  const [verifying, setVerifying] = useState(false);
  const [verifyResult, setVerifyResult] = useState<VerifyResult | null>(null);
  const [verifyError, setVerifyError] = useState<unknown>(null);
  async function verify() {
    setVerifying(true);
    setVerifyError(null);
    setVerifyResult(null);
    try {
      setVerifyResult(await api.verifyAudit());
    } catch (err) {
      setVerifyError(err);
    } finally {
      setVerifying(false);
    }
  }

  const fe = error instanceof ApiError ? error.fieldErrors : {};
  const set = (k: keyof AuditFilter) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));
  return (
    <section className="page">
      <div className="page-head">
        <h1>Audit log</h1>
        <div className="row">
          <a className="btn" href={api.auditCsvUrl(clean(applied))} download>
            Download CSV
          </a>
          {can('audit:verify') && (
            <button type="button" className="btn" onClick={() => void verify()} disabled={verifying}>
              {verifying ? 'Verifying…' : 'Verify chain'}
            </button>
          )}
        </div>
      </div>
      <div aria-live="polite">
        <VerifyOutcome result={verifyResult} error={verifyError} />
      </div>
      {can('break-glass:review') && <BreakGlassReview />}
      <h2 className="section">
        Events <span className="muted small heading-note">newest first</span>
      </h2>
      <form className="filters" onSubmit={(e) => void submit(e)} aria-label="Audit log filters">
        <div className="field">
          <label htmlFor="f-patient">Patient (name, MRN or id)</label>
          <input
            id="f-patient"
            value={patientText}
            onChange={(e) => {
              setPatientText(e.target.value);
              setPatientLabel(null);
            }}
            spellCheck={false}
            autoComplete="off"
            aria-describedby="f-patient-err"
          />
          <FieldError id="f-patient-err" message={fe.patientId} />
        </div>
        <div className="field">
          <label htmlFor="f-user">User</label>
          <select id="f-user" value={form.userId ?? ''} onChange={set('userId')} aria-describedby="f-user-err">
            <option value="">Any user</option>
            {users.map((u) => (
              <option key={u.id} value={u.id}>
                {u.displayName} ({u.username}, {roleTitle(u.role)})
              </option>
            ))}
          </select>
          <FieldError id="f-user-err" message={fe.userId} />
        </div>
        <div className="field">
          <label htmlFor="f-action">Action</label>
          <select id="f-action" value={form.action ?? ''} onChange={set('action')}>
            <option value="">Any action</option>
            {Object.entries(auditActionLabels).map(([k, v]) => (
              <option key={k} value={k}>
                {v} ({k})
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-from">From</label>
          <input id="f-from" type="date" value={form.from ?? ''} onChange={set('from')} aria-describedby="f-from-err" />
          <FieldError id="f-from-err" message={fe.from} />
        </div>
        <div className="field">
          <label htmlFor="f-to">To (inclusive)</label>
          <input id="f-to" type="date" value={form.to ?? ''} onChange={set('to')} aria-describedby="f-to-err" />
          <FieldError id="f-to-err" message={fe.to} />
        </div>
        <div className="field filters-actions">
          <button type="submit" className="btn btn-primary">
            Apply filters
          </button>
          <button type="button" className="btn" onClick={reset}>
            Clear
          </button>
        </div>
      </form>
      {patientChoices && (
        <div className="card" role="group" aria-label="Choose the patient">
          <p className="small">Several patients match: choose one.</p>
          <ul className="plain-list">
            {patientChoices.map((p) => (
              <li key={p.id}>
                <button type="button" className="btn-link" onClick={() => choosePatient(p)}>
                  {p.familyName.toUpperCase()}, {p.givenName} · MRN {p.mrn}
                  {p.restricted ? ' · restricted' : ''}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      {applied.patientId && (
        <p className="small" data-testid="audit-patient">
          Showing every access to {patientLabel ?? 'one patient’s record'}.{' '}
          <Link to={`/patients/${encodeURIComponent(applied.patientId)}`}>Open the patient summary</Link>
        </p>
      )}
      <div aria-live="polite">
        <ErrorMessage error={formLevelError(error, ['patientId', 'userId', 'from', 'to'])} />
      </div>
      <div className="table-scroll">
        <table className="data-table" aria-busy={busy}>
          <caption className="sr-only">Audit events, newest first</caption>
          <thead>
            <tr>
              <th scope="col" className="num">
                Seq
              </th>
              <th scope="col">When</th>
              <th scope="col">User</th>
              <th scope="col">Action</th>
              <th scope="col">Resource</th>
              <th scope="col">Patient id</th>
              <th scope="col">Outcome</th>
              <th scope="col">Purpose</th>
              <th scope="col">From</th>
              <th scope="col">Detail</th>
            </tr>
          </thead>
          <tbody>
            {items.map((e) => (
              <tr key={e.seq}>
                <td className="num mono">{e.seq}</td>
                <td className="nowrap">{formatDateTime(e.occurredAt)}</td>
                <td>
                  {e.username ?? <span className="muted">unknown</span>}
                  {e.role && <div className="muted small">{roleTitle(e.role)}</div>}
                </td>
                <td>{auditActionLabels[e.action] ?? e.action}</td>
                <td>
                  {e.resourceType}
                  {e.resourceId && (
                    <div className="muted small mono" title={e.resourceId}>
                      {shortId(e.resourceId)}
                    </div>
                  )}
                </td>
                <td className="mono small">
                  {e.patientId ? (
                    <button
                      type="button"
                      className="btn-link mono"
                      title={`Show events for patient ${e.patientId}`}
                      onClick={() => {
                        setPatientText(e.patientId!);
                        setForm({ patientId: e.patientId! });
                        setApplied({ patientId: e.patientId! });
                      }}
                    >
                      {shortId(e.patientId)}
                    </button>
                  ) : (
                    ''
                  )}
                </td>
                <td>
                  <span className={`badge ${e.outcome === 'success' ? 'badge-ok' : 'badge-bad'}`}>{e.outcome}</span>
                </td>
                <td className="mono small" title={e.purposeOfUse ? purposeLabels[e.purposeOfUse] : undefined}>
                  {e.purposeOfUse ?? ''}
                </td>
                <td className="small" title={e.userAgent ?? undefined}>
                  {e.ip ?? ''}
                </td>
                <td className="small mono detail-cell">{e.detail ? formatDetail(e.detail) : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {busy && <Loading label="Loading events…" />}
      {!busy && items.length === 0 && !error && <p className="muted">No audit events match these filters.</p>}
      {!busy && next !== null && (
        <button type="button" className="btn" onClick={() => void fetchPage(applied, next)}>
          Load more
        </button>
      )}
      {!busy && items.length > 0 && next === null && (
        <p className="muted small">
          {items.length} event{items.length === 1 ? '' : 's'} – end of the log for these filters.
        </p>
      )}
    </section>
  );
}

/** The outcome of walking the hash chain: intact, or the first broken link named. */
function VerifyOutcome({ result, error }: { result: VerifyResult | null; error: unknown }) {
  if (error) return <ErrorMessage error={error} />;
  if (!result) return null;
  if (result.ok)
    return (
      <Notice kind="success">
        Audit chain intact: {result.checked.toLocaleString()} events checked, none edited, removed or reordered.
      </Notice>
    );
  const b = result.firstBreak;
  return (
    <div className="msg msg-error" role="alert">
      Audit chain broken at event {b?.seq ?? '?'} ({b?.kind ?? 'unknown'}): {b?.message ?? ''}. {result.checked.toLocaleString()} events
      verified before it. Report this to the compliance officer.
    </div>
  );
}

function clean(f: AuditFilter): AuditFilter {
  const out: AuditFilter = {};
  for (const [k, v] of Object.entries(f) as [keyof AuditFilter, string | undefined][]) if (v && v.trim()) out[k] = v.trim();
  return out;
}

function shortId(id: string): string {
  return id.length > 13 ? `${id.slice(0, 8)}…` : id;
}

/** Audit details hold ids, counts and reasons only (never PHI): show them compactly. */
export function formatDetail(d: Record<string, unknown>): string {
  return Object.entries(d)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
}
