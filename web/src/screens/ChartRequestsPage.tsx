import { useCallback, useEffect, useState, type SyntheticEvent } from 'react';
import { ApiError } from '../api.js';
import { chartsApi, formatMinutesLeft, type ChartRequestView } from '../charts-api.js';
import { ErrorMessage, Loading, Notice } from '../components/Messages.js';
import { formatDateTime } from '../format.js';
import { Link } from '../router.js';
import { useSession } from '../session.js';
import { usePageTitle } from './StaticPages.js';
import { BreakGlassPanel } from './BreakGlassPanel.js';
import { NewChartRequestForm } from './ChartRequestForm.js';
import '../charts.css';
import { moveBetweenRows, workListProps } from '../work-list.js';

type Status = 'open' | 'fulfilled' | 'cancelled' | 'all';
const dueBadge: Record<string, string> = { overdue: 'badge-bad', due_soon: 'badge-warn', on_time: 'badge-ok' };
const dueText: Record<string, string> = { overdue: 'overdue', due_soon: 'due soon', on_time: 'on time' };

/**
 * Chart requests. HIM staff (chart:track) work the queue: open requests soonest needed first, overdue ones
 * highlighted, each with the patient's paper charts and where they are; fulfil electronically or by scanning the
 * pulled chart (checked out to the requester), or cancel with a reason. Clinicians (chart:request) ask for a record
 * and follow their requests; one fulfilled electronically links to the record (opened through the usual access
 * step: a restricted record still needs break-the-glass).
 */
export function ChartRequestsPage() {
  usePageTitle('Chart requests');
  const staff = useSession().session.permissions.includes('chart:track');
  const [status, setStatus] = useState<Status>('open');
  const [items, setItems] = useState<ChartRequestView[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [reading, setReading] = useState<ChartRequestView | null>(null);
  const [glass, setGlass] = useState<ChartRequestView | null>(null);

  const load = useCallback(() => chartsApi.requests(status).then((r) => setItems(r.items), setError), [status]);
  useEffect(() => {
    void load();
  }, [load]);

  const done = (text: string) => {
    setNotice(text);
    setError(null);
    void load();
  };
  // The reason is the record's content: reading it opens the record (break-the-glass for a restricted one).
  const read = (r: ChartRequestView) =>
    chartsApi.request(r.id).then(
      (v) => {
        setGlass(null);
        setReading(v);
      },
      (e: unknown) => (e instanceof ApiError && e.code === 'break_glass_required' ? setGlass(r) : setError(e)),
    );

  return (
    <section className="page">
      <h1>Chart requests</h1>
      <NewChartRequestForm
        staff={staff}
        onCreated={(r) => done(`Request for ${r.patientName} sent: needed by ${formatDateTime(r.neededBy)}.`)}
      />
      <section className="card section" aria-labelledby="queue-h">
        <div className="page-head">
          <h2 id="queue-h">{staff ? 'Request queue' : 'My requests'}</h2>
          <div className="field">
            <label htmlFor="rq-status">Show</label>
            <select id="rq-status" value={status} onChange={(e) => setStatus(e.target.value as Status)}>
              <option value="open">Open</option>
              <option value="fulfilled">Fulfilled</option>
              <option value="cancelled">Cancelled</option>
              <option value="all">All</option>
            </select>
          </div>
        </div>
        <div aria-live="polite">{notice && <Notice kind="success">{notice}</Notice>}</div>
        <ErrorMessage error={error} />
        {!items ? (
          <Loading />
        ) : items.length === 0 ? (
          <p className="muted">No requests.</p>
        ) : (
          <table className="data-table" aria-label={staff ? 'Request queue' : 'My requests'} {...workListProps}>
            <thead>
              <tr>
                <th>Needed by</th>
                <th>Priority</th>
                <th>Patient</th>
                <th>Requested by</th>
                <th>Status</th>
                {staff && <th>Paper charts</th>}
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody onKeyDown={moveBetweenRows}>
              {items.map((r) => (
                <RequestRow key={r.id} r={r} staff={staff} onDone={done} onError={setError} onRead={() => void read(r)} />
              ))}
            </tbody>
          </table>
        )}
        {glass && <BreakGlassPanel patientId={glass.patientId} onGranted={() => void read(glass)} />}
        {reading && (
          <div className="card section" role="region" aria-label="Request details">
            <h3>
              Request for {reading.patientName} (MRN {reading.mrn})
            </h3>
            <p>
              <strong>Reason:</strong> {reading.reason}
            </p>
            {reading.encounter && (
              <p>
                Encounter {reading.encounter.accountNumber} ({reading.encounter.type}, admitted {formatDateTime(reading.encounter.admitAt)})
              </p>
            )}
            {reading.cancelReason && <p>Cancelled: {reading.cancelReason}</p>}
            <button type="button" className="btn btn-small" onClick={() => setReading(null)}>
              Close
            </button>
          </div>
        )}
      </section>
    </section>
  );
}

function RequestRow({
  r,
  staff,
  onDone,
  onError,
  onRead,
}: {
  r: ChartRequestView;
  staff: boolean;
  onDone: (text: string) => void;
  onError: (e: unknown) => void;
  onRead: () => void;
}) {
  const [action, setAction] = useState<'paper' | 'cancel' | null>(null);
  const [value, setValue] = useState('');
  const open = r.status === 'open';

  async function submit(e: SyntheticEvent) {
    e.preventDefault();
    try {
      if (action === 'paper') {
        const v = await chartsApi.fulfilWithPaper(r.id, value);
        onDone(`Chart pulled for ${v.patientName} and checked out to ${v.deliverTo?.name ?? v.requesterName}.`);
      } else {
        await chartsApi.cancel(r.id, value);
        onDone('Request cancelled.');
      }
      setAction(null);
      setValue('');
    } catch (err) {
      onError(err);
    }
  }
  async function electronic() {
    try {
      await chartsApi.fulfilElectronically(r.id);
      onDone(`Request fulfilled electronically: ${r.requesterName} can open the record.`);
    } catch (err) {
      onError(err);
    }
  }

  return (
    <tr className={r.dueState === 'overdue' ? 'request-overdue' : undefined}>
      <td className="nowrap">
        {formatDateTime(r.neededBy)}
        {r.dueState && (
          <>
            <br />
            <span className={`badge ${dueBadge[r.dueState]}`}>{dueText[r.dueState]}</span>{' '}
            <span className="small">{formatMinutesLeft(r.minutesLeft)}</span>
          </>
        )}
      </td>
      <td>{r.priority}</td>
      <td>
        {r.patientName} <span className="mono small">MRN {r.mrn}</span>
        {r.restricted && <span className="badge badge-dark"> restricted</span>}
        {r.details && r.reason && <div className="small muted">{r.reason}</div>}
      </td>
      <td>
        {r.requesterName}
        {r.deliverTo && <div className="small">to {r.deliverTo.name}</div>}
      </td>
      <td>
        {r.status}
        {r.fulfilment && ` (${r.fulfilment})`}
        {r.fulfilment === 'electronic' && !staff && (
          <div>
            <Link to={`/patients/${r.patientId}`}>Open the record</Link>
          </div>
        )}
      </td>
      {staff && (
        <td className="small">
          {(r.charts ?? []).length === 0
            ? 'none'
            : (r.charts ?? []).map((c) => (
                <div key={c.id}>
                  <span className="mono">{c.barcode}</span> vol. {c.volume}:{' '}
                  {c.status === 'out' ? `out to ${c.current?.name ?? ''}` : c.current?.name}
                </div>
              ))}
        </td>
      )}
      <td>
        <div className="row">
          <button type="button" className="btn btn-small" onClick={onRead}>
            Details
          </button>
          {open && staff && (
            <>
              <button type="button" className="btn btn-small" onClick={() => void electronic()}>
                Fulfil electronically
              </button>
              <button type="button" className="btn btn-small" onClick={() => setAction('paper')}>
                Pull paper chart
              </button>
            </>
          )}
          {open && (
            <button type="button" className="btn btn-small" onClick={() => setAction('cancel')}>
              Cancel
            </button>
          )}
        </div>
        {action && (
          <form onSubmit={(e) => void submit(e)} className="inline-form">
            <label htmlFor={`rq-${r.id}`}>{action === 'paper' ? 'Scan the pulled chart, then Enter' : 'Reason for cancelling'}</label>
            <input id={`rq-${r.id}`} autoFocus value={value} onChange={(e) => setValue(e.target.value)} autoComplete="off" />
            <button type="submit" className="btn btn-small btn-primary">
              {action === 'paper' ? 'Check out to requester' : 'Cancel request'}
            </button>
          </form>
        )}
      </td>
    </tr>
  );
}
