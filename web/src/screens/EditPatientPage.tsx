import { useEffect, useState, type SubmitEvent } from 'react';
import { api, ApiError, type PatientSummary } from '../api.js';
import { ErrorMessage, formLevelError, Loading, Notice } from '../components/Messages.js';
import { mpiApi } from '../mpi-api.js';
import { Link, useRouter } from '../router.js';
import { emptyPerson, PersonFields, type PersonForm } from './RegisterPatientPage.js';
import { EncountersEditor } from './EncountersEditor.js';
import { PatientListsEditor } from './PatientListsEditor.js';
import { usePageTitle } from './StaticPages.js';

function formOf(s: PatientSummary): PersonForm {
  const p = s.patient;
  return {
    ...emptyPerson,
    familyName: p.familyName,
    givenName: p.givenName,
    middleName: p.middleName ?? '',
    dateOfBirth: p.dateOfBirth ?? '',
    sex: (p.sex ?? '') as PersonForm['sex'],
    race: p.race ?? '',
    ethnicity: p.ethnicity ?? '',
    line1: p.address.line1 ?? '',
    line2: p.address.line2 ?? '',
    city: p.address.city ?? '',
    state: p.address.state ?? '',
    postalCode: p.address.postalCode ?? '',
    phone: p.phone ?? '',
    email: p.email ?? '',
    ssn: '',
  };
}

/** Only the changed fields: an emptied field is sent as null (cleared); the SSN only when a new one is typed. */
export function patchOf(before: PersonForm, after: PersonForm): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  const val = (v: string) => (v.trim() === '' ? null : v.trim());
  for (const k of ['familyName', 'givenName', 'middleName', 'dateOfBirth', 'sex', 'race', 'ethnicity', 'phone', 'email'] as const) {
    if (before[k] !== after[k]) patch[k] = val(after[k]);
  }
  const addr: Record<string, string | null> = {};
  for (const k of ['line1', 'line2', 'city', 'state', 'postalCode'] as const) if (before[k] !== after[k]) addr[k] = val(after[k]);
  if (Object.keys(addr).length) patch.address = addr;
  if (after.ssn.trim()) patch.ssn = after.ssn.trim();
  return patch;
}

/** Edit a patient's demographics and encounters (changes audited; a legal-name change keeps the former name as an alias). */
export function EditPatientPage({ id }: { id: string }) {
  usePageTitle('Edit patient');
  const { navigate } = useRouter();
  const [summary, setSummary] = useState<PatientSummary | null>(null);
  const [form, setForm] = useState<PersonForm>(emptyPerson);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [deceasedAt, setDeceasedAt] = useState('');

  useEffect(() => {
    api.patientSummary(id).then((s) => {
      setSummary(s);
      setForm(formOf(s));
      setDeceasedAt(s.patient.deceasedAt?.slice(0, 10) ?? '');
    }, setError);
  }, [id]);

  async function save(e: SubmitEvent) {
    e.preventDefault();
    if (!summary) return;
    const patch = patchOf(formOf(summary), form);
    if (deceasedAt !== (summary.patient.deceasedAt?.slice(0, 10) ?? '')) patch.deceasedAt = deceasedAt || null;
    if (Object.keys(patch).length === 0) {
      navigate(`/patients/${id}`);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await mpiApi.updatePatient(id, patch);
      navigate(`/patients/${id}`);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  if (!summary) return error ? <ErrorMessage error={error} /> : <Loading />;
  // The server answers mergedInto (src/modules/patients); the shared PatientSummary type predates it.
  const mergedInto = (summary.patient as { mergedInto?: string | null }).mergedInto ?? null;
  const errors = error instanceof ApiError ? error.fieldErrors : {};
  return (
    <section className="page">
      <p className="crumbs">
        <Link to={`/patients/${id}`}>← Patient summary</Link>
      </p>
      <h1>
        Edit patient <span className="mono muted">{summary.patient.mrn}</span>
      </h1>
      {mergedInto && <Notice kind="warning">This record was merged into another; edit the surviving record.</Notice>}
      <ErrorMessage error={formLevelError(error, Object.keys(emptyPerson))} />
      <form onSubmit={(e) => void save(e)} noValidate className="card card-form">
        <PersonFields
          form={form}
          set={setForm}
          errors={errors}
          prefix="edit"
          ssnHelp={summary.patient.ssnMasked ? `On file: ${summary.patient.ssnMasked}. Leave empty to keep it.` : 'None on file.'}
        />
        <div className="field">
          <label htmlFor="edit-deceased">Date of death</label>
          <input
            id="edit-deceased"
            type="date"
            value={deceasedAt}
            onChange={(e) => setDeceasedAt(e.target.value)}
            aria-describedby="edit-deceased-help"
          />
          <div className="help" id="edit-deceased-help">
            Marks the patient deceased; clear it to undo an entry made in error.
          </div>
        </div>
        <div className="row">
          <button type="submit" className="btn btn-primary" disabled={busy || Boolean(mergedInto)}>
            Save changes
          </button>
          <Link to={`/patients/${id}`} className="btn">
            Cancel
          </Link>
        </div>
      </form>
      {!mergedInto && <PatientListsEditor patientId={id} summary={summary} onSaved={() => undefined} />}
      {!mergedInto && <EncountersEditor patientId={id} />}
    </section>
  );
}
