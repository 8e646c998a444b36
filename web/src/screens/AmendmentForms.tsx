import { useState, type ReactNode, type SyntheticEvent } from 'react';
import { ApiError, type PatientListItem } from '../api.js';
import { ErrorMessage } from '../components/Messages.js';
import {
  amendmentsApi,
  todayLocal,
  type AmendmentView,
  type DenialBasis,
  type DocumentSummary,
  type Recipient,
} from '../record-life-api.js';
import { BreakGlassPanel } from './BreakGlassPanel.js';

const vias: [string, string][] = [
  ['mail', 'Mail'],
  ['in_person', 'In person'],
  ['fax', 'Fax'],
  ['email', 'Email'],
  ['portal', 'Patient portal'],
  ['phone', 'Phone (confirmed in writing)'],
];

export const denialBases: [DenialBasis, string][] = [
  ['not_created_by_entity', 'Not created by us (originator available) — 164.526(a)(2)(i)'],
  ['not_in_designated_record_set', 'Not part of the designated record set — (a)(2)(ii)'],
  ['not_available_for_inspection', 'Not available for inspection under 164.524 — (a)(2)(iii)'],
  ['accurate_and_complete', 'Accurate and complete — (a)(2)(iv)'],
];

/** A labelled field. */
function Field({ id, label, children }: { id: string; label: string; children: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
    </div>
  );
}

/**
 * Log a patient's request to amend: find the patient, tick the documents it names, what information and the change
 * asked for, when and how it came. A restricted record asks for break-the-glass first, as reading it would.
 */
export function NewAmendmentForm({ onCreated }: { onCreated: (a: AmendmentView) => void }) {
  const [q, setQ] = useState('');
  const [found, setFound] = useState<PatientListItem[] | null>(null);
  const [patient, setPatient] = useState<PatientListItem | null>(null);
  const [docs, setDocs] = useState<DocumentSummary[]>([]);
  const [picked, setPicked] = useState<string[]>([]);
  const [form, setForm] = useState({ information: '', requestedChange: '', reason: '', receivedOn: todayLocal(), receivedVia: 'mail' });
  const [glass, setGlass] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function find(e: SyntheticEvent) {
    e.preventDefault();
    setError(null);
    amendmentsApi.searchPatients(q).then((r) => setFound(r.items), setError);
  }
  async function choose(p: PatientListItem) {
    setPatient(p);
    setFound(null);
    setGlass(false);
    try {
      setDocs((await amendmentsApi.documents(p.id)).items);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'break_glass_required') setGlass(true);
      else setError(err);
    }
  }
  async function submit(e: SyntheticEvent) {
    e.preventDefault();
    if (!patient) return;
    setError(null);
    try {
      const a = await amendmentsApi.create({ patientId: patient.id, documentIds: picked, ...form, reason: form.reason || null });
      setPatient(null);
      setPicked([]);
      setForm({ information: '', requestedChange: '', reason: '', receivedOn: todayLocal(), receivedVia: 'mail' });
      onCreated(a);
    } catch (err) {
      setError(err);
    }
  }
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });

  return (
    <section className="card section" aria-labelledby="new-amd-h">
      <h2 id="new-amd-h">Log a request to amend</h2>
      <ErrorMessage error={error} />
      {!patient ? (
        <form onSubmit={(e) => void find(e)} className="form-row">
          <Field id="amd-q" label="Patient (name or MRN)">
            <input id="amd-q" value={q} onChange={(e) => setQ(e.target.value)} />
          </Field>
          <button className="btn" type="submit" disabled={q.trim().length < 2}>
            Find
          </button>
        </form>
      ) : (
        <p>
          Patient:{' '}
          <strong>
            {patient.familyName}, {patient.givenName}
          </strong>{' '}
          <span className="mono small">MRN {patient.mrn}</span>{' '}
          <button type="button" className="btn btn-small" onClick={() => setPatient(null)}>
            Change
          </button>
        </p>
      )}
      {found && (
        <ul aria-label="Patients found">
          {found.length === 0 && <li className="muted">No patient found.</li>}
          {found.map((p) => (
            <li key={p.id}>
              <button type="button" className="btn btn-small" onClick={() => void choose(p)}>
                {p.familyName}, {p.givenName} — MRN {p.mrn}
              </button>
            </li>
          ))}
        </ul>
      )}
      {patient && glass && <BreakGlassPanel patientId={patient.id} onGranted={() => void choose(patient)} />}
      {patient && !glass && (
        <form onSubmit={(e) => void submit(e)}>
          <fieldset>
            <legend>Documents the request names</legend>
            {docs.length === 0 && <p className="muted small">No documents in the record.</p>}
            {docs.map((d) => (
              <label key={d.id} className="block small">
                <input
                  type="checkbox"
                  checked={picked.includes(d.id)}
                  onChange={(e) => setPicked(e.target.checked ? [...picked, d.id] : picked.filter((x) => x !== d.id))}
                />{' '}
                {d.title} ({d.typeCode}, {d.serviceAt.slice(0, 10)}, {d.status})
              </label>
            ))}
          </fieldset>
          <Field id="amd-info" label="Information to amend">
            <textarea id="amd-info" rows={2} value={form.information} onChange={set('information')} required />
          </Field>
          <Field id="amd-change" label="Change requested">
            <textarea id="amd-change" rows={3} value={form.requestedChange} onChange={set('requestedChange')} required />
          </Field>
          <Field id="amd-reason" label="Patient's reason (optional)">
            <textarea id="amd-reason" rows={2} value={form.reason} onChange={set('reason')} />
          </Field>
          <div className="form-row">
            <Field id="amd-received" label="Received on">
              <input id="amd-received" type="date" value={form.receivedOn} onChange={set('receivedOn')} required />
            </Field>
            <Field id="amd-via" label="Received by">
              <select id="amd-via" value={form.receivedVia} onChange={set('receivedVia')}>
                {vias.map(([v, l]) => (
                  <option key={v} value={v}>
                    {l}
                  </option>
                ))}
              </select>
            </Field>
          </div>
          <button className="btn btn-primary" type="submit">
            Log request (due in 60 days)
          </button>
        </form>
      )}
    </section>
  );
}

/** A small form with one submit button whose action reports errors to the caller. */
export function ActionForm({
  title,
  submit,
  children,
  label,
}: {
  title: string;
  label: string;
  submit: () => Promise<void>;
  children: ReactNode;
}) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  async function go(e: SyntheticEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await submit();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  return (
    <form className="card section" aria-label={title} onSubmit={(e) => void go(e)}>
      <h4>{title}</h4>
      <ErrorMessage error={error} />
      {children}
      <button className="btn" type="submit" disabled={busy}>
        {label}
      </button>
    </form>
  );
}

/** People and organisations to tell of an accepted amendment (164.526(c)(3)), edited as a list. */
export function RecipientsEditor({ value, onChange }: { value: Recipient[]; onChange: (r: Recipient[]) => void }) {
  const [r, setR] = useState<Recipient>({ recipient: '', kind: 'person', identifiedBy: 'patient' });
  return (
    <fieldset>
      <legend>Tell of the amendment</legend>
      <ul>
        {value.map((x, i) => (
          <li key={`${x.recipient}-${i}`} className="small">
            {x.recipient} ({x.kind}, named by {x.identifiedBy === 'patient' ? 'the patient' : 'us'}){' '}
            <button type="button" className="btn btn-small" onClick={() => onChange(value.filter((_, j) => j !== i))}>
              Remove
            </button>
          </li>
        ))}
      </ul>
      <div className="form-row">
        <input aria-label="Recipient" value={r.recipient} placeholder="Name" onChange={(e) => setR({ ...r, recipient: e.target.value })} />
        <select aria-label="Kind" value={r.kind} onChange={(e) => setR({ ...r, kind: e.target.value as Recipient['kind'] })}>
          <option value="person">Person</option>
          <option value="organisation">Organisation</option>
        </select>
        <select
          aria-label="Identified by"
          value={r.identifiedBy}
          onChange={(e) => setR({ ...r, identifiedBy: e.target.value as Recipient['identifiedBy'] })}
        >
          <option value="patient">Named by the patient</option>
          <option value="entity">Known to rely on it</option>
        </select>
        <button
          type="button"
          className="btn btn-small"
          disabled={!r.recipient.trim()}
          onClick={() => {
            onChange([...value, { ...r, recipient: r.recipient.trim() }]);
            setR({ ...r, recipient: '' });
          }}
        >
          Add
        </button>
      </div>
    </fieldset>
  );
}
