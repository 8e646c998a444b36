import { useCallback, useEffect, useState, type SubmitEvent } from 'react';
import { ErrorMessage, Loading, Notice } from '../components/Messages.js';
import { formatDateTime, localDayRange } from '../format.js';
import { mpiApi, type Hl7Message, type Hl7MessageFilter } from '../mpi-api.js';
import { usePageTitle } from './StaticPages.js';

const STATUSES = ['received', 'applied', 'error', 'rejected', 'duplicate', 'ignored'] as const;
const badge: Record<string, string> = {
  applied: 'badge-ok',
  error: 'badge-bad',
  rejected: 'badge-bad',
  duplicate: 'badge-warn',
  ignored: 'badge-dark',
  received: 'badge-warn',
};
const pageSize = 100;

interface Form {
  status: string;
  messageType: string;
  triggerEvent: string;
  controlId: string;
  fromDay: string;
  toDay: string;
}
const emptyForm: Form = { status: '', messageType: '', triggerEvent: '', controlId: '', fromDay: '', toDay: '' };

function toFilter(f: Form): Hl7MessageFilter {
  return {
    status: f.status || undefined,
    messageType: f.messageType.trim().toUpperCase() || undefined,
    triggerEvent: f.triggerEvent.trim().toUpperCase() || undefined,
    controlId: f.controlId.trim() || undefined,
    ...localDayRange(f.fromDay, f.toDay),
  };
}

/**
 * The HL7 v2 message log for interface administrators: every message received, newest first, its status and ACK,
 * the error naming segment and field (or, for an applied MDM message, the document and version it filed); filters by status, type, trigger, control id (MSH-10, what a sender quotes
 * when chasing a message) and days received; "Load more" pages back through the log. Opening one shows its raw
 * text (a read that is audited: it is PHI); failed messages can be processed again once the cause is fixed.
 */
export function Hl7MessagesPage() {
  usePageTitle('HL7 messages');
  const [form, setForm] = useState<Form>(emptyForm);
  const [applied, setApplied] = useState<Hl7MessageFilter>({});
  const [items, setItems] = useState<Hl7Message[] | null>(null);
  const [counts, setCounts] = useState<Record<string, number>>({});
  const [more, setMore] = useState(false);
  const [busy, setBusy] = useState(false);
  const [open, setOpen] = useState<(Hl7Message & { raw: string; withheld?: boolean }) | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  const fetchPage = useCallback(async (f: Hl7MessageFilter, before?: string) => {
    setBusy(true);
    setError(null);
    try {
      const res = await mpiApi.hl7Messages(f, before, pageSize);
      setItems((prev) => (before === undefined ? res.items : [...(prev ?? []), ...res.items]));
      setCounts(res.counts);
      setMore(res.items.length === pageSize);
    } catch (err) {
      setError(err);
      if (before === undefined) setItems([]);
    } finally {
      setBusy(false);
    }
  }, []);

  useEffect(() => {
    void fetchPage(applied);
  }, [applied, fetchPage]);

  const set = (k: keyof Form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));

  function submit(e: SubmitEvent) {
    e.preventDefault();
    setNotice(null);
    setApplied(toFilter(form));
  }

  function clear() {
    setForm(emptyForm);
    setNotice(null);
    setApplied({});
  }

  async function view(id: string) {
    setError(null);
    try {
      setOpen(await mpiApi.hl7Message(id));
    } catch (err) {
      setError(err);
    }
  }

  async function reprocess(id: string) {
    setError(null);
    try {
      const r = await mpiApi.reprocess(id);
      if (open?.id === id) setOpen(await mpiApi.hl7Message(id));
      await fetchPage(applied);
      setNotice(`Processed again: ${r.status} (${r.ackCode})${r.errorText ? ` — ${r.errorText}` : ''}`);
    } catch (err) {
      setError(err);
    }
  }

  const last = items?.[items.length - 1];
  return (
    <section className="page">
      <h1>HL7 messages</h1>
      <form className="filters" onSubmit={submit} aria-label="Filter messages">
        <div className="field">
          <label htmlFor="hl7-status">Status</label>
          <select
            id="hl7-status"
            value={form.status}
            onChange={(e) => {
              const next = { ...form, status: e.target.value };
              setForm(next);
              setApplied(toFilter(next));
            }}
          >
            <option value="">All</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
                {counts[s] !== undefined ? ` (${counts[s]})` : ''}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="hl7-type">Message type</label>
          <input
            id="hl7-type"
            className="input-small"
            value={form.messageType}
            onChange={set('messageType')}
            placeholder="ADT, MDM"
            size={6}
            maxLength={10}
          />
        </div>
        <div className="field">
          <label htmlFor="hl7-trigger">Trigger</label>
          <input
            id="hl7-trigger"
            className="input-small"
            value={form.triggerEvent}
            onChange={set('triggerEvent')}
            placeholder="A01"
            size={5}
            maxLength={10}
          />
        </div>
        <div className="field">
          <label htmlFor="hl7-control">Control id (MSH-10)</label>
          <input id="hl7-control" className="mono" value={form.controlId} onChange={set('controlId')} maxLength={200} spellCheck={false} />
        </div>
        <div className="field">
          <label htmlFor="hl7-from">Received from</label>
          <input id="hl7-from" type="date" value={form.fromDay} onChange={set('fromDay')} />
        </div>
        <div className="field">
          <label htmlFor="hl7-to">Received to</label>
          <input id="hl7-to" type="date" value={form.toDay} onChange={set('toDay')} />
        </div>
        <div className="field filters-actions">
          <button type="submit" className="btn btn-primary">
            Show messages
          </button>
          <button type="button" className="btn" onClick={clear}>
            Clear
          </button>
        </div>
      </form>
      {notice && <Notice kind="info">{notice}</Notice>}
      <ErrorMessage error={error} />
      {items === null ? (
        <Loading />
      ) : items.length === 0 ? (
        !busy && <p className="muted">No messages match these filters.</p>
      ) : (
        <div className="table-scroll">
          <table className="data-table">
            <caption className="sr-only">Messages received, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Received</th>
                <th scope="col">Type</th>
                <th scope="col">Control id</th>
                <th scope="col">From</th>
                <th scope="col">Status</th>
                <th scope="col">ACK</th>
                <th scope="col">Error or result</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((m) => (
                <tr key={m.id}>
                  <td className="nowrap">{formatDateTime(m.receivedAt)}</td>
                  <td className="mono">
                    {[m.messageType, m.triggerEvent].filter(Boolean).join('^') || '—'}{' '}
                    <span className="muted small">{m.version ?? ''}</span>
                  </td>
                  <td className="mono">{m.controlId ?? '—'}</td>
                  <td>{[m.sendingApplication, m.sendingFacility].filter(Boolean).join(' / ')}</td>
                  <td>
                    <span className={`badge ${badge[m.status] ?? ''}`}>{m.status}</span>
                    {m.attempts > 1 && <span className="muted small"> ×{m.attempts}</span>}
                  </td>
                  <td className="mono">{m.ackCode ?? ''}</td>
                  <td className="detail-cell">{m.errorText ?? ''}</td>
                  <td className="row">
                    <button type="button" className="btn btn-small" onClick={() => void view(m.id)}>
                      View
                    </button>
                    {(m.status === 'error' || m.status === 'rejected' || m.status === 'received') && (
                      <button type="button" className="btn btn-small" onClick={() => void reprocess(m.id)}>
                        Reprocess
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {busy && items !== null && <Loading label="Loading messages…" />}
      {!busy && more && last && (
        <button type="button" className="btn" onClick={() => void fetchPage(applied, last.id)}>
          Load more
        </button>
      )}
      {!busy && !more && items !== null && items.length > 0 && (
        <p className="muted small">
          {items.length} message{items.length === 1 ? '' : 's'} – end of the log for these filters.
        </p>
      )}
      {open && (
        <section className="section card" aria-labelledby="raw-h">
          <div className="page-head">
            <h2 id="raw-h">Message {open.controlId ?? open.id}</h2>
            <button type="button" className="btn btn-small" onClick={() => setOpen(null)}>
              Close
            </button>
          </div>
          <p className="small muted">Raw text as received (PHI: this view is recorded in the audit log).</p>
          {open.withheld && (
            <p className="muted">
              This message is about a restricted record: only its structure is shown (MSH, EVN, MSA, ERR in full, other segments by name).
            </p>
          )}
          <pre className="raw-message">{open.raw.split(/\r\n|\r|\n/).join('\n')}</pre>
        </section>
      )}
    </section>
  );
}
