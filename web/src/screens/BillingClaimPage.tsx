import { useCallback, useEffect, useState, type SyntheticEvent } from 'react';
import { billingApi, denialActionLabels, money, workStatusLabels, type ClaimDetail, type DenialAction } from '../billing-api.js';
import { ErrorMessage, Loading, Notice } from '../components/Messages.js';
import { BillingTabs, statusBadge } from './BillingPages.js';
import { usePageTitle } from './StaticPages.js';

/** A step on a denied claim: a note, an appeal, a corrected claim, a write-off (of the open balance), close, reopen. */
function DenialWorkForm({ claim, onDone }: { claim: ClaimDetail; onDone: (status: string) => void }) {
  const [action, setAction] = useState<DenialAction>('note');
  const [note, setNote] = useState('');
  const [amount, setAmount] = useState('');
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: SyntheticEvent) => {
    e.preventDefault();
    setError(null);
    const cents = amount.trim() ? Math.round(Number(amount) * 100) : undefined;
    try {
      const r = await billingApi.workDenial(claim.id, { action, note, ...(action === 'write_off' && cents ? { amountCents: cents } : {}) });
      setNote('');
      setAmount('');
      onDone(r.status);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form className="card section" onSubmit={(e) => void submit(e)} aria-labelledby="work-h">
      <h2 id="work-h">Work the denial</h2>
      <div className="billing-filters">
        <div className="field">
          <label htmlFor="work-action">Step</label>
          <select id="work-action" value={action} onChange={(e) => setAction(e.target.value as DenialAction)}>
            {(Object.keys(denialActionLabels) as DenialAction[]).map((a) => (
              <option key={a} value={a}>
                {denialActionLabels[a]}
              </option>
            ))}
          </select>
        </div>
        {action === 'write_off' && (
          <div className="field">
            <label htmlFor="work-amount">Amount (blank: the whole open balance)</label>
            <input id="work-amount" inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} />
          </div>
        )}
      </div>
      <div className="field">
        <label htmlFor="work-note">Note</label>
        <textarea id="work-note" rows={3} required minLength={5} value={note} onChange={(e) => setNote(e.target.value)} />
      </div>
      <button type="submit" className="btn btn-primary">
        Record step
      </button>
      <ErrorMessage error={error} />
    </form>
  );
}

/** One claim as the biller works it: scrub edits, lines, acknowledgements, postings and the denial's work. */
export function BillingClaimPage({ id }: { id: string }) {
  usePageTitle('Claim');
  const [claim, setClaim] = useState<ClaimDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const load = useCallback(() => billingApi.claim(id).then(setClaim, setError), [id]);
  useEffect(() => {
    void load();
  }, [load]);
  const rebuild = async () => {
    setError(null);
    try {
      const r = await billingApi.rebuild(id);
      setNotice(`Claim rebuilt and scrubbed: ${r.status}${r.errors ? `, ${String(r.errors)} errors` : ''}.`);
      await load();
    } catch (e) {
      setError(e);
    }
  };
  const act = async (what: 'replacement' | 'void' | 'secondary') => {
    setError(null);
    try {
      const r = what === 'secondary' ? await billingApi.secondary(id) : await billingApi.correct(id, what === 'void' ? '8' : '7');
      const label = { replacement: 'Replacement claim', void: 'Void claim', secondary: 'Claim to the next payer' }[what];
      setNotice(`${label} built and scrubbed: ${r.status}${r.errors ? `, ${String(r.errors)} errors` : ''}.`);
      await load();
    } catch (e) {
      setError(e);
    }
  };
  if (!claim)
    return (
      <section className="page">
        <h1>Claim</h1>
        <ErrorMessage error={error} />
        {!error && <Loading />}
      </section>
    );
  const errors = claim.findings.filter((f) => f.severity === 'error');
  const formLabel = claim.kind === '837I' ? 'UB-04' : 'CMS-1500';
  const formName = claim.kind === '837I' ? 'ub04' : 'cms1500';
  const answered = claim.postings.some((p) => p.kind !== 'reversal' && !p.reversedByPostingId);
  return (
    <section className="page">
      <h1>
        Claim {claim.kind} <span className="mono">{claim.patientControlNumber}</span>
      </h1>
      <BillingTabs />
      <div aria-live="polite">{notice && <Notice kind="success">{notice}</Notice>}</div>
      <ErrorMessage error={error} />
      <section className="card section" aria-labelledby="claim-h">
        <h2 id="claim-h">Claim</h2>
        <dl className="kv">
          <dt>Status</dt>
          <dd>
            <span className={`badge ${statusBadge[claim.status] ?? ''}`}>{claim.status}</span>
          </dd>
          <dt>Account</dt>
          <dd className="mono">{claim.accountNumber}</dd>
          <dt>Payer</dt>
          <dd>
            {claim.payerName} (order {claim.benefitOrder})
          </dd>
          <dt>Statement</dt>
          <dd>
            {claim.statementFrom} – {claim.statementTo}
          </dd>
          <dt>Total charge</dt>
          <dd>{money(claim.totalCents)}</dd>
          <dt>MS-DRG</dt>
          <dd>{claim.drg ?? '—'}</dd>
          <dt>Diagnoses</dt>
          <dd className="mono">{[claim.principalDx, ...claim.otherDx].join(', ')}</dd>
          {claim.releasedAt && (
            <>
              <dt>Released</dt>
              <dd>
                {claim.releasedAt.slice(0, 10)}, interchange {claim.interchangeControlNumber}
              </dd>
            </>
          )}
        </dl>
        <p className="row">
          {claim.status !== 'released' && (
            <button type="button" className="btn" onClick={() => void rebuild()}>
              Rebuild and scrub
            </button>
          )}
          {claim.status === 'released' && answered && (
            <>
              <button type="button" className="btn" onClick={() => void act('replacement')}>
                Build replacement claim
              </button>
              <button type="button" className="btn" onClick={() => void act('void')}>
                Void claim
              </button>
              <button type="button" className="btn" onClick={() => void act('secondary')}>
                Bill the next payer
              </button>
            </>
          )}
          <a className="btn" href={`/api/claims/${encodeURIComponent(claim.id)}/form`} download={`${formName}.pdf`}>
            {formLabel} (PDF)
          </a>
          <a className="btn" href={`/api/claims/${encodeURIComponent(claim.id)}/form?mode=data`} download={`${formName}-data.pdf`}>
            {formLabel} data only, for pre-printed forms (PDF)
          </a>
        </p>
      </section>
      <section className="card section" aria-labelledby="edits-h">
        <h2 id="edits-h">Scrub edits</h2>
        {claim.findings.length === 0 ? (
          <p className="muted">No edits: the claim is clean.</p>
        ) : (
          <table className="data-table" aria-label="Scrub edits">
            <thead>
              <tr>
                <th>Severity</th>
                <th>Edit</th>
                <th>Loop</th>
                <th>Message</th>
              </tr>
            </thead>
            <tbody>
              {claim.findings.map((f, i) => (
                <tr key={`${f.code}-${String(i)}`}>
                  <td>
                    <span className={`badge ${f.severity === 'error' ? 'badge-bad' : 'badge-warn'}`}>{f.severity}</span>
                  </td>
                  <td className="mono">{f.code}</td>
                  <td className="mono">{f.loop}</td>
                  <td>{f.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {errors.length > 0 && (
          <p>Fix the codes or charges named above, then rebuild: the claim is released only when no edit is an error.</p>
        )}
      </section>
      <section className="card section" aria-labelledby="lines-h">
        <h2 id="lines-h">Lines</h2>
        <table className="data-table" aria-label="Claim lines">
          <thead>
            <tr>
              <th>Revenue code</th>
              <th>HCPCS/CPT</th>
              <th>Date</th>
              <th className="num">Units</th>
              <th className="num">Charge</th>
            </tr>
          </thead>
          <tbody>
            {claim.lines.map((l, i) => (
              <tr key={String(i)}>
                <td className="mono">{l.revenueCode}</td>
                <td className="mono">{[l.procedureCode, ...l.modifiers].filter(Boolean).join(' ')}</td>
                <td>{l.serviceDate}</td>
                <td className="num">{l.units}</td>
                <td className="num">{money(l.chargeCents)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {claim.acknowledgements.length > 0 && (
        <section className="card section" aria-labelledby="acks-h">
          <h2 id="acks-h">Acknowledgements</h2>
          <ul className="plain-list">
            {claim.acknowledgements.map((a, i) => (
              <li key={String(i)}>
                {a.kind} {a.outcome} on {a.receivedAt.slice(0, 10)}
                {a.errors.map((e) => `; ${e.code} ${e.message}`).join('')}
              </li>
            ))}
          </ul>
        </section>
      )}
      {claim.postings.length > 0 && (
        <section className="card section" aria-labelledby="postings-h">
          <h2 id="postings-h">Remittance</h2>
          <table className="data-table" aria-label="Postings">
            <thead>
              <tr>
                <th>Posted</th>
                <th>Kind</th>
                <th className="num">Paid</th>
                <th className="num">Contractual</th>
                <th className="num">Patient</th>
                <th>Adjustments</th>
              </tr>
            </thead>
            <tbody>
              {claim.postings.map((p) => (
                <tr key={p.id}>
                  <td>{p.postedAt.slice(0, 10)}</td>
                  <td>
                    {p.kind}
                    {p.reversedByPostingId ? ' (reversed)' : ''}
                  </td>
                  <td className="num">{money(p.paidCents)}</td>
                  <td className="num">{money(p.contractualCents)}</td>
                  <td className="num">{money(p.patientResponsibilityCents)}</td>
                  <td className="mono">
                    {p.adjustments.map((a) => `${a.group}-${a.reason} ${money(a.amountCents)}`).join(', ')}
                    {p.remarks.length > 0 ? ` (${p.remarks.join(', ')})` : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      {claim.denialWork.length > 0 && (
        <section className="card section" aria-labelledby="worked-h">
          <h2 id="worked-h">Denial work</h2>
          <ol>
            {claim.denialWork.map((w) => (
              <li key={w.id}>
                {w.at.slice(0, 10)} {denialActionLabels[w.action as DenialAction]} → {workStatusLabels[w.status] ?? w.status}
                {w.amountCents !== null ? ` (${money(w.amountCents)})` : ''}: {w.note}
              </li>
            ))}
          </ol>
        </section>
      )}
      {claim.status === 'released' && answered && (
        <DenialWorkForm
          claim={claim}
          onDone={(status) => {
            setNotice(`Step recorded: the denial is ${workStatusLabels[status] ?? status}.`);
            void load();
          }}
        />
      )}
    </section>
  );
}
