import { useCallback, useEffect, useState } from 'react';
import { ApiError } from '../api.js';
import { completionApi, type ChartCompletionView, type CompletionRecordView } from '../completion-api.js';
import { ErrorMessage, Loading, Notice } from '../components/Messages.js';
import { formatDate } from '../format.js';
import { Link } from '../router.js';
import { usePageTitle } from './StaticPages.js';

type Status = 'incomplete' | 'delinquent' | 'complete';
const badge: Record<string, string> = { delinquent: 'badge-bad', incomplete: 'badge-warn', complete: 'badge-ok' };

/**
 * Chart completion for HIM analysts: the worklist of incomplete and delinquent records, a chart's deficiencies with
 * their sources (analyse again, waive with a reason); the reports (charts, scorecards, exports) are on Completion reports.
 */
export function CompletionPage() {
  usePageTitle('Chart completion');
  const [status, setStatus] = useState<Status>('incomplete');
  const [items, setItems] = useState<CompletionRecordView[] | null>(null);
  const [chart, setChart] = useState<ChartCompletionView | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const load = useCallback(() => completionApi.worklist(status).then((r) => setItems(r.items), setError), [status]);
  useEffect(() => {
    void load();
  }, [load]);

  const open = (r: CompletionRecordView) =>
    completionApi
      .chart(r.encounterId)
      .then(setChart, (e: unknown) =>
        setError(
          e instanceof ApiError && e.code === 'break_glass_required'
            ? new Error('This record is restricted: break the glass from the patient summary first.')
            : e,
        ),
      );
  const analyse = (encounterId: string) =>
    completionApi.analyse(encounterId).then((v) => {
      setChart(v);
      setNotice('Chart analysed.');
      void load();
    }, setError);
  const waive = (id: string) => {
    const reason = window.prompt('Reason for waiving this deficiency');
    if (!reason || !chart) return;
    completionApi.waive(id, reason).then(() => {
      void open(chart.record);
      void load();
    }, setError);
  };
  const sweep = () =>
    completionApi.analyseDischarges().then((r) => {
      setNotice(`${r.analysed} discharges analysed.`);
      void load();
    }, setError);

  return (
    <section className="page">
      <h1>Chart completion</h1>
      {notice && <Notice kind="success">{notice}</Notice>}
      <ErrorMessage error={error} />
      <div className="toolbar">
        <label>
          Show{' '}
          <select value={status} onChange={(e) => setStatus(e.target.value as Status)}>
            <option value="incomplete">Incomplete</option>
            <option value="delinquent">Delinquent</option>
            <option value="complete">Complete</option>
          </select>
        </label>{' '}
        <button type="button" onClick={() => void sweep()}>
          Analyse new discharges
        </button>{' '}
        <Link to="/completion-reports">Completion reports and scorecards</Link>
      </div>
      {!items ? (
        <Loading />
      ) : (
        <table className="table" aria-label="Completion worklist">
          <thead>
            <tr>
              <th scope="col">Patient</th>
              <th scope="col">Account</th>
              <th scope="col">Discharged</th>
              <th scope="col">Days</th>
              <th scope="col">Status</th>
              <th scope="col">Outstanding</th>
              <th scope="col">Review</th>
            </tr>
          </thead>
          <tbody>
            {items.map((r) => (
              <tr key={r.encounterId}>
                <td>
                  {r.patientName} ({r.mrn})
                </td>
                <td>{r.accountNumber}</td>
                <td>{formatDate(r.dischargeAt)}</td>
                <td>{r.daysSinceDischarge ?? ''}</td>
                <td>
                  <span className={`badge ${badge[r.status] ?? ''}`}>{r.status}</span>
                </td>
                <td>{r.details ? r.outstanding + r.pending : ''}</td>
                <td>
                  <button type="button" onClick={() => void open(r)} aria-label={`Review chart ${r.accountNumber}`}>
                    Review
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {chart && (
        <section aria-label="Chart review">
          <h2>
            {chart.record.patientName} — account {chart.record.accountNumber}:{' '}
            <span className={`badge ${badge[chart.record.status] ?? ''}`} data-testid="record-status">
              {chart.record.status}
            </span>
          </h2>
          <button type="button" onClick={() => void analyse(chart.record.encounterId)}>
            Analyse again
          </button>
          <table className="table" aria-label="Deficiencies">
            <thead>
              <tr>
                <th scope="col">Deficiency</th>
                <th scope="col">Physician</th>
                <th scope="col">Source</th>
                <th scope="col">Status</th>
                <th scope="col">Due</th>
                <th scope="col">Action</th>
              </tr>
            </thead>
            <tbody>
              {chart.deficiencies.map((d) => (
                <tr key={d.id}>
                  <td>
                    {d.message}
                    {d.pageRef ? ` (${d.pageRef})` : ''}
                  </td>
                  <td>{d.responsibleName ?? 'unassigned'}</td>
                  <td>{d.citation}</td>
                  <td>{d.status}</td>
                  <td>{formatDate(d.dueAt)}</td>
                  <td>
                    {(d.status === 'open' || d.status === 'disputed') && (
                      <button type="button" onClick={() => waive(d.id)}>
                        Waive
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </section>
  );
}
