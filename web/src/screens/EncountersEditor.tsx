import { useCallback, useEffect, useState, type SubmitEvent } from 'react';
import { ApiError, request } from '../api.js';
import { ErrorMessage, FieldError, Loading } from '../components/Messages.js';
import { describeDischargeStatus, dischargeStatusLabels } from '../discharge-status.js';
import { formatDateTime } from '../format.js';

interface EncounterRow {
  id: string;
  accountNumber: string;
  type: string;
  status: string;
  admitAt: string;
  dischargeAt: string | null;
  dischargeStatus: string | null;
  admissionSource: string | null;
  admissionType: string | null;
  reasonForVisit: string | null;
  location: string | null;
}

interface Draft {
  accountNumber: string;
  type: string;
  admitAt: string;
  dischargeAt: string;
  dischargeStatus: string;
  reasonForVisit: string;
}
const TYPES = ['inpatient', 'outpatient', 'emergency', 'observation'];

/** ISO instant -> value of a datetime-local input (local time), and back. */
const toLocal = (iso: string | null) =>
  iso ? new Date(new Date(iso).getTime() - new Date(iso).getTimezoneOffset() * 60000).toISOString().slice(0, 16) : '';
const fromLocal = (v: string) => (v ? new Date(v).toISOString() : null);

function draftOf(e: EncounterRow | null): Draft {
  return e
    ? {
        accountNumber: e.accountNumber,
        type: e.type,
        admitAt: toLocal(e.admitAt),
        dischargeAt: toLocal(e.dischargeAt),
        dischargeStatus: e.dischargeStatus ?? '',
        reasonForVisit: e.reasonForVisit ?? '',
      }
    : { accountNumber: '', type: 'outpatient', admitAt: '', dischargeAt: '', dischargeStatus: '', reasonForVisit: '' };
}

/** A patient's encounters: add one, correct one (type, admission and discharge, UB-04 discharge status), cancel one. */
export function EncountersEditor({ patientId }: { patientId: string }) {
  const [rows, setRows] = useState<EncounterRow[] | null>(null);
  const [editing, setEditing] = useState<EncounterRow | 'new' | null>(null);
  const [draft, setDraft] = useState<Draft>(draftOf(null));
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const base = `/api/patients/${encodeURIComponent(patientId)}/encounters`;

  const load = useCallback(() => {
    request<{ items: EncounterRow[] }>('GET', base).then((r) => setRows(r.items), setError);
  }, [base]);
  useEffect(load, [load]);

  function start(e: EncounterRow | 'new') {
    setEditing(e);
    setDraft(draftOf(e === 'new' ? null : e));
    setError(null);
  }

  async function save(ev: SubmitEvent) {
    ev.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (editing === 'new') {
        await request('POST', base, {
          body: {
            accountNumber: draft.accountNumber.trim(),
            type: draft.type,
            admitAt: fromLocal(draft.admitAt) ?? '',
            ...(draft.dischargeAt ? { dischargeAt: fromLocal(draft.dischargeAt) } : {}),
            ...(draft.dischargeStatus ? { dischargeStatus: draft.dischargeStatus } : {}),
            ...(draft.reasonForVisit.trim() ? { reasonForVisit: draft.reasonForVisit.trim() } : {}),
          },
        });
      } else if (editing) {
        await request('PATCH', `${base}/${encodeURIComponent(editing.id)}`, {
          body: {
            type: draft.type,
            admitAt: fromLocal(draft.admitAt) ?? undefined,
            dischargeAt: fromLocal(draft.dischargeAt),
            dischargeStatus: draft.dischargeStatus || null,
            reasonForVisit: draft.reasonForVisit.trim() || null,
          },
        });
      }
      setEditing(null);
      load();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  async function cancelEncounter(e: EncounterRow) {
    setError(null);
    try {
      await request('POST', `${base}/${encodeURIComponent(e.id)}/cancel`, { body: { reason: null } });
      load();
    } catch (err) {
      setError(err);
    }
  }

  const errors = error instanceof ApiError ? error.fieldErrors : {};
  return (
    <section className="section" aria-labelledby="enc-h">
      <div className="page-head">
        <h2 id="enc-h">Encounters</h2>
        <button type="button" className="btn btn-small" onClick={() => start('new')}>
          Add encounter
        </button>
      </div>
      <ErrorMessage error={editing ? null : error} />
      {!rows ? (
        <Loading />
      ) : rows.length === 0 ? (
        <p className="muted">No encounters.</p>
      ) : (
        <div className="table-scroll">
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">Account</th>
                <th scope="col">Type</th>
                <th scope="col">Status</th>
                <th scope="col">Admitted</th>
                <th scope="col">Discharged</th>
                <th scope="col">Discharge status</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((e) => (
                <tr key={e.id}>
                  <td className="mono">{e.accountNumber}</td>
                  <td>{e.type}</td>
                  <td>{e.status === 'cancelled' ? <span className="badge badge-dark">cancelled</span> : e.status}</td>
                  <td>{formatDateTime(e.admitAt)}</td>
                  <td>{formatDateTime(e.dischargeAt)}</td>
                  <td className="small">{describeDischargeStatus(e.dischargeStatus)}</td>
                  <td className="row">
                    {e.status !== 'cancelled' && (
                      <button type="button" className="btn btn-small" onClick={() => start(e)}>
                        Edit
                      </button>
                    )}
                    {e.status !== 'cancelled' && (
                      <button
                        type="button"
                        className="btn btn-small"
                        onClick={() => void cancelEncounter(e)}
                        title="Registered in error: keeps the row, marked cancelled"
                      >
                        Cancel
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {editing && (
        <form
          onSubmit={(e) => void save(e)}
          noValidate
          className="card card-form section"
          aria-label={editing === 'new' ? 'New encounter' : 'Edit encounter'}
        >
          <ErrorMessage error={error} />
          <div className="form-grid">
            <div className="field">
              <label htmlFor="enc-account">Account number</label>
              <input
                id="enc-account"
                value={draft.accountNumber}
                disabled={editing !== 'new'}
                onChange={(e) => setDraft({ ...draft, accountNumber: e.target.value })}
              />
              <FieldError id="enc-account-err" message={errors.accountNumber} />
            </div>
            <div className="field">
              <label htmlFor="enc-type">Type</label>
              <select id="enc-type" value={draft.type} onChange={(e) => setDraft({ ...draft, type: e.target.value })}>
                {TYPES.map((t) => (
                  <option key={t} value={t}>
                    {t}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="enc-admit">Admitted</label>
              <input
                id="enc-admit"
                type="datetime-local"
                value={draft.admitAt}
                onChange={(e) => setDraft({ ...draft, admitAt: e.target.value })}
              />
              <FieldError id="enc-admit-err" message={errors.admitAt} />
            </div>
            <div className="field">
              <label htmlFor="enc-discharge">Discharged</label>
              <input
                id="enc-discharge"
                type="datetime-local"
                value={draft.dischargeAt}
                onChange={(e) => setDraft({ ...draft, dischargeAt: e.target.value })}
              />
              <FieldError id="enc-discharge-err" message={errors.dischargeAt} />
            </div>
            <div className="field">
              <label htmlFor="enc-dstatus">Discharge status (UB-04)</label>
              <select
                id="enc-dstatus"
                value={draft.dischargeStatus}
                onChange={(e) => setDraft({ ...draft, dischargeStatus: e.target.value })}
              >
                <option value="">—</option>
                {Object.keys(dischargeStatusLabels).map((c) => (
                  <option key={c} value={c}>
                    {describeDischargeStatus(c)}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="enc-reason">Reason for visit</label>
              <input
                id="enc-reason"
                value={draft.reasonForVisit}
                maxLength={200}
                onChange={(e) => setDraft({ ...draft, reasonForVisit: e.target.value })}
              />
            </div>
          </div>
          <div className="row">
            <button type="submit" className="btn btn-primary" disabled={busy}>
              Save encounter
            </button>
            <button type="button" className="btn" onClick={() => setEditing(null)}>
              Close
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
