import { useCallback, useEffect, useMemo, useState, type KeyboardEvent } from 'react';
import { api, ApiError, type PatientSummary } from '../api.js';
import { ErrorMessage, Loading } from '../components/Messages.js';
import { documentsApi, type DocumentSummary, type DocumentTypeView } from '../documents-api.js';
import { groupChart, statusLabel, type ChartEncounterNode } from '../documents.js';
import { capitalize, formatDate, formatDateTime, formatName } from '../format.js';
import { Link } from '../router.js';
import { useSession } from '../session.js';
import { BreakGlassPanel } from './BreakGlassPanel.js';
import { DocumentSearchPanel } from './DocumentSearchPage.js';
import { DocumentUpload } from './DocumentUpload.js';
import { usePageTitle } from './StaticPages.js';
import '../documents.css';

type Load =
  | { state: 'loading' }
  | { state: 'ok'; patient: PatientSummary; documents: DocumentSummary[]; types: DocumentTypeView[] }
  | { state: 'break-glass' }
  | { state: 'not-found' }
  | { state: 'error'; error: unknown };

/**
 * A patient's chart: the legal health record's documents as chart tabs, one per encounter (newest first, then the
 * documents filed without one), each listing its documents by type. Upload for roles that file documents, and a
 * search within the record. Reads through the API (audited); a restricted record asks to break the glass first.
 */
export function PatientChartPage({ id }: { id: string }) {
  usePageTitle('Chart documents');
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [reloadKey, setReloadKey] = useState(0);

  useEffect(() => {
    const ctl = new AbortController();
    Promise.all([api.patientSummary(id, ctl.signal), documentsApi.forPatient(id, {}, ctl.signal), documentsApi.types()]).then(
      ([patient, docs, types]) => setLoad({ state: 'ok', patient, documents: docs.items, types: types.items }),
      (err: unknown) => {
        if (err instanceof DOMException && err.name === 'AbortError') return;
        if (err instanceof ApiError && err.code === 'break_glass_required') setLoad({ state: 'break-glass' });
        else if (err instanceof ApiError && err.status === 404) setLoad({ state: 'not-found' });
        else setLoad({ state: 'error', error: err });
      },
    );
    return () => ctl.abort();
  }, [id, reloadKey]);
  const reload = useCallback(() => setReloadKey((k) => k + 1), []);

  return (
    <section className="page">
      <p className="crumbs">
        <Link to={`/patients/${encodeURIComponent(id)}`}>← Patient summary</Link>
      </p>
      {load.state === 'loading' && <Loading label="Loading the chart…" />}
      {load.state === 'not-found' && (
        <>
          <h1>Patient not found</h1>
          <p>No patient record matches this link, or it is not available to you.</p>
        </>
      )}
      {load.state === 'error' && (
        <>
          <h1>Chart documents</h1>
          <ErrorMessage error={load.error} />
          <button type="button" className="btn" onClick={reload}>
            Try again
          </button>
        </>
      )}
      {load.state === 'break-glass' && <BreakGlassPanel patientId={id} onGranted={reload} />}
      {load.state === 'ok' && <Chart patient={load.patient} documents={load.documents} types={load.types} onFiled={reload} />}
    </section>
  );
}

function Chart({
  patient,
  documents,
  types,
  onFiled,
}: {
  patient: PatientSummary;
  documents: DocumentSummary[];
  types: DocumentTypeView[];
  onFiled: () => void;
}) {
  const { permissions } = useSession().session;
  const p = patient.patient;
  const typeNames = useMemo(() => Object.fromEntries(types.map((t) => [t.code, t.name])), [types]);
  const tree = useMemo(() => groupChart(documents, patient.encounters, typeNames), [documents, patient.encounters, typeNames]);
  const [tab, setTab] = useState(0);
  const current = tree[Math.min(tab, tree.length - 1)];
  // Arrow keys, Home and End move between the tabs (WAI-ARIA tabs pattern); Tab goes into the panel.
  const onTabKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const at = current ? tree.indexOf(current) : 0;
    const next =
      e.key === 'ArrowRight'
        ? (at + 1) % tree.length
        : e.key === 'ArrowLeft'
          ? (at - 1 + tree.length) % tree.length
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? tree.length - 1
              : null;
    if (next === null) return;
    e.preventDefault();
    setTab(next);
    document.getElementById(`chart-tab-${next}`)?.focus();
  };
  return (
    <>
      <div className="page-head">
        <h1>
          Chart documents: {formatName(p)} <span className="muted mono">MRN {p.mrn}</span>
        </h1>
      </div>
      {tree.length === 0 ? (
        <p className="muted">No documents on file.</p>
      ) : (
        <div className="chart-tabs">
          <div role="tablist" aria-label="Encounters" className="chart-tablist" onKeyDown={onTabKey}>
            {tree.map((node, i) => (
              <button
                key={node.encounterId ?? 'none'}
                type="button"
                role="tab"
                id={`chart-tab-${i}`}
                aria-selected={node === current}
                tabIndex={node === current ? 0 : -1}
                aria-controls="chart-panel"
                className={node === current ? 'chart-tab current' : 'chart-tab'}
                onClick={() => setTab(i)}
              >
                {encounterLabel(node)} <span className="muted">({node.count})</span>
              </button>
            ))}
          </div>
          {current && (
            <div role="tabpanel" id="chart-panel" aria-labelledby={`chart-tab-${tree.indexOf(current)}`} className="chart-panel">
              {current.types.map((t) => (
                <section key={t.typeCode} aria-label={t.typeName} className="chart-type">
                  <h3>
                    {t.typeName} <span className="muted">({t.documents.length})</span>
                  </h3>
                  <table className="data-table compact">
                    <thead>
                      <tr>
                        <th scope="col">Title</th>
                        <th scope="col">Service date</th>
                        <th scope="col">Author</th>
                        <th scope="col">Status</th>
                        <th scope="col">Pages</th>
                      </tr>
                    </thead>
                    <tbody>
                      {t.documents.map((d) => (
                        <tr key={d.id}>
                          <td>
                            <Link to={`/documents/${encodeURIComponent(d.id)}?patient=${encodeURIComponent(d.patientId)}`}>{d.title}</Link>
                            {d.confidentiality.length > 0 && <span className="badge badge-warn"> confidential</span>}
                          </td>
                          <td className="nowrap">{formatDateTime(d.serviceAt)}</td>
                          <td>{d.authorName ?? ''}</td>
                          <td>{statusLabel(d.status)}</td>
                          <td className="num">{d.pageCount ?? ''}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </section>
              ))}
            </div>
          )}
        </div>
      )}
      {permissions.includes('document:write') && (
        <DocumentUpload patientId={p.id} encounters={patient.encounters} types={types} onFiled={onFiled} />
      )}
      <DocumentSearchPanel patientId={p.id} encounters={patient.encounters} types={types} />
    </>
  );
}

function encounterLabel(node: ChartEncounterNode<DocumentSummary>): string {
  if (!node.encounterId) return 'Not linked to an encounter';
  const e = node.encounter;
  if (!e) return 'Other encounter';
  return `${e.accountNumber} · ${capitalize(e.type)} · ${formatDate(e.admitAt)}`;
}
