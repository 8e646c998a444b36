import { useCallback, useEffect, useState, type SyntheticEvent } from 'react';
import { ApiError, api, type PatientListItem } from '../api.js';
import { chartsApi, type EncounterView } from '../charts-api.js';
import { scanningApi, type BatchView, type DocumentTypeView, type QaPageView } from '../scanning-api.js';
import { ErrorMessage, Notice } from '../components/Messages.js';
import { formatDate, formatDateTime } from '../format.js';
import { Link } from '../router.js';
import { BreakGlassPanel } from './BreakGlassPanel.js';
import { moveBetweenRows, workListProps } from '../work-list.js';

/** The patient, encounter and type that pages are filed to (or a cover sheet printed for). */
interface Target {
  patient: PatientListItem;
  encounterId: string;
  typeCode: string;
}

/**
 * Finds a patient by name or MRN (the patient search of the Patients screen), then offers the record's encounters and
 * the document types. A restricted record asks for break-the-glass before its encounters show.
 */
function TargetPicker({
  idPrefix,
  types,
  value,
  onChange,
}: {
  idPrefix: string;
  types: DocumentTypeView[];
  value: Target | null;
  onChange: (t: Target | null) => void;
}) {
  const [q, setQ] = useState('');
  const [found, setFound] = useState<PatientListItem[] | null>(null);
  const [encounters, setEncounters] = useState<EncounterView[]>([]);
  const [glass, setGlass] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function find(e: SyntheticEvent) {
    e.preventDefault();
    setError(null);
    try {
      setFound((await api.searchPatients(q)).items);
    } catch (err) {
      setError(err);
    }
  }
  async function choose(p: PatientListItem) {
    setGlass(false);
    setEncounters([]);
    onChange({ patient: p, encounterId: '', typeCode: value?.typeCode ?? '' });
    try {
      setEncounters((await chartsApi.encounters(p.id)).items);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'break_glass_required') setGlass(true);
      else if (!(err instanceof ApiError && err.code === 'forbidden')) setError(err);
    }
  }

  return (
    <div>
      <ErrorMessage error={error} />
      {!value && (
        <>
          <div className="search-bar">
            <label htmlFor={`${idPrefix}-q`} className="sr-only">
              Patient name or MRN
            </label>
            <input
              id={`${idPrefix}-q`}
              value={q}
              onChange={(e) => setQ(e.target.value)}
              placeholder="Patient name or MRN"
              onKeyDown={(e) => {
                if (e.key === 'Enter') void find(e);
              }}
            />
            <button type="button" className="btn" onClick={(e) => void find(e)}>
              Find patient
            </button>
          </div>
          {found && (
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
        </>
      )}
      {value && (
        <>
          <p>
            Patient <strong>{`${value.patient.familyName}, ${value.patient.givenName}`}</strong> (MRN {value.patient.mrn}){' '}
            <button type="button" className="btn-link" onClick={() => onChange(null)}>
              change
            </button>
          </p>
          {glass && (
            <BreakGlassPanel
              patientId={value.patient.id}
              onGranted={() => {
                setGlass(false);
                void choose(value.patient);
              }}
            />
          )}
          <div className="form-grid">
            <div className="field">
              <label htmlFor={`${idPrefix}-enc`}>Encounter</label>
              <select
                id={`${idPrefix}-enc`}
                value={value.encounterId}
                onChange={(e) => onChange({ ...value, encounterId: e.target.value })}
              >
                <option value="">None (the patient record)</option>
                {encounters.map((e) => (
                  <option key={e.id} value={e.id}>
                    {e.accountNumber} — {e.type}, {formatDate(e.admitAt)}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor={`${idPrefix}-type`}>Document type</label>
              <select id={`${idPrefix}-type`} value={value.typeCode} onChange={(e) => onChange({ ...value, typeCode: e.target.value })}>
                <option value="">Choose a type</option>
                {types.map((t) => (
                  <option key={t.code} value={t.code}>
                    {t.name} ({t.code})
                  </option>
                ))}
              </select>
            </div>
          </div>
        </>
      )}
    </div>
  );
}

/**
 * The scan QA queue (document:write: HIM clerks and directors): pages the scan inbox could not file, each with its
 * thumbnail and reason. Select consecutive pages of one batch and file them as one document of a patient, encounter
 * and type, or discard them with a reason. Also prints barcoded cover sheets.
 */
export function ScanQaPage() {
  const [pages, setPages] = useState<QaPageView[] | null>(null);
  const [batches, setBatches] = useState<BatchView[]>([]);
  const [types, setTypes] = useState<DocumentTypeView[]>([]);
  const [selected, setSelected] = useState<string[]>([]);
  const [target, setTarget] = useState<Target | null>(null);
  const [sheetTarget, setSheetTarget] = useState<Target | null>(null);
  const [discardReason, setDiscardReason] = useState('');
  const [notice, setNotice] = useState<{ text: string; patientId?: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      const [q, b] = await Promise.all([scanningApi.qaPages(), scanningApi.batches()]);
      setPages(q.items);
      setBatches(b.items);
      setSelected((s) => s.filter((id) => q.items.some((p) => p.id === id)));
    } catch (err) {
      setError(err);
    }
  }, []);
  useEffect(() => {
    void load();
    scanningApi.documentTypes().then((r) => setTypes(r.items), setError);
  }, [load]);

  const toggle = (id: string) => setSelected((s) => (s.includes(id) ? s.filter((x) => x !== id) : [...s, id]));

  async function fileSelected(e: SyntheticEvent) {
    e.preventDefault();
    if (!target) return;
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const d = await scanningApi.indexPages({
        pageIds: selected,
        patientId: target.patient.id,
        encounterId: target.encounterId || null,
        typeCode: target.typeCode,
      });
      setNotice({
        text: `Filed ${d.pageCount} page(s) as ${d.title} in the record of ${target.patient.familyName}, ${target.patient.givenName}.`,
        patientId: target.patient.id,
      });
      setSelected([]);
      setTarget(null);
      await load();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  async function discard(e: SyntheticEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const r = await scanningApi.discardPages(selected, discardReason);
      setNotice({ text: `Discarded ${r.discarded} page(s).` });
      setSelected([]);
      setDiscardReason('');
      await load();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  async function printSheet(e: SyntheticEvent) {
    e.preventDefault();
    if (!sheetTarget) return;
    setError(null);
    try {
      const pdf = await scanningApi.coverSheet({
        patientId: sheetTarget.patient.id,
        encounterId: sheetTarget.encounterId || null,
        typeCode: sheetTarget.typeCode,
      });
      window.open(URL.createObjectURL(pdf), '_blank', 'noopener');
      setNotice({ text: 'Cover sheet ready: print it and put it in front of the pages of the document.' });
    } catch (err) {
      setError(err);
    }
  }

  return (
    <div>
      <h1>Scan QA queue</h1>
      <ErrorMessage error={error} />
      {notice && (
        <Notice kind="success">
          {notice.text} {notice.patientId && <Link to={`/patients/${notice.patientId}`}>Open the record</Link>}
        </Notice>
      )}
      <section className="card section" aria-labelledby="qa-h">
        <h2 id="qa-h">Pages waiting</h2>
        {pages === null ? (
          <p className="muted">Loading…</p>
        ) : pages.length === 0 ? (
          <p className="muted">No pages are waiting.</p>
        ) : (
          <table className="table" aria-label="Pages waiting" {...workListProps}>
            <thead>
              <tr>
                <th scope="col">Select</th>
                <th scope="col">Page</th>
                <th scope="col">Batch</th>
                <th scope="col">Reason</th>
                <th scope="col">Received</th>
              </tr>
            </thead>
            <tbody onKeyDown={moveBetweenRows}>
              {pages.map((p) => (
                <tr key={p.id}>
                  <td>
                    <input
                      type="checkbox"
                      id={`qa-${p.id}`}
                      checked={selected.includes(p.id)}
                      onChange={() => toggle(p.id)}
                      aria-label={
                        p.page === 0
                          ? `Select the file of batch ${p.batchId.slice(-8)}`
                          : `Select page ${p.page} of batch ${p.batchId.slice(-8)}`
                      }
                    />
                  </td>
                  <td>
                    {p.hasThumbnail ? (
                      <img src={scanningApi.thumbnailUrl(p.id)} alt={`Page ${p.page}`} width={120} loading="lazy" />
                    ) : (
                      <span className="muted">no image</span>
                    )}
                    <div className="small">{p.page === 0 ? 'whole file' : `page ${p.page}`}</div>
                  </td>
                  <td className="mono small">{p.batchId.slice(-8)}</td>
                  <td>{p.reasonText}</td>
                  <td className="nowrap">{formatDateTime(p.receivedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {selected.length > 0 && (
        <section className="card section" aria-labelledby="idx-h">
          <h2 id="idx-h">File {selected.length} selected page(s)</h2>
          <form onSubmit={(e) => void fileSelected(e)}>
            <TargetPicker idPrefix="idx" types={types} value={target} onChange={setTarget} />
            <button type="submit" className="btn btn-primary" disabled={busy || !target?.typeCode}>
              File these pages
            </button>
          </form>
          <form onSubmit={(e) => void discard(e)} className="inline-form">
            <label htmlFor="discard-reason">Reason for discarding</label>
            <input id="discard-reason" value={discardReason} onChange={(e) => setDiscardReason(e.target.value)} autoComplete="off" />
            <button type="submit" className="btn" disabled={busy || discardReason.trim().length < 3}>
              Discard these pages
            </button>
          </form>
        </section>
      )}
      <section className="card section" aria-labelledby="sheet-h">
        <h2 id="sheet-h">Print a cover sheet</h2>
        <form onSubmit={(e) => void printSheet(e)}>
          <TargetPicker idPrefix="sheet" types={types} value={sheetTarget} onChange={setSheetTarget} />
          <button type="submit" className="btn" disabled={!sheetTarget?.typeCode}>
            Print cover sheet
          </button>
        </form>
      </section>
      <section className="card section" aria-labelledby="batches-h">
        <h2 id="batches-h">Recent batches</h2>
        <table className="table" aria-label="Recent batches">
          <thead>
            <tr>
              <th scope="col">Batch</th>
              <th scope="col">Received</th>
              <th scope="col">Status</th>
              <th scope="col">Pages</th>
              <th scope="col">Filed</th>
              <th scope="col">In QA</th>
            </tr>
          </thead>
          <tbody>
            {batches.map((b) => (
              <tr key={b.id}>
                <td className="mono small">{b.id.slice(-8)}</td>
                <td className="nowrap">{formatDateTime(b.receivedAt)}</td>
                <td>
                  {b.status}
                  {b.error && <div className="small muted">{b.error}</div>}
                </td>
                <td>{b.pageCount ?? ''}</td>
                <td>{b.filed}</td>
                <td>{b.qa}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
