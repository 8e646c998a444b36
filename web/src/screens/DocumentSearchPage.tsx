import { useEffect, useState, type SyntheticEvent } from 'react';
import type { Encounter } from '../api.js';
import { ErrorMessage, FieldError, formLevelError, Loading, describedBy } from '../components/Messages.js';
import { documentsApi, type DocumentTypeView, type SearchHit } from '../documents-api.js';
import { rememberHitTerms } from '../documents-hit.js';
import { documentStatusOptions, snippetParts, statusLabel } from '../documents.js';
import { capitalize, formatDate, formatDateTime, localDayRange } from '../format.js';
import { Link, useRouter } from '../router.js';
import { ApiError } from '../api.js';
import { usePageTitle } from './StaticPages.js';
import '../documents.css';

/** Whole-record document search at `/documents` (restricted records are searched through their chart). */
export function DocumentSearchPage() {
  usePageTitle('Document search');
  const [types, setTypes] = useState<DocumentTypeView[]>([]);
  useEffect(() => {
    documentsApi.types().then(
      (r) => setTypes(r.items),
      () => setTypes([]),
    );
  }, []);
  return (
    <section className="page">
      <h1>Document search</h1>
      <p className="muted">
        Searches the text of every document you may read, native and OCR. Restricted records are left out: search them from the
        patient&apos;s chart.
      </p>
      <DocumentSearchPanel types={types} />
    </section>
  );
}

interface Answer {
  hits: SearchHit[];
  terms: string[];
}

/**
 * The search form and its hits: words (sent in the POST body only, kept in this component's memory), filters by
 * type, service date range, encounter (within a patient), author and status, snippets with the hits marked.
 * Opening a hit goes to the viewer at its page, the terms remembered in memory to mark them there.
 */
export function DocumentSearchPanel({
  patientId,
  encounters,
  types,
}: {
  patientId?: string;
  encounters?: readonly Encounter[];
  types: readonly DocumentTypeView[];
}) {
  const router = useRouter();
  const [words, setWords] = useState('');
  const [typeCode, setTypeCode] = useState('');
  const [encounterId, setEncounterId] = useState('');
  const [authorName, setAuthorName] = useState('');
  const [status, setStatus] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const typeNames = Object.fromEntries(types.map((t) => [t.code, t.name]));
  const prefix = patientId ? 'pds' : 'ds';

  async function submit(e: SyntheticEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await documentsApi.search({
        words,
        patientId: patientId ?? null,
        typeCode: typeCode || null,
        encounterId: encounterId || null,
        authorName: authorName.trim() || null,
        status: status || null,
        ...localDayRange(from, to),
        limit: 100,
      });
      setAnswer(r);
    } catch (err) {
      setAnswer(null);
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const open = (h: SearchHit, terms: string[]) => {
    rememberHitTerms(h.documentId, terms);
    router.navigate(
      `/documents/${encodeURIComponent(h.documentId)}?v=${h.version}&page=${h.page}&patient=${encodeURIComponent(h.patientId)}`,
    );
  };
  const fe = error instanceof ApiError ? error.fieldErrors : {};

  return (
    <section className="card section" aria-labelledby={`${prefix}-h`}>
      <h2 id={`${prefix}-h`}>{patientId ? 'Search this record' : 'Search'}</h2>
      <form onSubmit={(e) => void submit(e)} role="search" noValidate>
        <div className="form-grid">
          <div className="field field-grow">
            <label htmlFor={`${prefix}-words`}>Words in the documents</label>
            <input
              id={`${prefix}-words`}
              type="search"
              value={words}
              onChange={(e) => setWords(e.target.value)}
              autoComplete="off"
              aria-describedby={describedBy(fe.words && `${prefix}-words-err`)}
            />
            <FieldError id={`${prefix}-words-err`} message={fe.words} />
          </div>
          <div className="field">
            <label htmlFor={`${prefix}-type`}>Type</label>
            <select id={`${prefix}-type`} value={typeCode} onChange={(e) => setTypeCode(e.target.value)}>
              <option value="">Any</option>
              {types.map((t) => (
                <option key={t.code} value={t.code}>
                  {t.name}
                </option>
              ))}
            </select>
          </div>
          {encounters && (
            <div className="field">
              <label htmlFor={`${prefix}-enc`}>Encounter</label>
              <select id={`${prefix}-enc`} value={encounterId} onChange={(e) => setEncounterId(e.target.value)}>
                <option value="">Any</option>
                {encounters.map((e) => (
                  <option key={e.id} value={e.id}>
                    {e.accountNumber} · {capitalize(e.type)} · {formatDate(e.admitAt)}
                  </option>
                ))}
              </select>
            </div>
          )}
          <div className="field">
            <label htmlFor={`${prefix}-author`}>Author</label>
            <input id={`${prefix}-author`} value={authorName} onChange={(e) => setAuthorName(e.target.value)} autoComplete="off" />
          </div>
          <div className="field">
            <label htmlFor={`${prefix}-status`}>Status</label>
            <select id={`${prefix}-status`} value={status} onChange={(e) => setStatus(e.target.value)}>
              <option value="">Any</option>
              {documentStatusOptions
                .filter((s) => s !== 'destroyed')
                .map((s) => (
                  <option key={s} value={s}>
                    {statusLabel(s)}
                  </option>
                ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${prefix}-from`}>Service date from</label>
            <input id={`${prefix}-from`} type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor={`${prefix}-to`}>to</label>
            <input id={`${prefix}-to`} type="date" value={to} onChange={(e) => setTo(e.target.value)} />
          </div>
        </div>
        <div className="form-actions row">
          <button type="submit" className="btn btn-primary" disabled={busy}>
            Search
          </button>
        </div>
      </form>
      <ErrorMessage error={formLevelError(error, ['words'])} />
      <div aria-live="polite">
        {busy && <Loading label="Searching…" />}
        {answer && (
          <p className="muted" role="status">
            {answer.hits.length === 0
              ? 'No document has all these words.'
              : `${answer.hits.length} page${answer.hits.length === 1 ? '' : 's'} found.`}
          </p>
        )}
      </div>
      {answer && answer.hits.length > 0 && (
        <ol className="search-hits" aria-label="Search results">
          {answer.hits.map((h) => (
            <li key={`${h.documentId}-${h.version}-${h.page}`} className="search-hit">
              <button type="button" className="btn-link hit-title" onClick={() => open(h, answer.terms)}>
                {h.title}
              </button>{' '}
              <span className="muted">
                {typeNames[h.typeCode] ?? h.typeCode} · {formatDateTime(h.serviceAt)} · page {h.page} · {statusLabel(h.status)}
                {h.authorName ? ` · ${h.authorName}` : ''}
              </span>
              {!patientId && (
                <>
                  {' '}
                  <Link to={`/patients/${encodeURIComponent(h.patientId)}/chart`} className="small">
                    Open the chart
                  </Link>
                </>
              )}
              <p className="snippet">
                {snippetParts(h.snippet).map((p, i) => (p.hit ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}
              </p>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
