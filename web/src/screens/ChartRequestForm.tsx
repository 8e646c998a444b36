import { useEffect, useState, type SyntheticEvent } from 'react';
import { ApiError, type PatientListItem } from '../api.js';
import {
  chartsApi,
  localInputToIso,
  locationLabel,
  type ChartRequestView,
  type EncounterView,
  type LocationView,
  type RequestPriority,
} from '../charts-api.js';
import { ErrorMessage, FieldError, formLevelError, describedBy } from '../components/Messages.js';
import { formatDate } from '../format.js';
import { BreakGlassPanel } from './BreakGlassPanel.js';

const priorities: [RequestPriority, string][] = [
  ['routine', 'Routine (next day)'],
  ['urgent', 'Urgent (4 hours)'],
  ['stat', 'Stat (30 minutes)'],
];

/**
 * Ask HIM for a record: the patient (found by name or MRN), optionally the encounter, priority, needed by and
 * reason. HIM staff may enter a request for a department or a person named in words, and say where to deliver.
 * A restricted record asks for break-the-glass first, as reading it would.
 */
export function NewChartRequestForm({ staff, onCreated }: { staff: boolean; onCreated: (r: ChartRequestView) => void }) {
  const [q, setQ] = useState('');
  const [found, setFound] = useState<PatientListItem[] | null>(null);
  const [patient, setPatient] = useState<PatientListItem | null>(null);
  const [encounters, setEncounters] = useState<EncounterView[]>([]);
  const [places, setPlaces] = useState<LocationView[]>([]);
  const [form, setForm] = useState({
    encounterId: '',
    priority: 'routine' as RequestPriority,
    neededBy: '',
    reason: '',
    requesterName: '',
    deliverTo: '',
  });
  const [glass, setGlass] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    chartsApi.locations().then((r) => setPlaces(r.items.filter((l) => l.kind === 'department' || l.kind === 'person')), setError);
  }, []);

  async function find(e: SyntheticEvent) {
    e.preventDefault();
    setError(null);
    try {
      setFound((await chartsApi.searchPatients(q)).items);
    } catch (err) {
      setError(err);
    }
  }

  async function choose(p: PatientListItem) {
    setPatient(p);
    setEncounters([]);
    setGlass(false);
    setForm((f) => ({ ...f, encounterId: '' }));
    // A restricted record's encounters show after break-the-glass; the request can still name no encounter.
    try {
      setEncounters((await chartsApi.encounters(p.id)).items);
    } catch (err) {
      if (!(err instanceof ApiError && (err.code === 'break_glass_required' || err.code === 'forbidden'))) setError(err);
    }
  }

  async function submit(e: SyntheticEvent) {
    e.preventDefault();
    if (!patient) return;
    setBusy(true);
    setError(null);
    try {
      const r = await chartsApi.createRequest({
        patientId: patient.id,
        encounterId: form.encounterId || null,
        priority: form.priority,
        neededBy: localInputToIso(form.neededBy),
        reason: form.reason,
        ...(staff && form.requesterName.trim() ? { requesterName: form.requesterName.trim() } : {}),
        deliverToLocationId: form.deliverTo || null,
      });
      setForm({ encounterId: '', priority: 'routine', neededBy: '', reason: '', requesterName: '', deliverTo: '' });
      setPatient(null);
      setFound(null);
      setQ('');
      onCreated(r);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'break_glass_required') setGlass(true);
      else setError(err);
    } finally {
      setBusy(false);
    }
  }

  const fe = error instanceof ApiError ? error.fieldErrors : {};
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));
  return (
    <section className="card section" aria-labelledby="new-rq-h">
      <h2 id="new-rq-h">New request</h2>
      <form className="search-bar" onSubmit={(e) => void find(e)}>
        <label htmlFor="rq-q" className="sr-only">
          Patient name or MRN
        </label>
        <input id="rq-q" value={q} onChange={(e) => setQ(e.target.value)} placeholder="Patient name or MRN" />
        <button type="submit" className="btn">
          Find patient
        </button>
      </form>
      {found && !patient && (
        <ul className="plain-list">
          {found.length === 0 && <li className="muted">No patient found.</li>}
          {found.map((p) => (
            <li key={p.id}>
              <button type="button" className="btn-link" onClick={() => void choose(p)}>
                {p.familyName}, {p.givenName} (MRN {p.mrn})
              </button>
            </li>
          ))}
        </ul>
      )}
      {patient && glass && (
        <BreakGlassPanel
          patientId={patient.id}
          onGranted={() => {
            setGlass(false);
            void choose(patient);
          }}
        />
      )}
      {patient && !glass && (
        <form onSubmit={(e) => void submit(e)} noValidate>
          <p>
            For <strong>{`${patient.familyName}, ${patient.givenName}`}</strong> (MRN {patient.mrn}){' '}
            <button type="button" className="btn-link" onClick={() => setPatient(null)}>
              change
            </button>
          </p>
          <div className="form-grid">
            <div className="field">
              <label htmlFor="rq-enc">Encounter (optional)</label>
              <select id="rq-enc" value={form.encounterId} onChange={set('encounterId')}>
                <option value="">The whole record</option>
                {encounters.map((e) => (
                  <option key={e.id} value={e.id}>
                    {e.accountNumber} — {e.type}, {formatDate(e.admitAt)}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="rq-priority">Priority</label>
              <select id="rq-priority" value={form.priority} onChange={set('priority')}>
                {priorities.map(([p, label]) => (
                  <option key={p} value={p}>
                    {label}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="rq-needed">Needed by (optional)</label>
              <input id="rq-needed" type="datetime-local" value={form.neededBy} onChange={set('neededBy')} />
              <FieldError id="rq-needed-err" message={fe.neededBy} />
            </div>
            {staff && (
              <div className="field">
                <label htmlFor="rq-who">For a department or person (optional)</label>
                <input id="rq-who" value={form.requesterName} onChange={set('requesterName')} placeholder="Empty: for yourself" />
              </div>
            )}
            <div className="field">
              <label htmlFor="rq-to">Deliver to (optional)</label>
              <select id="rq-to" value={form.deliverTo} onChange={set('deliverTo')}>
                <option value="">{staff ? 'The requester' : 'Me'}</option>
                {places.map((l) => (
                  <option key={l.id} value={l.id}>
                    {locationLabel(l)}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <div className="field">
            <label htmlFor="rq-reason">Reason</label>
            <textarea
              id="rq-reason"
              rows={2}
              maxLength={500}
              value={form.reason}
              onChange={set('reason')}
              aria-describedby={describedBy(fe.reason && 'rq-reason-err')}
            />
            <FieldError id="rq-reason-err" message={fe.reason} />
          </div>
          <ErrorMessage error={formLevelError(error, ['neededBy', 'reason'])} />
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={busy}>
              Send request
            </button>
          </div>
        </form>
      )}
      {!patient && <ErrorMessage error={error} />}
    </section>
  );
}
