/**
 * Completion reports for the HIM director and analysts (issue 18): outstanding deficiencies by type and by age, the
 * delinquency rate by month in The Joint Commission's form with its 50% flag line (RC.01.04.01 EP 3), and physician
 * scorecards for a period — each chart beside a table of the same figures (its text alternative), CSV and XLSX
 * exports. Aggregates only: no patient is named.
 */
import { useEffect, useMemo, useState } from 'react';
import type * as echarts from 'echarts';
import { completionApi, type CompletionReport, type ScorecardFilters, type ScorecardReport } from '../completion-api.js';
import { ErrorMessage, Loading } from '../components/Messages.js';
import { barOption, EChart } from './DashboardCharts.js';
import { usePageTitle } from './StaticPages.js';
import '../dashboard.css';

const words = (k: string) => k.replace(/_/g, ' ');
const pct = (x: number) => `${(Math.round(x * 1000) / 10).toFixed(1)}%`;

/** The monthly delinquency rate (percent) as bars, with the 50% flag line. */
function rateOption(report: CompletionReport): echarts.EChartsOption {
  return {
    grid: { left: 56, right: 16, top: 24, bottom: 48 },
    xAxis: { type: 'category', data: report.trend.map((t) => t.month) },
    yAxis: { type: 'value', axisLabel: { formatter: '{value}%' } },
    series: [
      {
        name: 'Delinquency rate',
        type: 'bar',
        data: report.trend.map((t) => ({
          value: Math.round(t.rate * 1000) / 10,
          itemStyle: t.flagged ? { color: '#b42318' } : { color: '#1d4ed8' },
        })),
        markLine: {
          symbol: 'none',
          lineStyle: { type: 'dashed', color: '#b42318' },
          label: { formatter: 'Flag 50%' },
          data: [{ yAxis: 50, name: 'The Joint Commission flag (50%)' }],
        },
      },
    ],
  };
}

/** A table beside a chart: the chart's figures as text. */
function FiguresTable({ label, header, rows }: { label: string; header: string[]; rows: (string | number)[][] }) {
  return (
    <details className="figure-table">
      <summary>Table: {label}</summary>
      <table className="table" aria-label={label}>
        <thead>
          <tr>
            {header.map((h) => (
              <th key={h} scope="col">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              {r.map((c, j) => (
                <td key={j} className={typeof c === 'number' ? 'num' : undefined}>
                  {c}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

function Scorecards() {
  const [filters, setFilters] = useState<ScorecardFilters>({});
  const [draft, setDraft] = useState<ScorecardFilters>({});
  const [data, setData] = useState<ScorecardReport | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    setError(null);
    completionApi.scorecards(filters).then(setData, setError);
  }, [filters]);
  return (
    <section className="card" aria-labelledby="scorecards-title">
      <h2 id="scorecards-title">Physician scorecards</h2>
      <form
        className="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          setFilters(draft);
        }}
      >
        <label>
          From <input type="date" value={draft.from ?? ''} onChange={(e) => setDraft({ ...draft, from: e.target.value || undefined })} />
        </label>{' '}
        <label>
          To <input type="date" value={draft.to ?? ''} onChange={(e) => setDraft({ ...draft, to: e.target.value || undefined })} />
        </label>{' '}
        <button type="submit">Show</button> <a href={completionApi.scorecardsExportUrl(filters, 'csv')}>Export scorecards CSV</a>{' '}
        <a href={completionApi.scorecardsExportUrl(filters, 'xlsx')}>Export scorecards XLSX</a>
      </form>
      <ErrorMessage error={error} />
      {!data ? (
        !error && <Loading />
      ) : (
        <>
          <p>
            Deficiencies created {data.from} to {data.to}; open, delinquent and suspended as of now (suspension at{' '}
            {data.suspensionDelinquentRecords} delinquent record{data.suspensionDelinquentRecords === 1 ? '' : 's'}).
          </p>
          <table className="table" aria-label="Physician scorecards">
            <thead>
              <tr>
                <th scope="col">Physician</th>
                <th scope="col">Assigned</th>
                <th scope="col">Completed</th>
                <th scope="col">On time</th>
                <th scope="col">Median days to complete</th>
                <th scope="col">Disputes</th>
                <th scope="col">Open now</th>
                <th scope="col">Delinquent records</th>
                <th scope="col">Suspended</th>
              </tr>
            </thead>
            <tbody>
              {data.physicians.length === 0 && (
                <tr>
                  <td colSpan={9}>No deficiencies in this period.</td>
                </tr>
              )}
              {data.physicians.map((p) => (
                <tr key={p.providerId}>
                  <td>{p.providerName ?? p.providerId}</td>
                  <td className="num">{p.assigned}</td>
                  <td className="num">{p.completed}</td>
                  <td className="num">{p.completedOnTime}</td>
                  <td className="num">{p.medianDaysToComplete ?? '—'}</td>
                  <td className="num">{p.disputes}</td>
                  <td className="num">{p.open}</td>
                  <td className="num">{p.delinquentRecords}</td>
                  <td>{p.suspended ? <span className="badge badge-bad">suspended</span> : 'no'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

export function CompletionReportsPage() {
  usePageTitle('Completion reports');
  const [report, setReport] = useState<CompletionReport | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    completionApi.report().then(setReport, setError);
  }, []);
  const charts = useMemo(() => {
    if (!report) return null;
    const types = Object.entries(report.byType);
    const ages = Object.entries(report.byAge);
    return {
      types,
      ages,
      byType: barOption(
        types.map(([k]) => words(k)),
        [{ name: 'Outstanding', data: types.map(([, v]) => v) }],
      ),
      byAge: barOption(
        ages.map(([k]) => k),
        [{ name: 'Outstanding', data: ages.map(([, v]) => v) }],
      ),
      rate: rateOption(report),
    };
  }, [report]);
  const flagged = report?.trend.filter((t) => t.flagged).map((t) => t.month) ?? [];
  return (
    <section className="page">
      <h1>Completion reports</h1>
      <ErrorMessage error={error} />
      <p>
        <a href="/api/reports/completion?format=csv">Export report CSV</a>{' '}
        <a href="/api/reports/completion?format=xlsx">Export report XLSX</a>
      </p>
      {!report || !charts ? (
        !error && <Loading />
      ) : (
        <div className="cards dashboard-cards">
          <section className="card">
            <h2>Outstanding deficiencies by type</h2>
            <EChart
              label={`Outstanding deficiencies by type: ${charts.types.map(([k, v]) => `${words(k)} ${v}`).join(', ') || 'none'}`}
              option={charts.byType}
            />
            <FiguresTable
              label="Outstanding deficiencies by type"
              header={['Type', 'Outstanding']}
              rows={charts.types.map(([k, v]) => [words(k), v])}
            />
          </section>
          <section className="card">
            <h2>Outstanding deficiencies by age (days)</h2>
            <EChart
              label={`Outstanding deficiencies by age in days: ${charts.ages.map(([k, v]) => `${k} ${v}`).join(', ')}`}
              option={charts.byAge}
            />
            <FiguresTable label="Outstanding deficiencies by age" header={['Age (days)', 'Outstanding']} rows={charts.ages} />
          </section>
          <section className="card">
            <h2>Delinquency rate by month</h2>
            <p>
              Records delinquent at each month&apos;s end against the average monthly discharges of the three months before; The Joint
              Commission flags a rate above 50%. {flagged.length > 0 ? `Flagged: ${flagged.join(', ')}.` : 'No month flagged.'}
            </p>
            <EChart
              label={`Delinquency rate by month: ${report.trend.map((t) => `${t.month} ${pct(t.rate)}${t.flagged ? ' (flagged)' : ''}`).join(', ')}; flag line at 50%`}
              option={charts.rate}
            />
            <FiguresTable
              label="Delinquency rate by month"
              header={['Month', 'Discharges', 'Delinquent', 'Average monthly discharges', 'Rate', 'Flagged', 'Median days to complete']}
              rows={report.trend.map((t) => [
                t.month,
                t.discharges,
                t.delinquent,
                t.averageMonthlyDischarges,
                pct(t.rate),
                t.flagged ? 'yes' : 'no',
                t.medianDaysToComplete ?? '—',
              ])}
            />
          </section>
        </div>
      )}
      <Scorecards />
    </section>
  );
}
