import { useCallback, useEffect, useState, type SyntheticEvent } from 'react';
import { billingApi, money, type AckResult, type RemittanceResult, type UnmatchedItem } from '../billing-api.js';
import { ErrorMessage, Loading, Notice } from '../components/Messages.js';
import { Link } from '../router.js';
import { BillingTabs } from './BillingPages.js';
import { usePageTitle } from './StaticPages.js';

/** What posting an 835 did, per payment and per claim. */
function PostingResults({ r }: { r: RemittanceResult }) {
  return (
    <section className="card section" aria-labelledby="posted-h">
      <h2 id="posted-h">Posting results</h2>
      <Notice kind={r.status === 'posted' ? 'success' : 'warning'}>
        {r.status === 'posted' ? 'The file was posted.' : 'Nothing was posted.'} {r.payments.length} payments.
      </Notice>
      {r.payments.map((p) => (
        <div key={`${p.controlNumber}-${p.trace}`}>
          <h3>
            {p.payer}: trace {p.trace}, {money(p.amountCents)} {p.balanced ? '' : '(unbalanced)'}
          </h3>
          {p.reason && <p>{p.reason}</p>}
          <table className="data-table" aria-label={`Claims of payment ${p.trace}`}>
            <thead>
              <tr>
                <th>Patient control number</th>
                <th>Result</th>
                <th className="num">Paid</th>
                <th scope="col">
                  <span className="sr-only">Claim</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {p.postings.map((c) => (
                <tr key={c.postingId}>
                  <td className="mono">{c.patientControlNumber}</td>
                  <td>
                    {c.kind}
                    {c.warnings.length > 0 ? ` (${c.warnings.join('; ')})` : ''}
                  </td>
                  <td className="num">{money(c.paidCents)}</td>
                  <td>
                    <Link to={`/billing/claims/${encodeURIComponent(c.claimId)}`} className="btn btn-small">
                      Open<span className="sr-only"> claim {c.patientControlNumber}</span>
                    </Link>
                  </td>
                </tr>
              ))}
              {p.unmatched.map((u) => (
                <tr key={`u-${u.patientControlNumber}`}>
                  <td className="mono">{u.patientControlNumber}</td>
                  <td>unmatched: {u.reason}</td>
                  <td className="num">{money(u.paidCents)}</td>
                  <td />
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </section>
  );
}

/** Remittance that matched no claim: close each with what was done about it. */
function UnmatchedQueue({ refresh }: { refresh: number }) {
  const [items, setItems] = useState<UnmatchedItem[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notes, setNotes] = useState<Record<string, string>>({});
  const load = useCallback(() => billingApi.unmatched().then((r) => setItems(r.items), setError), []);
  useEffect(() => {
    void load();
  }, [load, refresh]);
  const resolve = async (u: UnmatchedItem) => {
    setError(null);
    try {
      await billingApi.resolveUnmatched(u.id, notes[u.id] ?? '');
      await load();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <section className="card section" aria-labelledby="unmatched-h">
      <h2 id="unmatched-h">Unmatched remittance</h2>
      <ErrorMessage error={error} />
      {!items ? (
        <Loading />
      ) : items.length === 0 ? (
        <p className="muted">Nothing unmatched.</p>
      ) : (
        <table className="data-table" aria-label="Unmatched remittance">
          <thead>
            <tr>
              <th>Patient control number</th>
              <th>Payer</th>
              <th>Trace</th>
              <th className="num">Charge</th>
              <th className="num">Paid</th>
              <th>Why</th>
              <th>Resolution</th>
            </tr>
          </thead>
          <tbody>
            {items.map((u) => (
              <tr key={u.id}>
                <td className="mono">{u.patientControlNumber}</td>
                <td>{u.payer}</td>
                <td className="mono">{u.trace}</td>
                <td className="num">{money(u.chargeCents)}</td>
                <td className="num">{money(u.paidCents)}</td>
                <td>{u.reason}</td>
                <td>
                  <label className="sr-only" htmlFor={`resolve-${u.id}`}>
                    What was done about {u.patientControlNumber}
                  </label>
                  <input
                    id={`resolve-${u.id}`}
                    value={notes[u.id] ?? ''}
                    onChange={(e) => setNotes((n) => ({ ...n, [u.id]: e.target.value }))}
                  />{' '}
                  <button type="button" className="btn btn-small" onClick={() => void resolve(u)}>
                    Resolve<span className="sr-only"> {u.patientControlNumber}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** Load an 835 (posted, all or nothing per file) or a 999/277CA (accepted/rejected per claim). */
export function BillingRemittancePage() {
  usePageTitle('Remittance');
  const [kind, setKind] = useState<'835' | 'ack'>('835');
  const [file, setFile] = useState<File | null>(null);
  const [posted, setPosted] = useState<RemittanceResult | null>(null);
  const [acked, setAcked] = useState<AckResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [refresh, setRefresh] = useState(0);
  const submit = async (e: SyntheticEvent) => {
    e.preventDefault();
    if (!file) return;
    setError(null);
    setPosted(null);
    setAcked(null);
    setBusy(true);
    try {
      const text = await file.text();
      if (kind === '835') setPosted(await billingApi.post835(text));
      else setAcked(await billingApi.acknowledge(text));
      setRefresh((n) => n + 1);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="page">
      <h1>Remittance</h1>
      <BillingTabs />
      <form className="card section" onSubmit={(e) => void submit(e)} aria-labelledby="upload-h">
        <h2 id="upload-h">Load a file</h2>
        <div className="billing-filters">
          <div className="field">
            <label htmlFor="remit-kind">File</label>
            <select id="remit-kind" value={kind} onChange={(e) => setKind(e.target.value as '835' | 'ack')}>
              <option value="835">835 remittance advice</option>
              <option value="ack">999, TA1 or 277CA acknowledgement</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor="remit-file">X12 file</label>
            <input id="remit-file" type="file" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
          </div>
        </div>
        <button type="submit" className="btn btn-primary" disabled={!file || busy}>
          {kind === '835' ? 'Post the 835' : 'Record the acknowledgement'}
        </button>
        <ErrorMessage error={error} />
      </form>
      <div aria-live="polite">
        {posted && <PostingResults r={posted} />}
        {acked && (
          <section className="card section" aria-labelledby="acked-h">
            <h2 id="acked-h">Acknowledgement results</h2>
            <ul className="plain-list">
              {acked.claims.map((c, i) => (
                <li key={`${c.patientControlNumber}-${String(i)}`}>
                  {c.kind} <span className="mono">{c.patientControlNumber || 'transaction'}</span>: {c.outcome}
                  {c.claimId ? '' : ' (no claim of ours)'}
                  {c.errors.map((e) => `; ${e.code} ${e.message}`).join('')}
                </li>
              ))}
              {acked.notes.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
          </section>
        )}
      </div>
      <UnmatchedQueue refresh={refresh} />
    </section>
  );
}
