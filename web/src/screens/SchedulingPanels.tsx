import { useEffect, useState, type SyntheticEvent } from 'react';
import { ApiError } from '../api.js';
import { isoToLocalInput, localInputToIso } from '../charts-api.js';
import { ErrorMessage, Loading } from '../components/Messages.js';
import { formatDateTime } from '../format.js';
import {
  explainSchedulingError,
  schedulingApi,
  statusLabels,
  type AppointmentType,
  type AppointmentView,
  type PatientListItem,
  type ScheduleResource,
  type StatusStep,
  type WaitlistItem,
} from '../scheduling-api.js';
import { BreakGlassPanel } from './BreakGlassPanel.js';

/** One appointment: who, what, when, and the front desk's steps (check in, no-show, cancel with a reason, complete). */
export function AppointmentPanel({
  appointment: a,
  type,
  manage,
  onDone,
  onClose,
}: {
  appointment: AppointmentView;
  type: AppointmentType | undefined;
  manage: boolean;
  onDone: (text: string) => void;
  onClose: () => void;
}) {
  const [cancelling, setCancelling] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setCancelling(false);
    setReason('');
    setError(null);
  }, [a.id]);

  async function step(status: StatusStep, text: string) {
    setError(null);
    try {
      await schedulingApi.setStatus(a.id, status, status === 'cancelled' || status === 'deleted' ? reason : undefined);
      onDone(`${text}: ${a.patientName}, ${formatDateTime(a.start)}.`);
    } catch (e) {
      setError(e instanceof ApiError && e.code === 'invalid' ? e.message : explainSchedulingError(e));
    }
  }

  return (
    <section className="card section" aria-labelledby="appt-h">
      <h2 id="appt-h">Appointment</h2>
      <dl className="kv">
        <div className="kv-row">
          <dt>Patient</dt>
          <dd>
            {a.patientName} (MRN {a.mrn}){a.restricted && <span className="badge badge-dark"> restricted</span>}
          </dd>
        </div>
        <div className="kv-row">
          <dt>Type</dt>
          <dd>{type?.name ?? (a.details ? '' : 'Withheld (restricted record)')}</dd>
        </div>
        <div className="kv-row">
          <dt>When</dt>
          <dd>
            {formatDateTime(a.start)} to {formatDateTime(a.end)}
            {a.overbooked && <span className="badge badge-warn"> overbooked</span>}
          </dd>
        </div>
        {a.location && (
          <div className="kv-row">
            <dt>Where</dt>
            <dd>{a.location}</dd>
          </div>
        )}
        <div className="kv-row">
          <dt>Status</dt>
          <dd>
            {statusLabels[a.status] ?? a.status}
            {a.cancelReason ? ` (${a.cancelReason})` : ''}
          </dd>
        </div>
      </dl>
      {error && (
        <div className="msg msg-error" role="alert">
          {error}
        </div>
      )}
      {manage && a.status === 'booked' && !cancelling && (
        <div className="form-actions">
          <button type="button" className="btn btn-primary" onClick={() => void step('checked_in', 'Checked in')}>
            Check in
          </button>
          <button type="button" className="btn" onClick={() => void step('no_show', 'Marked a no-show')}>
            No-show
          </button>
          <button type="button" className="btn btn-danger" onClick={() => setCancelling(true)}>
            Cancel appointment
          </button>
        </div>
      )}
      {manage && a.status === 'checked_in' && (
        <div className="form-actions">
          <button type="button" className="btn" onClick={() => void step('completed', 'Completed')}>
            Complete
          </button>
        </div>
      )}
      {cancelling && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void step('cancelled', 'Cancelled');
          }}
        >
          <div className="field">
            <label htmlFor="appt-cancel-reason">Reason for cancelling</label>
            <input id="appt-cancel-reason" value={reason} onChange={(e) => setReason(e.target.value)} required minLength={3} />
          </div>
          <div className="form-actions">
            <button type="submit" className="btn btn-danger">
              Cancel the appointment
            </button>
            {a.status === 'booked' && (
              <button
                type="button"
                className="btn"
                disabled={reason.trim().length < 3}
                onClick={() => void step('deleted', 'Removed as booked in error')}
              >
                Remove: booked in error
              </button>
            )}
            <button type="button" className="btn btn-quiet" onClick={() => setCancelling(false)}>
              Keep it
            </button>
          </div>
        </form>
      )}
      <button type="button" className="btn btn-small btn-quiet" onClick={onClose}>
        Close
      </button>
    </section>
  );
}

/** Finds a patient in the MPI by name or MRN (POST: the words stay out of URLs). */
function PatientPicker({ patient, onPick }: { patient: PatientListItem | null; onPick: (p: PatientListItem | null) => void }) {
  const [q, setQ] = useState('');
  const [found, setFound] = useState<PatientListItem[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  if (patient)
    return (
      <p>
        Patient: <strong>{`${patient.familyName}, ${patient.givenName}`}</strong> (MRN {patient.mrn}){' '}
        <button type="button" className="btn btn-small btn-quiet" onClick={() => onPick(null)}>
          Change patient
        </button>
      </p>
    );
  async function find(e: SyntheticEvent) {
    e.preventDefault();
    setError(null);
    try {
      setFound((await schedulingApi.searchPatients(q)).items);
    } catch (err) {
      setError(err);
    }
  }
  return (
    <>
      <form className="search-bar" onSubmit={(e) => void find(e)}>
        <label htmlFor="book-q" className="sr-only">
          Patient name or MRN
        </label>
        <input id="book-q" value={q} onChange={(e) => setQ(e.target.value)} placeholder="Patient name or MRN" />
        <button type="submit" className="btn">
          Find patient
        </button>
      </form>
      <ErrorMessage error={error} />
      {found && (
        <ul className="plain-list" aria-label="Patients found">
          {found.length === 0 && <li className="muted">No patient found.</li>}
          {found.map((p) => (
            <li key={p.id}>
              <button type="button" className="btn-link" onClick={() => onPick(p)}>
                {p.familyName}, {p.givenName} (MRN {p.mrn})
              </button>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

/**
 * Book on this calendar's resource: the patient, the type (only types this kind of resource serves), any other
 * resource the type needs, and the start — typed, picked by clicking the calendar, or the first available slot.
 */
export function BookingForm({
  resource,
  resources,
  types,
  pickedStart,
  onBooked,
  onWaitlisted,
}: {
  resource: ScheduleResource;
  resources: ScheduleResource[];
  types: AppointmentType[];
  pickedStart: Date | null;
  onBooked: (a: AppointmentView) => void;
  onWaitlisted: (text: string) => void;
}) {
  const usable = types.filter((t) => t.resourceKinds.includes(resource.kind));
  const [patient, setPatient] = useState<PatientListItem | null>(null);
  const [typeId, setTypeId] = useState(usable[0]?.id ?? '');
  const [others, setOthers] = useState<Record<string, string>>({});
  const [start, setStart] = useState('');
  const [overbook, setOverbook] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [glass, setGlass] = useState(false);
  const [busy, setBusy] = useState(false);
  const type = usable.find((t) => t.id === typeId) ?? usable[0];
  const otherKinds = (type?.resourceKinds ?? []).filter((k) => k !== resource.kind);

  useEffect(() => {
    if (pickedStart) setStart(isoToLocalInput(pickedStart));
  }, [pickedStart]);

  const chosenOthers = () => otherKinds.map((k) => others[k] || resources.find((r) => r.kind === k)?.id || '');

  async function findFirst() {
    if (!type) return;
    setError(null);
    try {
      const from = localInputToIso(start) ?? new Date().toISOString();
      const candidates = [resource.id, ...resources.filter((r) => otherKinds.includes(r.kind)).map((r) => r.id)];
      const { slot } = await schedulingApi.firstAvailable({ typeId: type.id, from, resourceIds: candidates });
      if (!slot) {
        setError(`No free slot for ${type.name} with ${resource.name} in the next 90 days.`);
        return;
      }
      setStart(isoToLocalInput(new Date(slot.start)));
      const next: Record<string, string> = {};
      for (const id of slot.resourceIds) {
        const r = resources.find((x) => x.id === id);
        if (r && r.kind !== resource.kind) next[r.kind] = r.id;
      }
      setOthers(next);
    } catch (e) {
      setError(explainSchedulingError(e));
    }
  }

  async function book(e: SyntheticEvent) {
    e.preventDefault();
    const iso = localInputToIso(start);
    if (!patient || !type || !iso) {
      setError('Choose the patient, the type and the start.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const a = await schedulingApi.book({
        patientId: patient.id,
        typeId: type.id,
        resourceIds: [resource.id, ...chosenOthers()],
        start: iso,
        overbook,
      });
      setPatient(null);
      setOverbook(false);
      onBooked(a);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'break_glass_required') setGlass(true);
      else setError(explainSchedulingError(err));
    } finally {
      setBusy(false);
    }
  }

  async function waitlist() {
    if (!patient || !type) {
      setError('Choose the patient and the type first.');
      return;
    }
    setError(null);
    const earliest = localInputToIso(start) ?? new Date().toISOString();
    const latest = new Date(Date.parse(earliest) + 30 * 86_400_000).toISOString();
    try {
      await schedulingApi.addToWaitlist({ patientId: patient.id, typeId: type.id, resourceId: resource.id, earliest, latest });
      onWaitlisted(`${patient.familyName}, ${patient.givenName} is on the waitlist for ${type.name} with ${resource.name}.`);
      setPatient(null);
    } catch (err) {
      setError(explainSchedulingError(err));
    }
  }

  return (
    <section className="card section" aria-labelledby="book-h">
      <h2 id="book-h">Book with {resource.name}</h2>
      <PatientPicker
        patient={patient}
        onPick={(p) => {
          setPatient(p);
          setGlass(false);
        }}
      />
      {glass && patient && <BreakGlassPanel patientId={patient.id} onGranted={() => setGlass(false)} />}
      <form onSubmit={(e) => void book(e)}>
        <div className="field">
          <label htmlFor="book-type">Appointment type</label>
          <select id="book-type" value={type?.id ?? ''} onChange={(e) => setTypeId(e.target.value)}>
            {usable.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name} ({t.durationMinutes} min)
              </option>
            ))}
          </select>
        </div>
        {otherKinds.map((k) => (
          <div className="field" key={k}>
            <label htmlFor={`book-${k}`}>{k === 'room' ? 'Room' : k === 'equipment' ? 'Equipment' : 'Provider'}</label>
            <select id={`book-${k}`} value={others[k] ?? ''} onChange={(e) => setOthers((o) => ({ ...o, [k]: e.target.value }))}>
              {resources
                .filter((r) => r.kind === k)
                .map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.name}
                  </option>
                ))}
            </select>
          </div>
        ))}
        <div className="field">
          <label htmlFor="book-start">Start</label>
          <input id="book-start" type="datetime-local" value={start} onChange={(e) => setStart(e.target.value)} />
          <p className="help">Type it, click a time on the calendar, or find the first available slot.</p>
        </div>
        {resource.maxOverbook > 0 && (
          <label className="check">
            <input type="checkbox" checked={overbook} onChange={(e) => setOverbook(e.target.checked)} /> Overbook (up to{' '}
            {resource.maxOverbook} extra)
          </label>
        )}
        {type?.instructions && <p className="help">Preparation: {type.instructions}</p>}
        {error && (
          <div className="msg msg-error" role="alert">
            {error}
          </div>
        )}
        <div className="form-actions">
          <button type="button" className="btn" onClick={() => void findFirst()}>
            Find first available
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy}>
            Book appointment
          </button>
          <button type="button" className="btn btn-quiet" onClick={() => void waitlist()}>
            Add to waitlist
          </button>
        </div>
      </form>
    </section>
  );
}

/** Waiting and offered waitlist entries, oldest first; an offered one names the freed slot to call the patient about. */
export function WaitlistPanel({ types, version }: { types: ReadonlyMap<string, AppointmentType>; version: number }) {
  const [items, setItems] = useState<WaitlistItem[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    schedulingApi.waitlist().then((r) => setItems(r.items), setError);
  }, [version]);
  return (
    <section className="card section" aria-labelledby="wait-h">
      <h2 id="wait-h">Waitlist</h2>
      <ErrorMessage error={error} />
      {!items ? (
        <Loading />
      ) : items.length === 0 ? (
        <p className="muted">Nobody is waiting.</p>
      ) : (
        <table className="data-table" aria-label="Waitlist">
          <thead>
            <tr>
              <th scope="col">Patient</th>
              <th scope="col">Type</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {items.map((w) => (
              <tr key={w.id}>
                <td>{w.patientName ? `${w.patientName} (MRN ${w.mrn ?? ''})` : 'Restricted record'}</td>
                <td>{w.typeId ? (types.get(w.typeId)?.name ?? '') : ''}</td>
                <td>{w.status === 'offered' && w.offeredStart ? `Offered ${formatDateTime(w.offeredStart)}` : 'Waiting'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
