import { useCallback, useEffect, useState, type SyntheticEvent } from 'react';
import { billingApi, money, type ClaimListItem, type ReleaseResult, type UnbilledEncounter } from '../billing-api.js';
import { ErrorMessage, Loading, Notice } from '../components/Messages.js';
import { Link, useRouter } from '../router.js';
import { moveBetweenRows, workListProps } from '../work-list.js';
import { usePageTitle } from './StaticPages.js';
import { usePayerFilteredList } from './billing-list.js';
import '../billing.css';

const tabs = [
  { path: '/billing', label: 'Claims' },
  { path: '/billing/release', label: 'Release batch' },
  { path: '/billing/remittance', label: 'Remittance' },
  { path: '/billing/denials', label: 'Denials' },
  { path: '/billing/ar', label: 'A/R ageing' },
];

/** The biller's screens, one link each; the current one is marked for screen readers. */
export function BillingTabs() {
  const { pathname } = useRouter().location;
  return (
    <nav aria-label="Billing" className="billing-tabs">
      <ul>
        {tabs.map((t) => (
          <li key={t.path}>
            <Link to={t.path} className="btn btn-small" aria-current={pathname === t.path ? 'page' : undefined}>
              {t.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export const statusBadge: Record<string, string> = { draft: 'badge-warn', ready: 'badge-ok', released: 'badge-dark' };

/** Final-coded encounters without a claim: build (and scrub) the claim of one. */
function UnbilledEncounters({ onBuilt }: { onBuilt: () => void }) {
  const [items, setItems] = useState<UnbilledEncounter[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const load = useCallback(() => billingApi.unbilled().then((r) => setItems(r.items), setError), []);
  useEffect(() => {
    void load();
  }, [load]);
  const build = async (e: UnbilledEncounter, kind: '837I' | '837P') => {
    setError(null);
    try {
      const c = await billingApi.build(e.encounterId, kind);
      setNotice(
        `${kind} claim built for account ${e.accountNumber ?? ''}: ${c.status}${c.errors ? `, ${String(c.errors)} scrub errors` : ''}.`,
      );
      await load();
      onBuilt();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section className="card section" aria-labelledby="unbilled-h">
      <h2 id="unbilled-h">Final-coded, not yet billed</h2>
      <div aria-live="polite">{notice && <Notice kind="success">{notice}</Notice>}</div>
      <ErrorMessage error={error} />
      {!items ? (
        <Loading />
      ) : items.length === 0 ? (
        <p className="muted">Every final-coded encounter has a claim.</p>
      ) : (
        <table className="data-table" aria-label="Encounters to bill">
          <thead>
            <tr>
              <th>Account</th>
              <th>Patient</th>
              <th>Type</th>
              <th>Discharged</th>
              <th>MS-DRG</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((e) => (
              <tr key={e.encounterId}>
                <td className="mono">{e.accountNumber ?? <span className="badge badge-dark">restricted</span>}</td>
                <td>
                  {e.patientName ?? <span className="muted">withheld</span>} <span className="mono small">MRN {e.mrn}</span>
                </td>
                <td>{e.type}</td>
                <td className="nowrap">{e.dischargeAt?.slice(0, 10)}</td>
                <td>{e.drg}</td>
                <td className="nowrap">
                  {!e.restricted && (
                    <>
                      <button type="button" className="btn btn-small" onClick={() => void build(e, '837I')}>
                        Build 837I<span className="sr-only"> for account {e.accountNumber}</span>
                      </button>{' '}
                      <button type="button" className="btn btn-small" onClick={() => void build(e, '837P')}>
                        Build 837P<span className="sr-only"> for account {e.accountNumber}</span>
                      </button>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

type ClaimFilter = { status: string; payerId: string; scrub: string; kind: string };
const CLAIM_FILTER: ClaimFilter = { status: '', payerId: '', scrub: '', kind: '' };
const fetchClaims = (f: ClaimFilter) => billingApi.claims(f);

/** The claim edit worklist: claims with their scrub errors and warnings, filtered by status, payer and findings. */
export function ClaimsWorklistPage() {
  usePageTitle('Billing');
  const { filter, set, payers, items, error, load } = usePayerFilteredList<ClaimFilter, ClaimListItem>(CLAIM_FILTER, fetchClaims);
  return (
    <section className="page">
      <h1>Billing</h1>
      <BillingTabs />
      <UnbilledEncounters onBuilt={() => void load()} />
      <section className="card section" aria-labelledby="claims-h">
        <h2 id="claims-h">Claims</h2>
        <div className="billing-filters">
          <div className="field">
            <label htmlFor="claims-status">Status</label>
            <select id="claims-status" value={filter.status} onChange={set('status')}>
              <option value="">Any</option>
              <option value="draft">Draft (scrub errors)</option>
              <option value="ready">Ready to release</option>
              <option value="released">Released</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor="claims-kind">Kind</label>
            <select id="claims-kind" value={filter.kind} onChange={set('kind')}>
              <option value="">Any</option>
              <option value="837I">837I institutional</option>
              <option value="837P">837P professional</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor="claims-payer">Payer</label>
            <select id="claims-payer" value={filter.payerId} onChange={set('payerId')}>
              <option value="">Any</option>
              {payers.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="claims-scrub">Edits</label>
            <select id="claims-scrub" value={filter.scrub} onChange={set('scrub')}>
              <option value="">Any</option>
              <option value="errors">With scrub errors</option>
              <option value="warnings">With warnings</option>
              <option value="clean">Clean</option>
              <option value="rejected">Rejected by the payer (999/277CA)</option>
            </select>
          </div>
        </div>
        <ErrorMessage error={error} />
        {!items ? (
          <Loading />
        ) : items.length === 0 ? (
          <p className="muted">No claims.</p>
        ) : (
          <table className="data-table" aria-label="Claims" {...workListProps}>
            <thead>
              <tr>
                <th>Account</th>
                <th>Kind</th>
                <th>Payer</th>
                <th>Statement</th>
                <th className="num">Charge</th>
                <th>Status</th>
                <th>Edits</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody onKeyDown={moveBetweenRows}>
              {items.map((c) =>
                c.status === null ? (
                  <tr key={c.claimId}>
                    <td colSpan={7}>
                      <span className="badge badge-dark">restricted</span> <span className="muted">details withheld</span>
                    </td>
                    <td>
                      <Link to={`/billing/claims/${encodeURIComponent(c.claimId)}`} className="btn btn-small">
                        Open
                      </Link>
                    </td>
                  </tr>
                ) : (
                  <tr key={c.claimId}>
                    <td className="mono">{c.accountNumber}</td>
                    <td>{c.kind}</td>
                    <td>{c.payerName}</td>
                    <td className="nowrap">
                      {c.statementFrom} – {c.statementTo}
                    </td>
                    <td className="num">{money(c.totalCents)}</td>
                    <td>
                      <span className={`badge ${statusBadge[c.status] ?? ''}`}>{c.status}</span>
                      {c.rejected && <span className="badge badge-bad">rejected</span>}
                    </td>
                    <td>
                      {c.errors ? `${String(c.errors)} errors` : ''}
                      {c.errors && c.warnings ? ', ' : ''}
                      {c.warnings ? `${String(c.warnings)} warnings` : ''}
                      {!c.errors && !c.warnings ? <span className="muted">none</span> : null}
                    </td>
                    <td>
                      <Link to={`/billing/claims/${encodeURIComponent(c.claimId)}`} className="btn btn-small">
                        Open<span className="sr-only"> claim of account {c.accountNumber}</span>
                      </Link>
                    </td>
                  </tr>
                ),
              )}
            </tbody>
          </table>
        )}
      </section>
    </section>
  );
}

/** Release every ready claim of one kind in one 837 interchange, and download the file. */
export function ReleaseBatchPage() {
  usePageTitle('Release claims');
  const [kind, setKind] = useState<'837I' | '837P'>('837I');
  const [usage, setUsage] = useState<'T' | 'P'>('T');
  const [ready, setReady] = useState<number | null>(null);
  const [result, setResult] = useState<ReleaseResult | null>(null);
  const [href, setHref] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    billingApi.claims({ status: 'ready', kind }).then((r) => setReady(r.items.length), setError);
  }, [kind, result]);
  useEffect(() => () => (href ? URL.revokeObjectURL(href) : undefined), [href]);
  const submit = async (e: SyntheticEvent) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      const r = await billingApi.release({ kind, usage });
      setResult(r);
      setHref(r.text ? URL.createObjectURL(new Blob([r.text], { type: 'application/edi-x12' })) : null);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="page">
      <h1>Release claims</h1>
      <BillingTabs />
      <form className="card section" onSubmit={(e) => void submit(e)} aria-labelledby="release-h">
        <h2 id="release-h">Release a batch</h2>
        <p>
          Every <strong>ready</strong> claim of the kind goes into one interchange with a new control number; a claim that cannot be written
          is reported and the others go.
        </p>
        <div className="billing-filters">
          <div className="field">
            <label htmlFor="release-kind">Kind</label>
            <select id="release-kind" value={kind} onChange={(e) => setKind(e.target.value as '837I' | '837P')}>
              <option value="837I">837I institutional (005010X223A2)</option>
              <option value="837P">837P professional (005010X222A1)</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor="release-usage">Usage</label>
            <select id="release-usage" value={usage} onChange={(e) => setUsage(e.target.value as 'T' | 'P')}>
              <option value="T">Test (ISA15 T)</option>
              <option value="P">Production (ISA15 P)</option>
            </select>
          </div>
        </div>
        <p aria-live="polite">{ready === null ? '' : `${String(ready)} ready ${kind} claims.`}</p>
        <button type="submit" className="btn btn-primary" disabled={busy || ready === 0}>
          Release {kind} batch
        </button>
        <ErrorMessage error={error} />
      </form>
      {result && (
        <section className="card section" aria-labelledby="release-result-h">
          <h2 id="release-result-h">Batch</h2>
          <div aria-live="polite">
            <Notice kind={result.refused ? 'warning' : 'success'}>
              {result.released} claims released
              {result.interchangeControlNumber ? ` in interchange ${result.interchangeControlNumber}` : ''}; {result.refused} refused.
            </Notice>
          </div>
          {href && result.fileName && (
            <p>
              <a href={href} download={result.fileName} className="btn">
                Download {result.fileName}
              </a>
            </p>
          )}
          {result.claims.some((c) => !c.ok) && (
            <ul>
              {result.claims
                .filter((c) => !c.ok)
                .map((c) => (
                  <li key={c.claimId}>
                    <Link to={`/billing/claims/${encodeURIComponent(c.claimId)}`}>{c.patientControlNumber ?? 'claim'}</Link>:{' '}
                    {c.error?.message}
                  </li>
                ))}
            </ul>
          )}
        </section>
      )}
    </section>
  );
}
