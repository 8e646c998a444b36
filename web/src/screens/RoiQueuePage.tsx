import { useCallback, useEffect, useState, type ReactNode, type SyntheticEvent } from 'react';
import { ApiError, type PatientListItem } from '../api.js';
import { ErrorMessage, Loading, Notice } from '../components/Messages.js';
import { todayLocal } from '../record-life-api.js';
import { requesterTypeLabels, roiApi, type RoiFacts, type RoiRequestView } from '../roi-api.js';
import { Link } from '../router.js';
import { usePageTitle } from './StaticPages.js';
import { BreakGlassPanel } from './BreakGlassPanel.js';
import { moveBetweenRows, workListProps } from '../work-list.js';

const clockBadge: Record<string, string> = {
  breached: 'badge-bad',
  escalated: 'badge-warn',
  on_time: 'badge-ok',
  closed: 'badge-ok',
  closed_late: 'badge-warn',
};
const clockText: Record<string, string> = {
  breached: 'breached',
  escalated: 'escalated',
  on_time: 'on time',
  closed: 'closed in time',
  closed_late: 'closed late',
};

/** The request's clock: due date, state and days left (164.524(b)(2), 164.528(c)(1)). */
export function RoiClockText({ r }: { r: RoiRequestView }) {
  const c = r.clock;
  return (
    <>
      {c.dueOn}
      {r.extendedDueOn && <span className="small"> (extended)</span>}{' '}
      <span className={`badge ${clockBadge[c.state] ?? ''}`}>{clockText[c.state] ?? c.state}</span>
      {r.status === 'open' && <span className="small"> {c.daysLeft >= 0 ? `${c.daysLeft} days left` : `${-c.daysLeft} days late`}</span>}
    </>
  );
}

function Field({ id, label, children }: { id: string; label: string; children: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
    </div>
  );
}

const emptyForm = () => ({
  requesterType: 'patient',
  requesterName: '',
  identityVerifiedBy: '',
  receivedOn: todayLocal(),
  asksFor: 'records' as 'records' | 'accounting',
  from: '',
  to: '',
  purpose: '',
  format: 'pdf',
  delivery: 'secure_download',
});

/** The legal documents that may be on file with a request, with the paragraph that asks for each. */
const factLabels: [keyof RoiFacts, string][] = [
  ['legalDocumentOnFile', 'Court order (or the legal document) on file — 164.512(e)(1)(i)'],
  ['satisfactoryAssurance', 'Subpoena with satisfactory assurance (notice or protective order) — 164.512(e)(1)(ii)'],
  ['irbWaiverOnFile', 'IRB or privacy board waiver on file — 164.512(i)'],
  ['part2CourtOrder', 'Part 2 court order — 42 CFR 2.64'],
];

/** Log a request: who asks and how their identity was checked, the patient (MPI search), what, in what form, how sent. */
function NewRoiRequestForm({ onCreated }: { onCreated: (r: RoiRequestView) => void }) {
  const [q, setQ] = useState('');
  const [found, setFound] = useState<PatientListItem[] | null>(null);
  const [patient, setPatient] = useState<PatientListItem | null>(null);
  const [form, setForm] = useState(emptyForm);
  const [facts, setFacts] = useState<RoiFacts>({});
  const [glass, setGlass] = useState(false);
  const [error, setError] = useState<unknown>(null);

  function find(e: SyntheticEvent) {
    e.preventDefault();
    setError(null);
    roiApi.searchPatients(q).then((r) => setFound(r.items), setError);
  }
  async function submit(e: SyntheticEvent) {
    e.preventDefault();
    if (!patient) return;
    setError(null);
    try {
      const r = await roiApi.create({
        patientId: patient.id,
        requesterType: form.requesterType,
        requesterName: form.requesterName,
        ...(form.identityVerifiedBy ? { identityVerifiedBy: form.identityVerifiedBy } : {}),
        receivedOn: form.receivedOn,
        asksFor: form.asksFor,
        asked: { ...(form.from ? { from: form.from } : {}), ...(form.to ? { to: form.to } : {}) },
        ...(form.purpose ? { purpose: form.purpose } : {}),
        format: form.format,
        delivery: form.delivery,
        facts,
      });
      setPatient(null);
      setForm(emptyForm());
      setFacts({});
      onCreated(r);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'break_glass_required') setGlass(true);
      else setError(err);
    }
  }
  const set = (k: keyof ReturnType<typeof emptyForm>) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });

  return (
    <section className="card section" aria-labelledby="new-roi-h">
      <h2 id="new-roi-h">Log a request</h2>
      <ErrorMessage error={error} />
      {!patient ? (
        <form onSubmit={find} className="form-row">
          <Field id="roi-q" label="Patient (name or MRN)">
            <input id="roi-q" value={q} onChange={(e) => setQ(e.target.value)} />
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
              <button
                type="button"
                className="btn btn-small"
                onClick={() => {
                  setPatient(p);
                  setFound(null);
                  setGlass(false);
                }}
              >
                {p.familyName}, {p.givenName} — MRN {p.mrn}
              </button>
            </li>
          ))}
        </ul>
      )}
      {patient && glass && <BreakGlassPanel patientId={patient.id} onGranted={() => setGlass(false)} />}
      {patient && !glass && (
        <form onSubmit={(e) => void submit(e)} aria-label="New request">
          <div className="form-row">
            <Field id="roi-type" label="Requester type">
              <select id="roi-type" value={form.requesterType} onChange={set('requesterType')}>
                {Object.entries(requesterTypeLabels).map(([v, l]) => (
                  <option key={v} value={v}>
                    {l}
                  </option>
                ))}
              </select>
            </Field>
            <Field id="roi-name" label="Requester name">
              <input id="roi-name" required value={form.requesterName} onChange={set('requesterName')} />
            </Field>
            <Field id="roi-verified" label="Identity verified by">
              <input id="roi-verified" value={form.identityVerifiedBy} onChange={set('identityVerifiedBy')} />
            </Field>
            <Field id="roi-received" label="Received on">
              <input id="roi-received" type="date" required value={form.receivedOn} onChange={set('receivedOn')} />
            </Field>
          </div>
          <div className="form-row">
            <Field id="roi-asks" label="Asks for">
              <select id="roi-asks" value={form.asksFor} onChange={set('asksFor')}>
                <option value="records">Records</option>
                <option value="accounting">Accounting of disclosures</option>
              </select>
            </Field>
            <Field id="roi-from" label="Records from">
              <input id="roi-from" type="date" value={form.from} onChange={set('from')} />
            </Field>
            <Field id="roi-to" label="Records to">
              <input id="roi-to" type="date" value={form.to} onChange={set('to')} />
            </Field>
            <Field id="roi-purpose" label="Purpose">
              <input id="roi-purpose" value={form.purpose} onChange={set('purpose')} />
            </Field>
            <Field id="roi-format" label="Format">
              <select id="roi-format" value={form.format} onChange={set('format')}>
                <option value="pdf">PDF</option>
                <option value="paper">Paper</option>
                <option value="electronic">Electronic copy</option>
              </select>
            </Field>
            <Field id="roi-delivery" label="Delivery">
              <select id="roi-delivery" value={form.delivery} onChange={set('delivery')}>
                <option value="secure_download">Secure download</option>
                <option value="mail">Mail</option>
                <option value="pickup">Pick-up</option>
              </select>
            </Field>
          </div>
          <fieldset>
            <legend>Legal documents on file</legend>
            {factLabels.map(([k, label]) => (
              <label key={k} className="block small">
                <input type="checkbox" checked={facts[k] === true} onChange={(e) => setFacts({ ...facts, [k]: e.target.checked })} />{' '}
                {label}
              </label>
            ))}
          </fieldset>
          <button className="btn btn-primary" type="submit">
            Log the request
          </button>
        </form>
      )}
    </section>
  );
}

/**
 * The release-of-information queue: open requests by due date with who asks, the patient, the status and the days
 * left on the clock (escalated and breached ones marked), and the form to log a new request.
 */
export function RoiQueuePage() {
  usePageTitle('Release of information');
  const [status, setStatus] = useState('open');
  const [items, setItems] = useState<RoiRequestView[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const load = useCallback(() => roiApi.list(status === 'all' ? undefined : status).then((r) => setItems(r.items), setError), [status]);
  useEffect(() => {
    void load();
  }, [load]);

  return (
    <section className="page">
      <h1>Release of information</h1>
      <NewRoiRequestForm
        onCreated={(r) => {
          setNotice(`Request logged: due ${r.clock.dueOn}.`);
          void load();
        }}
      />
      <section className="card section" aria-labelledby="roi-list-h">
        <div className="page-head">
          <h2 id="roi-list-h">Requests</h2>
          <div className="field">
            <label htmlFor="roi-show">Show</label>
            <select id="roi-show" value={status} onChange={(e) => setStatus(e.target.value)}>
              <option value="open">Open</option>
              <option value="released">Released</option>
              <option value="denied">Denied</option>
              <option value="all">All</option>
            </select>
          </div>
        </div>
        <div aria-live="polite">{notice && <Notice kind="success">{notice}</Notice>}</div>
        <ErrorMessage error={error} />
        {!items ? (
          <Loading />
        ) : items.length === 0 ? (
          <p className="muted">No requests.</p>
        ) : (
          <table className="data-table" aria-label="ROI requests" {...workListProps}>
            <thead>
              <tr>
                <th>Received</th>
                <th>Requester type</th>
                <th>Requester</th>
                <th>Patient</th>
                <th>Status</th>
                <th>Due</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody onKeyDown={moveBetweenRows}>
              {items.map((r) => (
                <tr key={r.id} className={r.clock.state === 'breached' ? 'request-overdue' : undefined}>
                  <td className="nowrap">{r.receivedOn}</td>
                  <td>{requesterTypeLabels[r.requesterType] ?? r.requesterType}</td>
                  <td>{r.details ? r.requesterName : <span className="muted">withheld</span>}</td>
                  <td>
                    {r.details ? (
                      <>
                        {r.patientName} <span className="mono small">MRN {r.mrn}</span>
                      </>
                    ) : (
                      <span className="badge badge-dark">restricted</span>
                    )}
                  </td>
                  <td>{r.status}</td>
                  <td className="nowrap">
                    <RoiClockText r={r} />
                  </td>
                  <td>
                    <Link to={`/roi/requests/${encodeURIComponent(r.id)}`} className="btn btn-small">
                      Open
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </section>
  );
}
