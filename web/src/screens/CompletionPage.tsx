import { useCallback, useEffect, useRef, useState } from 'react';
import * as echarts from 'echarts';
import { ApiError } from '../api.js';
import { completionApi, type ChartCompletionView, type CompletionRecordView, type CompletionReport } from '../completion-api.js';
import { ErrorMessage, Loading, Notice } from '../components/Messages.js';
import { formatDate } from '../format.js';
import { usePageTitle } from './StaticPages.js';
import '../charts.css';

type Status = 'incomplete' | 'delinquent' | 'complete';
const badge: Record<string, string> = { delinquent: 'badge-bad', incomplete: 'badge-warn', complete: 'badge-ok' };

/** The Joint Commission delinquency rate by month, as an echarts bar chart (flag line at 50%). */
function TrendChart({ report }: { report: CompletionReport }) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!el.current) return;
    const chart = echarts.init(el.current, undefined, { renderer: 'svg' });
    chart.setOption({
      aria: { enabled: true },
      tooltip: {},
      xAxis: { type: 'category', data: report.trend.map((t) => t.month) },
      yAxis: { type: 'value', axisLabel: { formatter: '{value}%' } },
      series: [
        {
          name: 'Delinquency rate',
          type: 'bar',
          data: report.trend.map((t) => Math.round(t.rate * 1000) / 10),
          markLine: { data: [{ yAxis: 50, name: 'The Joint Commission flag' }] },
        },
      ],
    });
    return () => chart.dispose();
  }, [report]);
  return <div ref={el} className="completion-chart" role="img" aria-label="Delinquency rate by month" />;
}

/**
 * Chart completion for HIM analysts: the worklist of incomplete and delinquent records, a chart's deficiencies with
 * their sources (analyse again, waive with a reason), the delinquency trend and exports (CSV, XLSX).
 */
export function CompletionPage() {
  usePageTitle('Chart completion');
  const [status, setStatus] = useState<Status>('incomplete');
  const [items, setItems] = useState<CompletionRecordView[] | null>(null);
  const [chart, setChart] = useState<ChartCompletionView | null>(null);
  const [report, setReport] = useState<CompletionReport | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const load = useCallback(() => completionApi.worklist(status).then((r) => setItems(r.items), setError), [status]);
  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => {
    completionApi.report().then(setReport, () => setReport(null));
  }, []);

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
        <a href="/api/reports/completion?format=csv">Export CSV</a> <a href="/api/reports/completion?format=xlsx">Export XLSX</a>
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
      {report && (
        <section aria-label="Delinquency">
          <h2>Delinquency rate (The Joint Commission: flagged above 50% of average monthly discharges)</h2>
          <TrendChart report={report} />
          <p>
            Outstanding by type:{' '}
            {Object.entries(report.byType)
              .map(([k, v]) => `${k.replace(/_/g, ' ')} ${v}`)
              .join(', ') || 'none'}
          </p>
        </section>
      )}
    </section>
  );
}
