import { useEffect, useState } from 'react';
import { codingApi, dotted, type AbstractView, type Feedback } from '../coding-api.js';
import { ErrorMessage, Loading } from '../components/Messages.js';
import { formatDate, formatDateTime } from '../format.js';
import { Link } from '../router.js';
import { usePageTitle } from './StaticPages.js';
import '../coding-summary.css';

/** Secondary diagnoses beyond this many stay in the abstract and are not sent on the 837I claim. */
const CLAIM_SECONDARY_DX_LIMIT = 24;

/**
 * The printable coding summary: encounter, diagnoses with titles and POA, procedures, the MS-DRG and who coded it
 * when, date-times in the reader's local time. Printing leaves out the application's header and navigation.
 */
export function CodingSummaryPage({ id }: { id: string }) {
  usePageTitle('Coding summary');
  const [view, setView] = useState<AbstractView | null>(null);
  const [fb, setFb] = useState<Feedback | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    codingApi.abstract(id).then(async (v) => {
      setView(v);
      setFb(await codingApi.feedback(id, v.data));
    }, setError);
  }, [id]);
  if (!view || !fb) return error ? <ErrorMessage error={error} /> : <Loading />;
  const e = view.encounter;
  const d = view.data;
  const t = (c: string) => fb.titles[c] ?? '';
  const providers = new Map(view.providers.map((p) => [p.id, p.name]));
  return (
    <article className="page coding-summary" data-testid="coding-summary">
      <div className="no-print row">
        <button type="button" className="btn btn-primary" onClick={() => window.print()}>
          Print
        </button>
        <Link to={`/coding/encounters/${encodeURIComponent(id)}`} className="btn">
          Back to the encounter
        </Link>
      </div>
      <h1>Coding summary — account {e.accountNumber}</h1>
      <p className="muted">
        Status: {view.status.replace('_', ' ')}
        {view.codedAt && ` · final-coded ${formatDateTime(view.codedAt)}`} · version {view.version} · printed{' '}
        {formatDateTime(new Date().toISOString())}
      </p>
      <dl className="summary-facts">
        <dt>Patient</dt>
        <dd>
          {e.patientName} (MRN {e.mrn})
        </dd>
        <dt>Type</dt>
        <dd>{e.type}</dd>
        <dt>Admitted</dt>
        <dd>{formatDateTime(e.admitAt)}</dd>
        <dt>Discharged</dt>
        <dd>{formatDateTime(e.dischargeAt)}</dd>
        <dt>Attending</dt>
        <dd>{e.attending ?? ''}</dd>
        <dt>Payer</dt>
        <dd>{e.payerName ?? ''}</dd>
        <dt>Discharge status</dt>
        <dd>{d.dischargeStatus ?? ''}</dd>
        <dt>Admitting diagnosis</dt>
        <dd className="code-chip">{d.admittingDx ? dotted(d.admittingDx) : ''}</dd>
      </dl>
      <h2>Diagnoses (ICD-10-CM)</h2>
      <table className="data-table">
        <thead>
          <tr>
            <th>#</th>
            <th>Code</th>
            <th>Description</th>
            <th>POA</th>
          </tr>
        </thead>
        <tbody>
          {d.principalDx && (
            <tr>
              <td>PDX</td>
              <td className="code-chip">{dotted(d.principalDx.code)}</td>
              <td>{t(d.principalDx.code)}</td>
              <td>{d.principalDx.poa}</td>
            </tr>
          )}
          {d.secondaryDx.map((x, i) => (
            <tr key={`${x.code}-${i}`} className={i >= CLAIM_SECONDARY_DX_LIMIT ? 'muted' : undefined}>
              <td>{i + 1}</td>
              <td className="code-chip">{dotted(x.code)}</td>
              <td>{t(x.code)}</td>
              <td>{x.poa}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Procedures (ICD-10-PCS)</h2>
      {d.procedures.length === 0 ? (
        <p className="muted">None</p>
      ) : (
        <table className="data-table">
          <thead>
            <tr>
              <th>#</th>
              <th>Code</th>
              <th>Description</th>
              <th>Date</th>
              <th>Operating physician</th>
            </tr>
          </thead>
          <tbody>
            {d.procedures.map((p, i) => (
              <tr key={`${p.code}-${i}`}>
                <td>{i === 0 ? 'Principal' : i + 1}</td>
                <td className="code-chip">{p.code}</td>
                <td>{t(p.code)}</td>
                <td>{formatDate(p.date)}</td>
                <td>{p.operatingProviderId ? (providers.get(p.operatingProviderId) ?? '') : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>MS-DRG</h2>
      {fb.drg ? (
        <p>
          <strong>{fb.drg.drg}</strong> {fb.drg.title} · MDC {fb.drg.mdc} {fb.drg.mdcTitle} · grouper v{fb.drg.grouperVersion}
        </p>
      ) : (
        <p className="muted">{fb.drgNote ?? 'Not grouped'}</p>
      )}
      {fb.codeSetRelease && <p className="small muted">{fb.codeSetRelease}</p>}
    </article>
  );
}
