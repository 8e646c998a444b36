import { useCallback, useEffect, useState, type SyntheticEvent } from 'react';
import { ApiError } from '../api.js';
import { ErrorMessage, Loading, Notice } from '../components/Messages.js';
import { documentsApi, type DocumentView } from '../documents-api.js';
import { hitTermsFor } from '../documents-hit.js';
import { formatBytes, statusLabel, tokens } from '../documents.js';
import { formatDateTime } from '../format.js';
import { Link, useRouter } from '../router.js';
import { useSession } from '../session.js';
import { BreakGlassPanel } from './BreakGlassPanel.js';
import { COMPARE_WIDTH, DocumentPane } from './DocumentPane.js';
import { usePageTitle } from './StaticPages.js';
import '../documents.css';

type Load =
  | { state: 'loading' }
  | { state: 'ok'; doc: DocumentView }
  | { state: 'break-glass' }
  | { state: 'not-found' }
  | { state: 'error'; error: unknown };

/** A positive integer from the query string, or the fallback. */
function intParam(search: string, name: string, fallback: number): number {
  const n = Number(new URLSearchParams(search).get(name));
  return Number.isInteger(n) && n >= 1 ? n : fallback;
}

/**
 * The document viewer at `/documents/:id` (`?v=` version, `?page=` page, `?patient=` the record's id for the
 * break-the-glass flow: ids only). Shows the document's facts, signatures and holds, one version (or two side by
 * side), and the sign / make final / entered-in-error actions for the roles that may. The terms of the search it
 * was opened from come from memory (documents-hit.ts), never the URL; "Find in document" marks others.
 */
export function DocumentViewerPage({ id }: { id: string }) {
  usePageTitle('Document');
  const { location } = useRouter();
  const patientParam = new URLSearchParams(location.search).get('patient');
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [reloadKey, setReloadKey] = useState(0);

  useEffect(() => {
    const ctl = new AbortController();
    documentsApi.document(id, ctl.signal).then(
      (doc) => setLoad({ state: 'ok', doc }),
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
      {load.state === 'loading' && <Loading label="Loading the document…" />}
      {load.state === 'not-found' && (
        <>
          <h1>Document not found</h1>
          <p>No document matches this link, or it is not available to you.</p>
        </>
      )}
      {load.state === 'error' && (
        <>
          <h1>Document</h1>
          <ErrorMessage error={load.error} />
        </>
      )}
      {load.state === 'break-glass' &&
        (patientParam ? (
          <BreakGlassPanel patientId={patientParam} onGranted={reload} />
        ) : (
          <>
            <h1>Restricted document</h1>
            <p>This document is in a restricted record or is confidential. Open it from the patient&apos;s chart to break the glass.</p>
          </>
        ))}
      {load.state === 'ok' && (
        <Viewer
          doc={load.doc}
          initialVersion={intParam(location.search, 'v', load.doc.currentVersion)}
          initialPage={intParam(location.search, 'page', 1)}
          onChanged={(doc) => setLoad({ state: 'ok', doc })}
        />
      )}
    </section>
  );
}

function Viewer({
  doc,
  initialVersion,
  initialPage,
  onChanged,
}: {
  doc: DocumentView;
  initialVersion: number;
  initialPage: number;
  onChanged: (doc: DocumentView) => void;
}) {
  const [version, setVersion] = useState(doc.versions.some((v) => v.version === initialVersion) ? initialVersion : doc.currentVersion);
  const [compare, setCompare] = useState<number | null>(null);
  const [terms, setTerms] = useState<string[]>(() => hitTermsFor(doc.id));
  const [find, setFind] = useState('');
  const encounterLink = `/patients/${encodeURIComponent(doc.patientId)}/chart`;
  return (
    <>
      <p className="crumbs">
        <Link to={encounterLink}>← Chart documents</Link> · <Link to="/documents">Document search</Link>
      </p>
      <div className="page-head">
        <h1>
          {doc.title} <span className="muted">({doc.typeName})</span>
        </h1>
        <span className={`badge doc-status-${doc.status}`} data-testid="doc-status">
          {statusLabel(doc.status)}
        </span>
      </div>
      <dl className="banner-facts doc-facts">
        <div>
          <dt>Service date</dt>
          <dd>{formatDateTime(doc.serviceAt)}</dd>
        </div>
        <div>
          <dt>Author</dt>
          <dd>{doc.authorName ?? '—'}</dd>
        </div>
        <div>
          <dt>Type</dt>
          <dd>
            {doc.typeName}
            {doc.loincCode && <span className="muted"> (LOINC {doc.loincCode})</span>}
          </dd>
        </div>
        <div>
          <dt>Source</dt>
          <dd>{doc.source}</dd>
        </div>
        {doc.confidentiality.length > 0 && (
          <div>
            <dt>Confidential</dt>
            <dd>{doc.confidentiality.join(', ')}</dd>
          </div>
        )}
      </dl>
      {doc.statusReason && <Notice kind="warning">Status reason: {doc.statusReason}</Notice>}
      {doc.holds.length > 0 && <Notice kind="warning">Under legal hold: {doc.holds.map((h) => h.matter).join(', ')}.</Notice>}
      {doc.awaitingCosign && <Notice kind="info">Signed by the author; awaiting the co-signature.</Notice>}

      <div className="doc-controls">
        <div className="field">
          <label htmlFor="doc-version">Version</label>
          <select id="doc-version" value={version} onChange={(e) => setVersion(Number(e.target.value))}>
            {doc.versions.map((v) => (
              <option key={v.version} value={v.version}>
                {v.version} – {v.kind}
                {v.version === doc.currentVersion ? ' (current)' : ''}
              </option>
            ))}
          </select>
        </div>
        {doc.versions.length > 1 && (
          <div className="field">
            <label htmlFor="doc-compare">Side by side with</label>
            <select id="doc-compare" value={compare ?? ''} onChange={(e) => setCompare(e.target.value ? Number(e.target.value) : null)}>
              <option value="">No other version</option>
              {doc.versions.map((v) => (
                <option key={v.version} value={v.version}>
                  Version {v.version} – {v.kind}
                </option>
              ))}
            </select>
          </div>
        )}
        <form
          className="field doc-find"
          role="search"
          onSubmit={(e) => {
            e.preventDefault();
            setTerms([...new Set(tokens(find))]);
          }}
        >
          <label htmlFor="doc-find">Find in document</label>
          <div className="row">
            <input id="doc-find" type="search" value={find} onChange={(e) => setFind(e.target.value)} autoComplete="off" />
            <button type="submit" className="btn btn-small">
              Find
            </button>
          </div>
        </form>
      </div>
      {terms.length > 0 && (
        <p className="muted small" aria-live="polite">
          Marking: {terms.join(', ')}
        </p>
      )}

      <div className={compare ? 'doc-compare' : undefined}>
        <DocumentPane
          key={`a-${version}`}
          doc={doc}
          version={version}
          terms={terms}
          initialPage={initialPage}
          label={`Version ${version}`}
          {...(compare ? { baseWidth: COMPARE_WIDTH } : {})}
        />
        {compare && (
          <DocumentPane
            key={`b-${compare}`}
            doc={doc}
            version={compare}
            terms={terms}
            label={`Version ${compare}`}
            baseWidth={COMPARE_WIDTH}
          />
        )}
      </div>

      <section className="card section" aria-labelledby="vers-h">
        <h2 id="vers-h">Versions and signatures</h2>
        <table className="data-table compact">
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Kind</th>
              <th scope="col">Reason</th>
              <th scope="col">File</th>
              <th scope="col">Filed</th>
              <th scope="col">Signatures</th>
            </tr>
          </thead>
          <tbody>
            {doc.versions.map((v) => (
              <tr key={v.version}>
                <td className="num">{v.version}</td>
                <td>{v.kind}</td>
                <td>{v.reason ?? ''}</td>
                <td>
                  {v.mediaType} · {formatBytes(v.byteSize)} · {v.pageCount} page{v.pageCount === 1 ? '' : 's'}
                </td>
                <td className="nowrap">{formatDateTime(v.createdAt)}</td>
                <td>
                  {doc.signatures
                    .filter((s) => s.version === v.version)
                    .map((s) => `${s.signerName} (${s.role}, ${formatDateTime(s.signedAt)})`)
                    .join('; ')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <DocumentActions doc={doc} onChanged={onChanged} />
    </>
  );
}

type Action = 'sign-author' | 'sign-cosigner' | 'final' | 'entered_in_error';

/** Sign, make final or mark entered in error, for the roles that may (the server checks again). */
function DocumentActions({ doc, onChanged }: { doc: DocumentView; onChanged: (doc: DocumentView) => void }) {
  const { permissions, user } = useSession().session;
  const can = (p: string) => permissions.includes(p);
  const [action, setAction] = useState<Action | null>(null);
  const [text, setText] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const live = doc.status !== 'entered_in_error' && doc.status !== 'destroyed';
  const signedAsAuthor = doc.signatures.some((s) => s.version === doc.currentVersion && s.role === 'author');
  // The co-signer is not the author (the server refuses it too).
  const isAuthor = doc.signatures.some((s) => s.version === doc.currentVersion && s.role === 'author' && s.signerId === user.id);
  const canSign = can('document:sign') && live;
  const canWrite = can('document:write') && live;
  if (!canSign && !canWrite) return null;

  async function submit(e: SyntheticEvent) {
    e.preventDefault();
    if (!action) return;
    setBusy(true);
    setError(null);
    try {
      const next =
        action === 'sign-author' || action === 'sign-cosigner'
          ? await documentsApi.sign(doc.id, action === 'sign-author' ? 'author' : 'cosigner', text)
          : await documentsApi.setStatus(doc.id, action, text);
      setDone(action === 'final' ? 'Made final.' : action === 'entered_in_error' ? 'Marked entered in error.' : 'Signed.');
      setAction(null);
      setText('');
      onChanged(next);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const start = (a: Action) => {
    setAction(a);
    setDone(null);
    setError(null);
    setText(a.startsWith('sign') ? 'I have reviewed this document and attest that it is accurate and complete.' : '');
  };
  return (
    <section className="card section" aria-labelledby="act-h">
      <h2 id="act-h">Actions</h2>
      <div aria-live="polite">{done && <Notice kind="success">{done}</Notice>}</div>
      <div className="row">
        {canSign && !signedAsAuthor && (
          <button type="button" className="btn" onClick={() => start('sign-author')}>
            Sign as author
          </button>
        )}
        {canSign && doc.awaitingCosign && !isAuthor && (
          <button type="button" className="btn" onClick={() => start('sign-cosigner')}>
            Co-sign
          </button>
        )}
        {canWrite && doc.status === 'preliminary' && (
          <button type="button" className="btn" onClick={() => start('final')}>
            Make final
          </button>
        )}
        {canWrite && (
          <button type="button" className="btn btn-danger" onClick={() => start('entered_in_error')}>
            Mark entered in error
          </button>
        )}
      </div>
      {action && (
        <form onSubmit={(e) => void submit(e)} className="section" noValidate>
          <div className="field">
            <label htmlFor="act-text">{action.startsWith('sign') ? 'Attestation' : 'Reason'}</label>
            <textarea id="act-text" rows={2} maxLength={1000} value={text} onChange={(e) => setText(e.target.value)} required />
          </div>
          <ErrorMessage error={error} />
          <div className="form-actions row">
            <button type="submit" className={action === 'entered_in_error' ? 'btn btn-danger' : 'btn btn-primary'} disabled={busy}>
              {busy ? 'Saving…' : 'Confirm'}
            </button>
            <button type="button" className="btn" onClick={() => setAction(null)}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
