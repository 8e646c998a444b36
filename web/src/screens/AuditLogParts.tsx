import type { SubmitEvent } from 'react';
import type { AuditEvent, AuditFilter, PatientListItem } from '../api.js';
import { FieldError, describedBy } from '../components/Messages.js';
import { formatDateTime } from '../format.js';
import { roleTitle } from '../roles.js';
import { Link } from '../router.js';

/** The parts of the audit log page (AuditLogPage.tsx): the filters form, the patient choice, the events table. */

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

/** A user the filter can name (the user directory). */
export interface AuditUser {
  id: string;
  username: string;
  displayName: string;
  role: string;
}

/** The filters form: patient (as typed), user, action and dates. */
export function AuditFilters({
  form,
  setForm,
  patientText,
  onPatientText,
  users,
  fe,
  onSubmit,
  onReset,
}: {
  form: AuditFilter;
  setForm: (update: (f: AuditFilter) => AuditFilter) => void;
  patientText: string;
  onPatientText: (text: string) => void;
  users: AuditUser[];
  fe: Record<string, string | undefined>;
  onSubmit: (e: SubmitEvent) => Promise<void>;
  onReset: () => void;
}) {
  const set = (k: keyof AuditFilter) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));
  return (
    <form className="filters" onSubmit={(e) => void onSubmit(e)} aria-label="Audit log filters">
      <div className="field">
        <label htmlFor="f-patient">Patient (name, MRN or id)</label>
        <input
          id="f-patient"
          value={patientText}
          onChange={(e) => onPatientText(e.target.value)}
          spellCheck={false}
          autoComplete="off"
          aria-describedby={describedBy(fe.patientId && 'f-patient-err')}
        />
        <FieldError id="f-patient-err" message={fe.patientId} />
      </div>
      <div className="field">
        <label htmlFor="f-user">User</label>
        <select id="f-user" value={form.userId ?? ''} onChange={set('userId')} aria-describedby={describedBy(fe.userId && 'f-user-err')}>
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
        <input
          id="f-from"
          type="date"
          value={form.from ?? ''}
          onChange={set('from')}
          aria-describedby={describedBy(fe.from && 'f-from-err')}
        />
        <FieldError id="f-from-err" message={fe.from} />
      </div>
      <div className="field">
        <label htmlFor="f-to">To (inclusive)</label>
        <input id="f-to" type="date" value={form.to ?? ''} onChange={set('to')} aria-describedby={describedBy(fe.to && 'f-to-err')} />
        <FieldError id="f-to-err" message={fe.to} />
      </div>
      <div className="field filters-actions">
        <button type="submit" className="btn btn-primary">
          Apply filters
        </button>
        <button type="button" className="btn" onClick={onReset}>
          Clear
        </button>
      </div>
    </form>
  );
}

/** Several patients match the words typed: the user chooses one. */
export function PatientChoices({ choices, onChoose }: { choices: PatientListItem[]; onChoose: (p: PatientListItem) => void }) {
  return (
    <div className="card" role="group" aria-label="Choose the patient">
      <p className="small">Several patients match: choose one.</p>
      <ul className="plain-list">
        {choices.map((p) => (
          <li key={p.id}>
            <button type="button" className="btn-link" onClick={() => onChoose(p)}>
              {p.familyName.toUpperCase()}, {p.givenName} · MRN {p.mrn}
              {p.restricted ? ' · restricted' : ''}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Whose record the events shown are of, with a link to the patient summary. */
export function PatientFilterNote({ patientId, label }: { patientId: string; label: string | null }) {
  return (
    <p className="small" data-testid="audit-patient">
      Showing every access to {label ?? 'one patient’s record'}.{' '}
      <Link to={`/patients/${encodeURIComponent(patientId)}`}>Open the patient summary</Link>
    </p>
  );
}

/** The audit events, newest first; a patient id shows that patient's events. */
export function AuditEventsTable({
  items,
  busy,
  onPatient,
}: {
  items: AuditEvent[];
  busy: boolean;
  onPatient: (patientId: string) => void;
}) {
  return (
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
                    onClick={() => onPatient(e.patientId!)}
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
  );
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
