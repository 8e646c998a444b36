import { useEffect, useRef, useState } from 'react';
import * as echarts from 'echarts';
import { roiReportsApi, type RoiReport } from '../roi-api.js';
import { ErrorMessage, Loading } from '../components/Messages.js';
import { usePageTitle } from './StaticPages.js';
import '../charts.css';

const label = (s: string) => s.replace(/_/g, ' ');

/** Requests received, released and denied by month (echarts, stacked bars). */
function VolumeChart({ report }: { report: RoiReport }) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!el.current) return;
    const chart = echarts.init(el.current, undefined, { renderer: 'svg' });
    const months = report.volumes.map((v) => v.month);
    chart.setOption({
      aria: { enabled: true },
      tooltip: { trigger: 'axis' },
      legend: {},
      xAxis: { type: 'category', data: months },
      yAxis: { type: 'value', minInterval: 1 },
      series: (['released', 'denied', 'open'] as const).map((k) => ({
        name: k,
        type: 'bar',
        stack: 'requests',
        data: report.volumes.map((v) => v[k]),
      })),
    });
    return () => chart.dispose();
  }, [report]);
  return <div ref={el} className="completion-chart" role="img" aria-label="Requests received by month: released, denied, open" />;
}

/**
 * ROI reports for the HIM director and the ROI lead: turnaround from receipt to release by requester type, today's
 * backlog by clock state, breaches of the legal clocks (45 CFR 164.524(b)(2), 164.528(c)(1)) and of the service
 * target, volumes, denials and revenue; CSV and XLSX exports of the same figures.
 */
export function RoiReportsPage() {
  usePageTitle('ROI reports');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [report, setReport] = useState<RoiReport | null>(null);
  const [error, setError] = useState<unknown>(null);
  const period = { ...(from ? { from } : {}), ...(to ? { to } : {}) };
  useEffect(() => {
    const ctl = new AbortController();
    roiReportsApi.report({ ...(from ? { from } : {}), ...(to ? { to } : {}) }, ctl.signal).then(
      (r) => {
        setReport(r);
        setError(null);
      },
      (e: unknown) => {
        if (!ctl.signal.aborted) setError(e);
      },
    );
    return () => ctl.abort();
  }, [from, to]);

  return (
    <section className="page">
      <h1>ROI reports</h1>
      <div className="toolbar">
        <label>
          Received from <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>{' '}
        <label>
          to <input type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        </label>{' '}
        <a href={roiReportsApi.exportUrl(period, 'csv')}>Export CSV</a> <a href={roiReportsApi.exportUrl(period, 'xlsx')}>Export XLSX</a>
      </div>
      <ErrorMessage error={error} />
      {!report ? (
        !error && <Loading />
      ) : (
        <>
          <p className="muted">
            Requests received {report.from} to {report.to}; backlog as of {report.asOf}.
          </p>
          <VolumeChart report={report} />
          <h2>Turnaround (receipt to release)</h2>
          <table className="table" aria-label="Turnaround by requester type">
            <thead>
              <tr>
                <th scope="col">Requester type</th>
                <th scope="col">Released</th>
                <th scope="col">Median days</th>
                <th scope="col">Average days</th>
                <th scope="col">Longest</th>
              </tr>
            </thead>
            <tbody>
              {report.turnaround.map((t) => (
                <tr key={t.requesterType}>
                  <td>{label(t.requesterType)}</td>
                  <td className="num">{t.released}</td>
                  <td className="num">{t.medianDays}</td>
                  <td className="num">{t.averageDays}</td>
                  <td className="num">{t.maxDays}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>Backlog today</h2>
          <table className="table" aria-label="Backlog by clock state">
            <thead>
              <tr>
                <th scope="col">Requester type</th>
                <th scope="col">Open</th>
                <th scope="col">On time</th>
                <th scope="col">Escalated</th>
                <th scope="col">Breached</th>
              </tr>
            </thead>
            <tbody>
              {report.backlog.map((b) => (
                <tr key={b.requesterType}>
                  <td>{label(b.requesterType)}</td>
                  <td className="num">{b.open}</td>
                  <td className="num">{b.onTime}</td>
                  <td className="num">{b.escalated}</td>
                  <td className="num">{b.breached > 0 ? <span className="badge badge-bad">{b.breached}</span> : 0}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>Breaches</h2>
          {report.breaches.length === 0 ? (
            <p>No request received in the period ran past its clock.</p>
          ) : (
            <table className="table" aria-label="Breaches by requester type">
              <thead>
                <tr>
                  <th scope="col">Requester type</th>
                  <th scope="col">Clock</th>
                  <th scope="col">Closed late</th>
                  <th scope="col">Open past due</th>
                </tr>
              </thead>
              <tbody>
                {report.breaches.map((b) => (
                  <tr key={b.requesterType}>
                    <td>{label(b.requesterType)}</td>
                    <td>{b.legalClock ? 'legal limit (164.524 / 164.528)' : 'service target'}</td>
                    <td className="num">{b.closedLate}</td>
                    <td className="num">{b.openPastDue}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h2>Denials</h2>
          <p>{report.denials.map((d) => `${label(d.ground)}: ${d.count}`).join('; ') || 'None in the period.'}</p>
          <h2>Revenue</h2>
          <table className="table" aria-label="Revenue by month">
            <thead>
              <tr>
                <th scope="col">Month</th>
                <th scope="col">Invoices</th>
                <th scope="col">Invoiced ($)</th>
                <th scope="col">Paid ($)</th>
                <th scope="col">Outstanding ($)</th>
              </tr>
            </thead>
            <tbody>
              {report.revenue.map((m) => (
                <tr key={m.month}>
                  <td>{m.month}</td>
                  <td className="num">{m.invoices}</td>
                  <td className="num">{m.invoiced.toFixed(2)}</td>
                  <td className="num">{m.paid.toFixed(2)}</td>
                  <td className="num">{m.outstanding.toFixed(2)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
