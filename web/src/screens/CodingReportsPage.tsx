import { useEffect, useState } from 'react';
import { codingApi } from '../coding-api.js';
import { ErrorMessage, Loading, Notice } from '../components/Messages.js';
import { useSession } from '../session.js';
import { usePageTitle } from './StaticPages.js';

type Loaded = {
  dnfb: Awaited<ReturnType<typeof codingApi.dnfb>>;
  productivity: Awaited<ReturnType<typeof codingApi.productivity>>;
  quality: Awaited<ReturnType<typeof codingApi.quality>>;
  queries: Awaited<ReturnType<typeof codingApi.queryReport>>;
};

const pct = (x: number | null) => (x === null ? '—' : `${Math.round(x * 100)}%`);

/** The HIM director's coding reports: DNFB by age and coder, productivity, quality, and physician queries. */
export function CodingReportsPage() {
  usePageTitle('Coding reports');
  const { can } = useSession();
  const [r, setR] = useState<Loaded | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const load = () =>
    Promise.all([codingApi.dnfb(), codingApi.productivity(), codingApi.quality(), codingApi.queryReport()]).then(
      ([dnfb, productivity, quality, queries]) => setR({ dnfb, productivity, quality, queries }),
      setError,
    );
  useEffect(() => {
    void load();
  }, []);

  if (!r) return error ? <ErrorMessage error={error} /> : <Loading />;
  return (
    <div className="page">
      <h1>Coding reports</h1>
      {notice && <Notice kind="success">{notice}</Notice>}
      <ErrorMessage error={error} />
      <section className="section" aria-labelledby="dnfb-h">
        <h2 id="dnfb-h">
          DNFB: {r.dnfb.total} encounters ({r.dnfb.onQueryHold} on query hold)
        </h2>
        <table className="data-table" data-testid="dnfb-age">
          <thead>
            <tr>
              <th>Days since discharge</th>
              {r.dnfb.byAge.map((b) => (
                <th key={b.bucket} className="num">
                  {b.bucket}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            <tr>
              <th>All</th>
              {r.dnfb.byAge.map((b) => (
                <td key={b.bucket} className="num">
                  {b.count}
                </td>
              ))}
            </tr>
            <tr>
              <th>Inpatient</th>
              {r.dnfb.byAge.map((b) => (
                <td key={b.bucket} className="num">
                  {b.inpatient}
                </td>
              ))}
            </tr>
          </tbody>
        </table>
        <table className="data-table">
          <thead>
            <tr>
              <th>Coder</th>
              <th className="num">Encounters</th>
              <th className="num">Oldest (days)</th>
            </tr>
          </thead>
          <tbody>
            {r.dnfb.byCoder.map((c) => (
              <tr key={c.userId ?? 'none'}>
                <td>{c.name}</td>
                <td className="num">{c.count}</td>
                <td className="num">{c.oldestDays}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="section" aria-labelledby="prod-h">
        <h2 id="prod-h">Productivity</h2>
        {r.productivity.byCoder.length === 0 ? (
          <p className="muted">No final coding yet.</p>
        ) : (
          <table className="data-table">
            <thead>
              <tr>
                <th>Coder</th>
                <th className="num">Final-coded</th>
                <th className="num">Per day</th>
                <th className="num">Per active hour</th>
                <th>By type</th>
              </tr>
            </thead>
            <tbody>
              {r.productivity.byCoder.map((c) => (
                <tr key={c.coderId}>
                  <td>{c.coder}</td>
                  <td className="num">{c.total}</td>
                  <td className="num">{c.perDay}</td>
                  <td className="num">{c.perHour}</td>
                  <td>
                    {Object.entries(c.byType)
                      .map(([t, n]) => `${t} ${n}`)
                      .join(', ')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {r.productivity.byCoderDay.length > 0 && (
          <table className="data-table" data-testid="productivity-days">
            <thead>
              <tr>
                <th>Day</th>
                <th>Coder</th>
                <th>Type</th>
                <th className="num">Final-coded</th>
              </tr>
            </thead>
            <tbody>
              {r.productivity.byCoderDay.slice(-30).map((d) => (
                <tr key={`${d.day}${d.coder}${d.type}`}>
                  <td>{d.day}</td>
                  <td>{d.coder}</td>
                  <td>{d.type}</td>
                  <td className="num">{d.count}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="section" aria-labelledby="qual-h">
        <h2 id="qual-h">Quality</h2>
        <ul>
          <li data-testid="drg-change-after-query">
            DRG change after query: {r.quality.drgChangeAfterQuery.changed} of {r.quality.drgChangeAfterQuery.queries} (
            {pct(r.quality.drgChangeAfterQuery.rate)})
            {r.quality.drgChangeAfterQuery.unmeasured > 0 &&
              `; ${r.quality.drgChangeAfterQuery.unmeasured} more answered before any codes were saved (no DRG before the answer to compare)`}
          </li>
          <li>
            Audits: {r.quality.audits.submitted}; mean code agreement {pct(r.quality.audits.meanCodeAgreement)}; DRG agreement{' '}
            {pct(r.quality.audits.drgAgreementRate)}; re-coded after audit {r.quality.audits.recodedAfterAudit}
          </li>
        </ul>
      </section>
      <section className="section" aria-labelledby="qr-h">
        <h2 id="qr-h">Physician queries</h2>
        <p>
          Sent {r.queries.total.sent}, answered {r.queries.total.answered}, pending {r.queries.total.pending} (escalated{' '}
          {r.queries.total.escalated}), expired {r.queries.total.expired}; mean response {r.queries.total.meanResponseHours ?? '—'} h;
          agreement {pct(r.queries.total.agreementRate)}.
        </p>
        <table className="data-table">
          <thead>
            <tr>
              <th>Physician</th>
              <th className="num">Sent</th>
              <th className="num">Answered</th>
              <th className="num">Pending</th>
              <th className="num">Mean hours</th>
              <th className="num">Agreement</th>
            </tr>
          </thead>
          <tbody>
            {r.queries.byPhysician.map((p) => (
              <tr key={p.providerId}>
                <td>{p.name}</td>
                <td className="num">{p.sent}</td>
                <td className="num">{p.answered}</td>
                <td className="num">{p.pending}</td>
                <td className="num">{p.meanResponseHours ?? '—'}</td>
                <td className="num">{pct(p.agreementRate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <table className="data-table">
          <thead>
            <tr>
              <th>Coder</th>
              <th className="num">Sent</th>
              <th className="num">Answered</th>
              <th className="num">Agreement</th>
            </tr>
          </thead>
          <tbody>
            {r.queries.byCoder.map((c) => (
              <tr key={c.userId}>
                <td>{c.name}</td>
                <td className="num">{c.sent}</td>
                <td className="num">{c.answered}</td>
                <td className="num">{pct(c.agreementRate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {can('query:write') && (
          <button
            type="button"
            className="btn"
            onClick={() =>
              void codingApi.escalate().then((x) => {
                setNotice(`Escalated ${x.escalated}, expired ${x.expired}.`);
                return load();
              }, setError)
            }
          >
            Run query escalation now
          </button>
        )}
      </section>
    </div>
  );
}
