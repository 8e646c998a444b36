/** The dashboard's pieces: tiles, the tables beside the charts, and the list behind a figure. */
import { dashboardApi, type DashboardFilters, type DrillResult, type FigureSelection } from '../dashboard-api.js';
import { Link } from '../router.js';
import { useSession } from '../session.js';

export const money = (cents: number | null) =>
  cents === null ? '' : (cents / 100).toLocaleString('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });
export const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
const REASONS: Record<string, string> = {
  query_open: 'Query open',
  not_coded: 'Not coded',
  chart_incomplete: 'Chart incomplete',
  claim_edit: 'Claim edit',
  awaiting_release: 'Awaiting release',
};

/** What a drill-down shows, in words. */
function describe(sel: FigureSelection): string {
  const parts: string[] = [];
  if (sel.figure === 'dnfb') parts.push('DNFB');
  if (sel.figure === 'backlog') parts.push('Coding backlog');
  if (sel.figure === 'throughput') parts.push('Final-coded');
  if (sel.figure === 'drg' || sel.figure === 'cmi') parts.push('Final-coded discharges');
  if (sel.figure === 'queries') parts.push('Encounters with queries sent');
  if (sel.reason) parts.push(REASONS[sel.reason] ?? sel.reason);
  if (sel.age) parts.push(`${sel.age} days since discharge`);
  if (sel.day) parts.push(`on ${sel.day}`);
  if (sel.type) parts.push(sel.type);
  if (sel.drg) parts.push(`MS-DRG ${sel.drg}`);
  if (sel.month) parts.push(sel.month);
  return parts.join(' — ');
}

export function Tile({
  title,
  value,
  detail,
  onOpen,
  href,
}: {
  title: string;
  value: string;
  detail: string;
  onOpen?: () => void;
  /** The screen that lists what is behind the figure, when the figure is not an encounter list of its own. */
  href?: string;
}) {
  const body = (
    <>
      <span className="tile-title">{title}</span>
      <span className="tile-value">{value}</span>
      <span className="tile-detail">{detail}</span>
      {onOpen && <span className="sr-only">Show the encounters</span>}
    </>
  );
  if (href)
    return (
      <a className="tile" href={href}>
        {body}
      </a>
    );
  return onOpen ? (
    <button type="button" className="tile" onClick={onOpen}>
      {body}
    </button>
  ) : (
    <div className="tile">{body}</div>
  );
}

/** The figure's table (the charts' text alternative), each row drilling down with a button. */
export function FigureTable({
  label,
  header,
  rows,
}: {
  label: string;
  header: string[];
  rows: { cells: (string | number)[]; open?: () => void }[];
}) {
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
            <th scope="col">Encounters</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              {r.cells.map((c, j) => (
                <td key={j} className={typeof c === 'number' ? 'num' : undefined}>
                  {c}
                </td>
              ))}
              <td>
                {r.open && (
                  <button type="button" className="btn btn-small" onClick={r.open}>
                    Show
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

/** The encounters behind the chosen figure; an encounter opens in the coding summary (or the patient's summary). */
export function DrillPanel({ result, filters, onClose }: { result: DrillResult; filters: DashboardFilters; onClose: () => void }) {
  const canCode = useSession().can('coding:read');
  return (
    <section className="card drill" aria-labelledby="drill-title">
      <h2 id="drill-title" tabIndex={-1}>
        Encounters: {describe(result.figure)}
      </h2>
      <p>
        {result.total} encounter{result.total === 1 ? '' : 's'}
        {result.withheld > 0 && `; ${result.withheld} restricted record${result.withheld === 1 ? '' : 's'} counted and not listed`}.{' '}
        <a href={dashboardApi.exportUrl(filters, 'csv', result.figure)}>Export CSV</a>{' '}
        <a href={dashboardApi.exportUrl(filters, 'xlsx', result.figure)}>Export XLSX</a>{' '}
        <button type="button" className="btn btn-small btn-quiet" onClick={onClose}>
          Close list
        </button>
      </p>
      <div className="table-scroll">
        <table className="table table-hover" aria-label={`Encounters: ${describe(result.figure)}`}>
          <thead>
            <tr>
              <th scope="col">Patient</th>
              <th scope="col">MRN</th>
              <th scope="col">Account</th>
              <th scope="col">Type</th>
              <th scope="col">Payer</th>
              <th scope="col">Attending</th>
              <th scope="col">Discharged</th>
              <th scope="col">Days</th>
              <th scope="col">DNFB reason</th>
              <th scope="col">MS-DRG</th>
              <th scope="col">Charges</th>
            </tr>
          </thead>
          <tbody>
            {result.items.map((r) => (
              <tr key={r.encounterId}>
                <td>
                  <Link className="row-link" to={canCode ? `/coding/encounters/${r.encounterId}/summary` : `/patients/${r.patientId}`}>
                    {r.patientName}
                  </Link>
                  {r.restricted && <span className="badge badge-dark">Restricted</span>}
                </td>
                <td>{r.mrn}</td>
                <td>{r.accountNumber}</td>
                {r.details ? (
                  <>
                    <td>{r.type}</td>
                    <td>{r.payer ?? ''}</td>
                    <td>{r.attending ?? ''}</td>
                    <td>{r.dischargeAt?.slice(0, 10)}</td>
                    <td className="num">{r.daysSinceDischarge}</td>
                    <td>{r.dnfbReason ? REASONS[r.dnfbReason] : ''}</td>
                    <td>{r.drg ?? ''}</td>
                    <td className="num">{money(r.chargesCents)}</td>
                  </>
                ) : (
                  <td colSpan={8} className="muted">
                    Restricted record: open it (break the glass) to see its details.
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
