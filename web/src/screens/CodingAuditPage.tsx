import { useEffect, useState } from 'react';
import { codingApi, dotted, type AbstractData, type AuditListItem, type AuditView, type Feedback, type Poa } from '../coding-api.js';
import { CodeSearch } from '../components/CodeSearch.js';
import { ErrorMessage, Loading } from '../components/Messages.js';
import { formatDate } from '../format.js';
import { Link, useRouter } from '../router.js';
import { FeedbackPanel } from './FeedbackPanel.js';
import { usePageTitle } from './StaticPages.js';
import { moveBetweenRows, workListProps } from '../work-list.js';

/** Auditors: final-coded encounters to re-abstract blind, with past agreement. */
export function CodingAuditListPage() {
  usePageTitle('Coding audit');
  const { navigate } = useRouter();
  const [items, setItems] = useState<AuditListItem[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    codingApi.audits().then((r) => setItems(r.items), setError);
  }, []);
  return (
    <div className="page">
      <h1>Coding audit</h1>
      <p className="muted">Re-abstract an encounter without seeing the coder's codes; the comparison appears when you submit.</p>
      <ErrorMessage error={error} />
      {!items ? (
        <Loading />
      ) : items.length === 0 ? (
        <p className="muted">No final-coded encounters yet.</p>
      ) : (
        <table className="data-table" data-testid="audit-candidates" {...workListProps}>
          <thead>
            <tr>
              <th>Account</th>
              <th>Type</th>
              <th>Discharged</th>
              <th>Final-coded</th>
              <th>Audit</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody onKeyDown={moveBetweenRows}>
            {items.map((i) => (
              <tr key={i.encounterId}>
                <td>
                  {i.accountNumber}
                  {i.restricted && <span className="badge badge-dark"> restricted</span>}
                </td>
                <td>{i.type}</td>
                <td>{formatDate(i.dischargeAt)}</td>
                <td>{formatDate(i.codedAt)}</td>
                <td>
                  {i.auditStatus
                    ? `${i.auditStatus.replace('_', ' ')}${i.codeAgreementRate !== null ? ` · ${Math.round(i.codeAgreementRate * 100)}% agreement` : ''}`
                    : '—'}
                </td>
                <td>
                  <button
                    type="button"
                    className="btn btn-small"
                    onClick={() => void codingApi.startAudit(i.encounterId).then((a) => navigate(`/coding-audit/${a.id}`), setError)}
                  >
                    {i.auditId ? 'Open' : 'Audit'}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/** The blind re-abstraction of one encounter, then the code-level agreement with the coder. */
export function CodingAuditPage({ id }: { id: string }) {
  usePageTitle('Coding audit');
  const [view, setView] = useState<AuditView | null>(null);
  const [data, setData] = useState<AbstractData | null>(null);
  const [feedback, setFeedback] = useState<Feedback | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    codingApi.audit(id).then((v) => {
      setView(v);
      setData(v.data);
    }, setError);
  }, [id]);
  useEffect(() => {
    if (!data || view?.status === 'submitted') return;
    const ctl = new AbortController();
    const t = setTimeout(() => void codingApi.auditFeedback(id, data, ctl.signal).then(setFeedback, () => undefined), 300);
    return () => {
      clearTimeout(t);
      ctl.abort();
    };
  }, [id, data, view?.status]);
  if (!view || !data) return error ? <ErrorMessage error={error} /> : <Loading />;
  const e = view.encounter;
  const date = (e.dischargeAt ?? e.admitAt).slice(0, 10);
  const open = view.status === 'in_progress';
  const save = (submit: boolean) =>
    codingApi.saveAudit(id, data, submit).then((v) => {
      setView(v);
      setData(v.data);
    }, setError);
  const setPoa = (i: number, poa: Poa) => setData({ ...data, secondaryDx: data.secondaryDx.map((d, j) => (j === i ? { ...d, poa } : d)) });
  const a = view.agreement;
  return (
    <div className="page">
      <p className="crumbs">
        <Link to="/coding-audit">Coding audit</Link>
      </p>
      <h1>Audit of account {e.accountNumber}</h1>
      <p className="muted">
        {e.type} · admitted {formatDate(e.admitAt)} · discharged {formatDate(e.dischargeAt)} · attending {e.attending ?? '—'}
      </p>
      <ErrorMessage error={error} />
      <div className="coding-grid">
        <section className="section">
          <h2>Your codes</h2>
          {open && (
            <CodeSearch
              label="Find a diagnosis"
              system="cm"
              date={date}
              onPick={(h) =>
                setData(
                  data.principalDx
                    ? { ...data, secondaryDx: [...data.secondaryDx, { code: h.code, poa: 'Y' }] }
                    : { ...data, principalDx: { code: h.code, poa: 'Y' } },
                )
              }
            />
          )}
          <ul className="plain-list">
            {data.principalDx && (
              <li>
                <strong>PDX</strong> {dotted(data.principalDx.code)} {feedback?.titles[data.principalDx.code]}
              </li>
            )}
            {data.secondaryDx.map((d, i) => (
              <li key={`${d.code}${i}`}>
                {dotted(d.code)} {feedback?.titles[d.code]}{' '}
                <select aria-label={`POA ${d.code}`} value={d.poa} disabled={!open} onChange={(ev) => setPoa(i, ev.target.value as Poa)}>
                  {['Y', 'N', 'U', 'W', '1', ''].map((p) => (
                    <option key={p} value={p}>
                      {p || 'POA?'}
                    </option>
                  ))}
                </select>
                {open && (
                  <button
                    type="button"
                    className="btn btn-small btn-quiet"
                    onClick={() => setData({ ...data, secondaryDx: data.secondaryDx.filter((_, j) => j !== i) })}
                  >
                    Remove
                  </button>
                )}
              </li>
            ))}
          </ul>
          {open && (
            <CodeSearch
              label="Find a procedure"
              system="pcs"
              date={date}
              onPick={(h) => setData({ ...data, procedures: [...data.procedures, { code: h.code, date, operatingProviderId: null }] })}
            />
          )}
          <ul className="plain-list">
            {data.procedures.map((p, i) => (
              <li key={`${p.code}${i}`}>
                {p.code} {feedback?.titles[p.code]}
              </li>
            ))}
          </ul>
          {open && (
            <div className="form-actions">
              <button type="button" className="btn" onClick={() => void save(false)}>
                Save
              </button>
              <button type="button" className="btn btn-primary" onClick={() => void save(true)}>
                Submit and compare
              </button>
            </div>
          )}
        </section>
        {open ? (
          <FeedbackPanel feedback={feedback} />
        ) : (
          a && (
            <section className="section" data-testid="agreement">
              <h2>Agreement with the coder: {Math.round(a.codeAgreementRate * 100)}%</h2>
              <ul>
                <li>
                  Principal diagnosis: coder {a.principalDx.coder ? dotted(a.principalDx.coder) : '—'}, you{' '}
                  {a.principalDx.auditor ? dotted(a.principalDx.auditor) : '—'} ({a.principalDx.agree ? 'agree' : 'differ'})
                </li>
                <li>
                  Secondary matched: {a.secondaryDx.matched.map(dotted).join(', ') || '—'}; coder only:{' '}
                  {a.secondaryDx.coderOnly.map(dotted).join(', ') || '—'}; yours only:{' '}
                  {a.secondaryDx.auditorOnly.map(dotted).join(', ') || '—'}; POA differs:{' '}
                  {a.secondaryDx.poaDiffers.map(dotted).join(', ') || '—'}
                </li>
                <li>
                  Procedures matched: {a.procedures.matched.join(', ') || '—'}; coder only: {a.procedures.coderOnly.join(', ') || '—'};
                  yours only: {a.procedures.auditorOnly.join(', ') || '—'}
                </li>
                <li>
                  MS-DRG: coder {a.drg.coder ?? '—'}, you {a.drg.auditor ?? '—'} ({a.drg.agree ? 'agree' : 'differ'})
                </li>
              </ul>
            </section>
          )
        )}
      </div>
      <section className="section">
        <h2>Documents</h2>
        {view.documents.map((d) => (
          <article key={d.id} className="card">
            <h3>{d.title}</h3>
            <p className="wrap">{d.text}</p>
          </article>
        ))}
      </section>
    </div>
  );
}
