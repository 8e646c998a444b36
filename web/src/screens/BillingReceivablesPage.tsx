import { useEffect, useState } from 'react';
import { billingApi, casGroupLabels, money, workStatusLabels, type DenialItem, type PayerAgeing } from '../billing-api.js';
import { ErrorMessage, Loading } from '../components/Messages.js';
import { Link } from '../router.js';
import { moveBetweenRows, workListProps } from '../work-list.js';
import { BillingTabs } from './BillingPages.js';
import { usePageTitle } from './StaticPages.js';
import { usePayerFilteredList } from './billing-list.js';

type DenialFilter = { group: string; payerId: string; workStatus: string };
const DENIAL_FILTER: DenialFilter = { group: '', payerId: '', workStatus: '' };
const fetchDenials = (f: DenialFilter) => billingApi.denials(f);

/** The denials worklist by CAS group and payer, with each denial's work status; open a claim to work it. */
export function DenialsPage() {
  usePageTitle('Denials');
  const { filter, set, payers, items, error } = usePayerFilteredList<DenialFilter, DenialItem>(DENIAL_FILTER, fetchDenials);
  return (
    <section className="page">
      <h1>Denials</h1>
      <BillingTabs />
      <div className="billing-filters">
        <div className="field">
          <label htmlFor="den-group">Adjustment group</label>
          <select id="den-group" value={filter.group} onChange={set('group')}>
            <option value="">Any</option>
            {Object.entries(casGroupLabels).map(([g, l]) => (
              <option key={g} value={g}>
                {l}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="den-payer">Payer</label>
          <select id="den-payer" value={filter.payerId} onChange={set('payerId')}>
            <option value="">Any</option>
            {payers.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="den-status">Work status</label>
          <select id="den-status" value={filter.workStatus} onChange={set('workStatus')}>
            <option value="">Any</option>
            {Object.entries(workStatusLabels).map(([s, l]) => (
              <option key={s} value={s}>
                {l}
              </option>
            ))}
          </select>
        </div>
      </div>
      <ErrorMessage error={error} />
      {!items ? (
        <Loading />
      ) : items.length === 0 ? (
        <p className="muted">No denials.</p>
      ) : (
        <table className="data-table" aria-label="Denials" {...workListProps}>
          <thead>
            <tr>
              <th>Group</th>
              <th>Payer</th>
              <th>Patient control number</th>
              <th>Reasons (CARC)</th>
              <th>Remarks (RARC)</th>
              <th className="num">Paid</th>
              <th>Work</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody onKeyDown={moveBetweenRows}>
            {items.map((d) => (
              <tr key={`${d.claimId}-${d.group ?? ''}`}>
                {d.group === null ? (
                  <td colSpan={7}>
                    <span className="badge badge-dark">restricted</span> <span className="muted">details withheld</span>
                  </td>
                ) : (
                  <>
                    <td>{d.group}</td>
                    <td>{d.payerName}</td>
                    <td className="mono">{d.patientControlNumber}</td>
                    <td className="mono">{d.reasons.map((r) => `${r.reason} ${money(r.amountCents)}`).join(', ')}</td>
                    <td className="mono">{d.remarks.join(', ')}</td>
                    <td className="num">{money(d.paidCents)}</td>
                    <td>
                      {workStatusLabels[d.workStatus ?? 'open'] ?? d.workStatus}
                      {d.lastNote ? <div className="small muted">{d.lastNote}</div> : null}
                    </td>
                  </>
                )}
                <td>
                  <Link to={`/billing/claims/${encodeURIComponent(d.claimId)}`} className="btn btn-small">
                    Work<span className="sr-only"> denial {d.patientControlNumber ?? ''}</span>
                  </Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

const bucketLabel = (b: string) => (b.startsWith('>') ? `over ${b.slice(1)} days` : `${b} days`);

/** Accounts receivable by payer and days since release (balance = charge − paid − adjustments − write-offs). */
export function ArAgeingPage() {
  usePageTitle('A/R ageing');
  const [data, setData] = useState<{ asOf: string; buckets: string[]; items: PayerAgeing[] } | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    billingApi.ar().then(setData, setError);
  }, []);
  const total = (b: string) => data?.items.reduce((s, p) => s + (p.buckets[b] ?? 0), 0) ?? 0;
  return (
    <section className="page">
      <h1>A/R ageing</h1>
      <BillingTabs />
      <ErrorMessage error={error} />
      {!data ? (
        <Loading />
      ) : data.items.length === 0 ? (
        <p className="muted">No open balances on {data.asOf}.</p>
      ) : (
        <table className="data-table" aria-label={`Accounts receivable on ${data.asOf}`}>
          <thead>
            <tr>
              <th>Payer</th>
              {data.buckets.map((b) => (
                <th key={b} className="num">
                  {bucketLabel(b)}
                </th>
              ))}
              <th className="num">Total</th>
              <th className="num">Claims</th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((p) => (
              <tr key={p.payerId}>
                <th scope="row">{p.payerName}</th>
                {data.buckets.map((b) => (
                  <td key={b} className="num">
                    {money(p.buckets[b] ?? 0)}
                  </td>
                ))}
                <td className="num">{money(p.totalCents)}</td>
                <td className="num">{p.claims}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">All payers</th>
              {data.buckets.map((b) => (
                <td key={b} className="num">
                  {money(total(b))}
                </td>
              ))}
              <td className="num">{money(data.items.reduce((s, p) => s + p.totalCents, 0))}</td>
              <td className="num">{data.items.reduce((s, p) => s + p.claims, 0)}</td>
            </tr>
          </tfoot>
        </table>
      )}
    </section>
  );
}
