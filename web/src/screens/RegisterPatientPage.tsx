import { useEffect, useState, type SubmitEvent } from 'react';
import { ApiError } from '../api.js';
import { ErrorMessage, FieldError, formLevelError, Loading, Notice, describedBy } from '../components/Messages.js';
import { formatDate, formatName, formatSex } from '../format.js';
import { compact, facilitiesApi, formatScore, levelLabel, mpiApi, type MatchCandidate, type PersonInput } from '../mpi-api.js';
import { Link, useRouter } from '../router.js';
import { usePageTitle } from './StaticPages.js';

/** UHDDS race and ethnicity with the CDC Race & Ethnicity codes that HL7 feeds send (PID-10, PID-22). */
export const RACES: readonly [string, string][] = [
  ['1002-5', 'American Indian or Alaska Native'],
  ['2028-9', 'Asian'],
  ['2054-5', 'Black or African American'],
  ['2076-8', 'Native Hawaiian or Other Pacific Islander'],
  ['2106-3', 'White'],
  ['2131-1', 'Other race'],
  ['ASKU', 'Declined to answer'],
  ['UNK', 'Unknown'],
];
export const ETHNICITIES: readonly [string, string][] = [
  ['2135-2', 'Hispanic or Latino'],
  ['2186-5', 'Not Hispanic or Latino'],
  ['ASKU', 'Declined to answer'],
  ['UNK', 'Unknown'],
];

export interface PersonForm {
  familyName: string;
  givenName: string;
  middleName: string;
  dateOfBirth: string;
  sex: '' | 'M' | 'F' | 'U' | 'X';
  race: string;
  ethnicity: string;
  line1: string;
  line2: string;
  city: string;
  state: string;
  postalCode: string;
  phone: string;
  email: string;
  ssn: string;
}
export const emptyPerson: PersonForm = {
  familyName: '',
  givenName: '',
  middleName: '',
  dateOfBirth: '',
  sex: '',
  race: '',
  ethnicity: '',
  line1: '',
  line2: '',
  city: '',
  state: '',
  postalCode: '',
  phone: '',
  email: '',
  ssn: '',
};

export function toPersonInput(f: PersonForm): PersonInput {
  return compact({
    familyName: f.familyName.trim(),
    givenName: f.givenName.trim(),
    middleName: f.middleName.trim(),
    dateOfBirth: f.dateOfBirth,
    sex: f.sex || undefined,
    race: f.race,
    ethnicity: f.ethnicity,
    address: { line1: f.line1.trim(), line2: f.line2.trim(), city: f.city.trim(), state: f.state.trim(), postalCode: f.postalCode.trim() },
    phone: f.phone.trim(),
    email: f.email.trim(),
    ssn: f.ssn.trim(),
  }) as PersonInput;
}

/** The demographic fields shared by registration and editing (UHDDS items). */
export function PersonFields({
  form,
  set,
  errors,
  prefix,
  ssnHelp,
}: {
  form: PersonForm;
  set: (f: PersonForm) => void;
  errors: Record<string, string>;
  prefix: string;
  ssnHelp?: string;
}) {
  const field = (
    name: keyof PersonForm,
    label: string,
    opts: { type?: string; help?: string; required?: boolean; autoComplete?: string } = {},
  ) => {
    const id = `${prefix}-${name}`;
    const errKey = name === 'line1' || name === 'line2' || name === 'city' || name === 'state' || name === 'postalCode' ? name : name;
    return (
      <div className="field">
        <label htmlFor={id}>
          {label}
          {opts.required && <span aria-hidden="true"> *</span>}
        </label>
        <input
          id={id}
          type={opts.type ?? 'text'}
          autoComplete={opts.autoComplete ?? 'off'}
          required={opts.required}
          value={form[name]}
          onChange={(e) => set({ ...form, [name]: e.target.value })}
          aria-invalid={errors[errKey] ? true : undefined}
          aria-describedby={describedBy(errors[errKey] && `${id}-err`, opts.help && `${id}-help`)}
        />
        {opts.help && (
          <div className="help" id={`${id}-help`}>
            {opts.help}
          </div>
        )}
        <FieldError id={`${id}-err`} message={errors[errKey]} />
      </div>
    );
  };
  return (
    <div className="form-grid">
      {field('familyName', 'Legal family name', { required: true })}
      {field('givenName', 'Given name', { required: true })}
      {field('middleName', 'Middle name')}
      {field('dateOfBirth', 'Date of birth', { type: 'date' })}
      <div className="field">
        <label htmlFor={`${prefix}-sex`}>Sex</label>
        <select id={`${prefix}-sex`} value={form.sex} onChange={(e) => set({ ...form, sex: e.target.value as PersonForm['sex'] })}>
          <option value="">—</option>
          <option value="F">Female</option>
          <option value="M">Male</option>
          <option value="X">Non-binary / other</option>
          <option value="U">Unknown</option>
        </select>
        <FieldError id={`${prefix}-sex-err`} message={errors.sex} />
      </div>
      <div className="field">
        <label htmlFor={`${prefix}-race`}>Race</label>
        <select id={`${prefix}-race`} value={form.race} onChange={(e) => set({ ...form, race: e.target.value })}>
          <option value="">—</option>
          {RACES.some(([c]) => c === form.race) || !form.race ? null : <option value={form.race}>{form.race}</option>}
          {RACES.map(([c, label]) => (
            <option key={c} value={c}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${prefix}-ethnicity`}>Ethnicity</label>
        <select id={`${prefix}-ethnicity`} value={form.ethnicity} onChange={(e) => set({ ...form, ethnicity: e.target.value })}>
          <option value="">—</option>
          {ETHNICITIES.some(([c]) => c === form.ethnicity) || !form.ethnicity ? null : (
            <option value={form.ethnicity}>{form.ethnicity}</option>
          )}
          {ETHNICITIES.map(([c, label]) => (
            <option key={c} value={c}>
              {label}
            </option>
          ))}
        </select>
      </div>
      {field('line1', 'Street address')}
      {field('line2', 'Address line 2')}
      {field('city', 'City')}
      {field('state', 'State')}
      {field('postalCode', 'ZIP code')}
      {field('phone', 'Phone', { type: 'tel' })}
      {field('email', 'E-mail', { type: 'email' })}
      {field('ssn', 'Social Security number', { help: ssnHelp ?? 'Stored encrypted; shown masked.', autoComplete: 'off' })}
    </div>
  );
}

/**
 * Registration: the clerk enters the person, checks the MPI for likely existing records (scores and the fields
 * that agree), opens one of them, or registers a new patient, which makes a new MRN.
 */
export function RegisterPatientPage() {
  usePageTitle('Register patient');
  const { navigate } = useRouter();
  const [form, setForm] = useState<PersonForm>(emptyPerson);
  const [facilities, setFacilities] = useState<{ id: string; name: string }[] | null>(null);
  const [facilityId, setFacilityId] = useState('');
  const [candidates, setCandidates] = useState<MatchCandidate[] | null>(null);
  const [checkedFor, setCheckedFor] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    facilitiesApi.list().then((r) => {
      setFacilities(r.items);
      setFacilityId((id) => id || r.items[0]?.id || '');
    }, setError);
  }, []);

  const key = JSON.stringify(toPersonInput(form));
  const checked = checkedFor === key;

  async function check(e: SubmitEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await mpiApi.matchCandidates(toPersonInput(form));
      setCandidates(r.items);
      setCheckedFor(key);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  async function register() {
    if (!form.sex) {
      setError(new ApiError({ status: 400, code: 'invalid', detail: 'sex: choose one (Unknown is allowed)' }));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const r = await mpiApi.createPatient({ ...toPersonInput(form), facilityId, sex: form.sex });
      navigate(`/patients/${r.id}`);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  const errors = error instanceof ApiError ? error.fieldErrors : {};
  return (
    <section className="page">
      <h1>Register patient</h1>
      <p className="muted">Check the master patient index before making a new MRN: a duplicate record is a patient-safety risk.</p>
      <ErrorMessage error={formLevelError(error, Object.keys(emptyPerson))} />
      <form onSubmit={(e) => void check(e)} noValidate className="card card-form">
        {facilities && facilities.length > 1 && (
          <div className="field">
            <label htmlFor="reg-facility">Facility</label>
            <select id="reg-facility" value={facilityId} onChange={(e) => setFacilityId(e.target.value)}>
              {facilities.map((f) => (
                <option key={f.id} value={f.id}>
                  {f.name}
                </option>
              ))}
            </select>
          </div>
        )}
        <PersonFields form={form} set={setForm} errors={errors} prefix="reg" />
        <div className="row">
          <button type="submit" className="btn btn-primary" disabled={busy || !form.familyName.trim() || !form.givenName.trim()}>
            Check for existing records
          </button>
          <button
            type="button"
            className="btn"
            disabled={busy || !checked || !facilityId}
            onClick={() => void register()}
            title={checked ? undefined : 'Check for existing records first'}
          >
            Register as a new patient
          </button>
        </div>
      </form>
      <div aria-live="polite" className="section">
        {busy && <Loading label="Working…" />}
        {candidates && checked && candidates.length === 0 && (
          <Notice kind="success">No likely existing record. You can register a new patient.</Notice>
        )}
        {candidates && candidates.length > 0 && (
          <>
            <Notice kind="warning">
              {candidates.length} possible existing record{candidates.length === 1 ? '' : 's'}. Open one to use it, or register a new
              patient if none is this person.
            </Notice>
            <CandidateTable items={candidates} />
          </>
        )}
      </div>
    </section>
  );
}

function CandidateTable({ items }: { items: MatchCandidate[] }) {
  return (
    <div className="table-scroll">
      <table className="data-table">
        <caption className="sr-only">Possible existing records, most likely first</caption>
        <thead>
          <tr>
            <th scope="col">Match</th>
            <th scope="col">MRN</th>
            <th scope="col">Name</th>
            <th scope="col">Date of birth</th>
            <th scope="col">Sex</th>
            <th scope="col">Address</th>
            <th scope="col">Phone</th>
            <th scope="col">SSN</th>
            <th scope="col">Agreement</th>
          </tr>
        </thead>
        <tbody>
          {items.map((c) => (
            <tr key={c.patient.id}>
              <td className="num">
                <strong>{formatScore(c.score)}</strong>
              </td>
              <td className="mono">{c.patient.mrn}</td>
              <td>
                <Link className="row-link" to={`/patients/${c.patient.id}`}>
                  {formatName(c.patient)}
                </Link>
                {c.patient.restricted && <span className="badge badge-warn">Restricted</span>}
              </td>
              <td>{formatDate(c.patient.dateOfBirth)}</td>
              <td>{formatSex(c.patient.sex)}</td>
              <td>{[c.patient.addressLine1, c.patient.city, c.patient.postalCode].filter(Boolean).join(', ')}</td>
              <td>{c.patient.phone ?? ''}</td>
              <td className="mono">{c.patient.ssnMasked ?? ''}</td>
              <td className="small detail-cell">
                {Object.entries(c.fields)
                  .filter(([, v]) => v !== null)
                  .map(([k, v]) => `${k}: ${levelLabel(v)}`)
                  .join('; ')}
                {c.transposedNames && ' (given and family names swapped)'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
