import { useCallback, useEffect, useState, type Dispatch, type SetStateAction, type SubmitEvent } from 'react';
import { api, ApiError, type AuditEvent, type AuditFilter, type PatientListItem, type VerifyResult } from '../api.js';
import { ErrorMessage, formLevelError, Loading, Notice } from '../components/Messages.js';
import { useRouter } from '../router.js';
import { useSession } from '../session.js';
import { AuditEventsTable, AuditFilters, PatientChoices, PatientFilterNote, type AuditUser } from './AuditLogParts.js';
import { BreakGlassReview } from './BreakGlassReview.js';
import { usePageTitle } from './StaticPages.js';

export { auditActionLabels, purposeLabels, formatDetail } from './AuditLogParts.js';

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
  const { items, next, busy, error, setError, fetchPage } = useAuditEvents();
  const patient = usePatientFilter({ initialPatient, form, setForm, setApplied, setError });
  const { setPatientText } = patient; // a state setter: stable
  const users = useUserDirectory(setError);

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
  }, [initialPatient, setPatientText]);

  const fe = error instanceof ApiError ? error.fieldErrors : {};
  return (
    <section className="page">
      <AuditLogHead csvUrl={api.auditCsvUrl(clean(applied))} />
      {can('break-glass:review') && <BreakGlassReview />}
      <h2 className="section">
        Events <span className="muted small heading-note">newest first</span>
      </h2>
      <AuditFilters
        form={form}
        setForm={setForm}
        patientText={patient.patientText}
        onPatientText={patient.editPatientText}
        users={users}
        fe={fe}
        onSubmit={patient.submit}
        onReset={patient.reset}
      />
      {patient.patientChoices && <PatientChoices choices={patient.patientChoices} onChoose={patient.choosePatient} />}
      {applied.patientId && <PatientFilterNote patientId={applied.patientId} label={patient.patientLabel} />}
      <div aria-live="polite">
        <ErrorMessage error={formLevelError(error, ['patientId', 'userId', 'from', 'to'])} />
      </div>
      <AuditEventsTable items={items} busy={busy} onPatient={patient.showPatient} />
      <AuditEventsEnd items={items} busy={busy} error={error} next={next} onMore={() => void fetchPage(applied, next)} />
    </section>
  );
}

/** The patient filter as typed and what it names; applying the filters resolves a name or MRN to one patient. */
function usePatientFilter({
  initialPatient,
  form,
  setForm,
  setApplied,
  setError,
}: {
  initialPatient: string;
  form: AuditFilter;
  setForm: Dispatch<SetStateAction<AuditFilter>>;
  setApplied: Dispatch<SetStateAction<AuditFilter>>;
  setError: (err: unknown) => void;
}) {
  // The patient filter as typed (name, MRN or id); the filter itself carries the patient's id only.
  const [patientText, setPatientText] = useState(initialPatient);
  const [patientChoices, setPatientChoices] = useState<PatientListItem[] | null>(null);
  const [patientLabel, setPatientLabel] = useState<string | null>(null);

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

  function showPatient(patientId: string) {
    setPatientText(patientId);
    setForm({ patientId });
    setApplied({ patientId });
  }

  function editPatientText(text: string) {
    setPatientText(text);
    setPatientLabel(null);
  }

  return { patientText, setPatientText, patientChoices, patientLabel, submit, choosePatient, reset, showPatient, editPatientText };
}

/** One page of events after another (newest first), with the error of the last fetch. */
function useAuditEvents() {
  const [items, setItems] = useState<AuditEvent[]>([]);
  const [next, setNext] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
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
  return { items, next, busy, error, setError, fetchPage };
}

/** The users the user filter offers. */
function useUserDirectory(onError: (err: unknown) => void): AuditUser[] {
  const [users, setUsers] = useState<AuditUser[]>([]);
  useEffect(() => {
    api.userDirectory().then((r) => setUsers(r.items), onError);
  }, [onError]);
  return users;
}

/** The page title with the CSV download and the hash-chain check, and the check's outcome below. */
function AuditLogHead({ csvUrl }: { csvUrl: string }) {
  const { can } = useSession();
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
  return (
    <>
      <div className="page-head">
        <h1>Audit log</h1>
        <div className="row">
          <a className="btn" href={csvUrl} download>
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
    </>
  );
}

/** Below the table: loading, nothing found, more to load, or the end of the log. */
function AuditEventsEnd({
  items,
  busy,
  error,
  next,
  onMore,
}: {
  items: AuditEvent[];
  busy: boolean;
  error: unknown;
  next: number | null;
  onMore: () => void;
}) {
  return (
    <>
      {busy && <Loading label="Loading events…" />}
      {!busy && items.length === 0 && !error && <p className="muted">No audit events match these filters.</p>}
      {!busy && next !== null && (
        <button type="button" className="btn" onClick={onMore}>
          Load more
        </button>
      )}
      {!busy && items.length > 0 && next === null && (
        <p className="muted small">
          {items.length} event{items.length === 1 ? '' : 's'} – end of the log for these filters.
        </p>
      )}
    </>
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
