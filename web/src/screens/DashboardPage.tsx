import { useEffect, useMemo, useState } from 'react';
import { SavedReportsPanel } from './SavedReportsPanel.js';
import { dashboardApi, type Dashboard, type DashboardFilters, type DrillResult, type FigureSelection } from '../dashboard-api.js';
import { ErrorMessage, Loading } from '../components/Messages.js';
import { usePageTitle } from './StaticPages.js';
import { barOption, EChart, lineOption } from './DashboardCharts.js';
import { DrillPanel, FigureTable, money, pct, Tile } from './DashboardParts.js';
import '../dashboard.css';
import { formatDateTime } from '../format.js';

const today = () => new Date().toISOString().slice(0, 10);
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

/**
 * The HIM director's dashboard: DNFB (accounts, charges, days, by reason, by age, by day), the coding backlog and
 * throughput, top MS-DRGs, the case mix index by month and service line, queries, MPI duplicates and ROI turnaround;
 * filters; every tile, bar and table row opens the encounters behind it.
 */
export function DashboardPage() {
  usePageTitle('Director dashboard');
  const [filters, setFilters] = useState<DashboardFilters>({
    from: daysAgo(29),
    to: today(),
    facility: '',
    service: '',
    physician: '',
    payer: '',
  });
  const [data, setData] = useState<Dashboard | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [drill, setDrill] = useState<(DrillResult & { filters: DashboardFilters }) | null>(null);
  const [drillError, setDrillError] = useState<unknown>(null);

  useEffect(() => {
    const ctl = new AbortController();
    dashboardApi.dashboard(filters, ctl.signal).then(
      (d) => {
        setData(d);
        setError(null);
      },
      (e: unknown) => {
        if (!ctl.signal.aborted) setError(e);
      },
    );
    return () => ctl.abort();
  }, [filters]);

  const open = (sel: FigureSelection, over: Partial<DashboardFilters> = {}) => {
    const f = { ...filters, ...over };
    dashboardApi.encounters(f, sel).then(
      (r) => {
        setDrill({ ...r, filters: f });
        setDrillError(null);
        requestAnimationFrame(() => document.getElementById('drill-title')?.focus());
      },
      (e: unknown) => setDrillError(e),
    );
  };
  const set = (k: keyof DashboardFilters) => (e: { target: { value: string } }) => setFilters((f) => ({ ...f, [k]: e.target.value }));

  const charts = useMemo(() => {
    if (!data) return null;
    const coders = [...new Set(data.coding.throughput.byCoderDay.map((r) => r.coder))];
    const days = [...new Set(data.coding.throughput.byCoderDay.map((r) => r.day))].sort();
    return {
      reasons: barOption(
        data.dnfb.byReason.map((r) => r.label),
        [{ name: 'Accounts', data: data.dnfb.byReason.map((r) => r.count) }],
      ),
      trend: lineOption(
        data.dnfb.trend.map((t) => t.day),
        'DNFB accounts',
        data.dnfb.trend.map((t) => t.count),
      ),
      throughput: {
        days,
        option: barOption(
          days,
          coders.map((c) => ({
            name: c,
            data: days.map((d) =>
              data.coding.throughput.byCoderDay.filter((r) => r.coder === c && r.day === d).reduce((s, r) => s + r.count, 0),
            ),
          })),
          { stack: true },
        ),
      },
      drgs: barOption(
        data.drgs.map((d) => d.drg),
        [{ name: 'Cases', data: data.drgs.map((d) => d.cases) }],
      ),
      cmi: lineOption(
        data.caseMix.byMonth.map((c) => c.month),
        'CMI',
        data.caseMix.byMonth.map((c) => c.cmi),
        { decimals: true },
      ),
    };
  }, [data]);

  return (
    <section className="page">
      <h1>Director dashboard</h1>
      <form className="toolbar dashboard-filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          From <input type="date" value={filters.from} onChange={set('from')} />
        </label>
        <label>
          To <input type="date" value={filters.to} onChange={set('to')} />
        </label>
        {data && data.choices.facilities.length > 1 && (
          <label>
            Facility{' '}
            <select value={filters.facility} onChange={set('facility')}>
              <option value="">All</option>
              {data.choices.facilities.map((f) => (
                <option key={f}>{f}</option>
              ))}
            </select>
          </label>
        )}
        <label>
          Service line{' '}
          <select value={filters.service} onChange={set('service')}>
            <option value="">All</option>
            {data?.choices.services.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          Physician{' '}
          <select value={filters.physician} onChange={set('physician')}>
            <option value="">All</option>
            {data?.choices.physicians.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Payer{' '}
          <select value={filters.payer} onChange={set('payer')}>
            <option value="">All</option>
            {data?.choices.payers.map((p) => (
              <option key={p}>{p}</option>
            ))}
          </select>
        </label>
        <a href={dashboardApi.exportUrl(filters, 'csv')}>Export CSV</a> <a href={dashboardApi.exportUrl(filters, 'xlsx')}>Export XLSX</a>{' '}
        <a href={dashboardApi.exportUrl(filters, 'pdf')}>Report pack (PDF)</a>
      </form>
      <SavedReportsPanel
        filters={filters}
        onApply={(f) => setFilters((cur) => ({ ...cur, facility: '', service: '', physician: '', payer: '', ...f }))}
      />
      <ErrorMessage error={error} />
      {!data || !charts ? (
        !error && <Loading />
      ) : (
        <>
          <p className="muted">
            DNFB and backlog as of {data.asOf}; other figures for discharges (codings, queries) {data.filter.from} to {data.filter.to}.
          </p>
          <div className="tiles">
            <Tile
              title="DNFB"
              value={`${data.dnfb.count} accounts`}
              detail={`${money(data.dnfb.chargesCents)}; ${data.dnfb.meanDays} days on average`}
              onOpen={() => open({ figure: 'dnfb' })}
            />
            <Tile
              title="Coding backlog"
              value={`${data.coding.backlog.reduce((s, b) => s + b.count, 0)} not final-coded`}
              detail={`oldest ${Math.max(0, ...data.coding.backlog.map((b) => b.oldestDays))} days`}
              onOpen={() => open({ figure: 'backlog' })}
            />
            <Tile
              title="Case mix index"
              value={data.caseMix.overall.cmi === null ? '—' : data.caseMix.overall.cmi.toFixed(4)}
              detail={data.caseMix.weights.source === 'cms_table5' ? 'CMS Table 5 weights' : 'hospital-specific weights'}
              onOpen={() => open({ figure: 'cmi' })}
            />
            <Tile
              title="Physician queries"
              value={`${data.queries.sent} sent`}
              detail={`${data.queries.meanResponseHours ?? '—'} h to answer; agreement ${pct(data.queries.agreementRate)}`}
              onOpen={() => open({ figure: 'queries' })}
            />
            <Tile
              title="MPI duplicate rate"
              value={pct(data.mpi.duplicateRate)}
              detail={`${data.mpi.patientsInOpenPairs} of ${data.mpi.activePatients} patients; target under 1%`}
            />
            <Tile
              title="ROI turnaround"
              value={data.roi.meanDays === null ? '—' : `${data.roi.meanDays} days`}
              detail={`${data.roi.closed} of ${data.roi.received} closed; ${data.roi.breaches} breaches`}
            />
            <OperationsTiles ops={data.operations} />
          </div>
          <ErrorMessage error={drillError} />
          {drill && <DrillPanel result={drill} filters={drill.filters} onClose={() => setDrill(null)} />}
          <div className="cards dashboard-cards">
            <section className="card">
              <h2>DNFB by reason</h2>
              <EChart
                label={`DNFB accounts by reason: ${data.dnfb.byReason.map((r) => `${r.label} ${r.count}`).join(', ')}`}
                option={charts.reasons}
                onPick={(i) => open({ figure: 'dnfb', reason: data.dnfb.byReason[i]?.reason })}
              />
              <FigureTable
                label="DNFB by reason"
                header={['Reason', 'Accounts', 'Charges']}
                rows={data.dnfb.byReason.map((r) => ({
                  cells: [r.label, r.count, money(r.chargesCents)],
                  open: () => open({ figure: 'dnfb', reason: r.reason }),
                }))}
              />
              <FigureTable
                label="DNFB by days since discharge"
                header={['Days', 'Accounts', 'Charges']}
                rows={data.dnfb.byAge.map((a) => ({
                  cells: [a.bucket, a.count, money(a.chargesCents)],
                  open: () => open({ figure: 'dnfb', age: a.bucket }),
                }))}
              />
            </section>
            <section className="card">
              <h2>DNFB by day</h2>
              <EChart
                label={`DNFB accounts at the end of each day from ${data.filter.from} to ${data.filter.to}`}
                option={charts.trend}
                onPick={(i) => open({ figure: 'dnfb', day: data.dnfb.trend[i]?.day })}
              />
              <FigureTable
                label="DNFB by day"
                header={['Day', 'Accounts', 'Charges']}
                rows={data.dnfb.trend.map((t) => ({
                  cells: [t.day, t.count, money(t.chargesCents)],
                  open: () => open({ figure: 'dnfb', day: t.day }),
                }))}
              />
            </section>
            <section className="card">
              <h2>Coding throughput</h2>
              <EChart
                label="Encounters final-coded per day, stacked by coder"
                option={charts.throughput.option}
                onPick={(i) => open({ figure: 'throughput', day: charts.throughput.days[i] })}
              />
              <FigureTable
                label="Final-coded per coder per day by encounter type"
                header={['Coder', 'Day', 'Type', 'Encounters']}
                rows={data.coding.throughput.byCoderDay.map((r) => ({
                  cells: [r.coder, r.day, r.type, r.count],
                  open: () => open({ figure: 'throughput', coderId: r.coderId, day: r.day, type: r.type }),
                }))}
              />
              <FigureTable
                label="Coding backlog by encounter type"
                header={['Type', 'Not final-coded', 'Oldest (days)']}
                rows={data.coding.backlog.map((b) => ({
                  cells: [b.type, b.count, b.oldestDays],
                  open: () => open({ figure: 'backlog', type: b.type }),
                }))}
              />
            </section>
            <section className="card">
              <h2>Top MS-DRGs</h2>
              <EChart
                label={`Top MS-DRGs by cases: ${data.drgs.map((d) => `${d.drg} ${d.cases}`).join(', ') || 'none'}`}
                option={charts.drgs}
                onPick={(i) => open({ figure: 'drg', drg: data.drgs[i]?.drg })}
              />
              <FigureTable
                label="Top MS-DRGs"
                header={['MS-DRG', 'Cases', 'Charges', 'Mean LOS', 'Weight']}
                rows={data.drgs.map((d) => ({
                  cells: [d.drg, d.cases, money(d.chargesCents), d.meanLos, d.weight ?? '—'],
                  open: () => open({ figure: 'drg', drg: d.drg }),
                }))}
              />
            </section>
            <section className="card">
              <h2>Case mix index</h2>
              <p className="muted">{data.caseMix.weights.label}</p>
              <EChart
                label={`Case mix index by month: ${data.caseMix.byMonth.map((c) => `${c.month} ${c.cmi ?? 'none'}`).join(', ') || 'none'}`}
                option={charts.cmi}
                onPick={(i) => open({ figure: 'cmi', month: data.caseMix.byMonth[i]?.month })}
              />
              <FigureTable
                label="Case mix index by month and service line"
                header={['Month', 'Service line', 'Cases', 'Weighted', 'CMI']}
                rows={[...data.caseMix.byMonth, ...data.caseMix.byMonthService].map((c) => ({
                  cells: [c.month, c.service === 'all' ? 'All' : c.service, c.cases, c.weightedCases, c.cmi ?? '—'],
                  open: () => open({ figure: 'cmi', month: c.month }, c.service === 'all' ? {} : { service: c.service }),
                }))}
              />
            </section>
          </div>
        </>
      )}
    </section>
  );
}

/** Delinquency, A/R, denials, interface health and no-shows: aggregates from the modules that own them. */
function OperationsTiles({ ops }: { ops: Dashboard['operations'] }) {
  const d = ops.delinquency;
  const r = ops.receivables;
  const over90 = r.arByAge['91-120'] + r.arByAge['>120'];
  return (
    <>
      <Tile
        title="Chart delinquency"
        value={d ? `${pct(d.rate)}${d.flagged ? ' (over 50%)' : ''}` : '—'}
        detail={
          d
            ? `${d.delinquent} delinquent against ${d.averageMonthlyDischarges} discharges a month; ${d.outstandingDeficiencies} deficiencies open`
            : 'no discharges'
        }
        href="/completion-reports"
      />
      <Tile title="Accounts receivable" value={money(r.arCents)} detail={`${r.arClaims} claims; ${money(over90)} over 90 days`} />
      <Tile
        title="Denials"
        value={`${r.deniedClaims} claims`}
        detail={`${money(r.deniedChargeCents)} charged; denial rate ${pct(r.denialRate)} of ${r.adjudicatedClaims} adjudicated`}
      />
      <Tile
        title="HL7 interface"
        value={`${ops.interfaces.received} messages`}
        detail={`${ops.interfaces.errors} AE, ${ops.interfaces.rejected} AR (${pct(ops.interfaces.errorRate)}); last ${ops.interfaces.lastReceivedAt ? formatDateTime(ops.interfaces.lastReceivedAt) : 'never'}`}
      />
      <Tile
        title="No-show rate"
        value={pct(ops.appointments.noShowRate)}
        detail={`${ops.appointments.noShow} of ${ops.appointments.completed + ops.appointments.checkedIn + ops.appointments.noShow} kept or missed; ${ops.appointments.cancelled} cancelled`}
      />
    </>
  );
}
