import { useCallback, useEffect, useState } from 'react';
import { ErrorMessage, Loading, Notice } from '../components/Messages.js';
import { formatDateTime } from '../format.js';
import { mpiApi, type Hl7Message } from '../mpi-api.js';
import { usePageTitle } from './StaticPages.js';

const STATUSES = ['received', 'applied', 'error', 'rejected', 'duplicate', 'ignored'] as const;
const badge: Record<string, string> = { applied: 'badge-ok', error: 'badge-bad', rejected: 'badge-bad', duplicate: 'badge-warn', ignored: 'badge-dark', received: 'badge-warn' };

/**
 * The HL7 v2 message log for interface administrators: every message received, its status and ACK, the error
 * naming segment and field; opening one shows its raw text (a read that is audited: it is PHI); failed
 * messages can be processed again once the cause is fixed.
 */
export function Hl7MessagesPage() {
  usePageTitle('HL7 messages');
  const [status, setStatus] = useState('');
  const [type, setType] = useState('');
  const [data, setData] = useState<{ items: Hl7Message[]; counts: Record<string, number> } | null>(null);
  const [open, setOpen] = useState<(Hl7Message & { raw: string }) | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(() => {
    setError(null);
    mpiApi.hl7Messages({ status: status || undefined, messageType: type.trim().toUpperCase() || undefined }).then(setData, setError);
  }, [status, type]);
  useEffect(load, [load]);

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
      setNotice(`Processed again: ${r.status} (${r.ackCode})${r.errorText ? ` — ${r.errorText}` : ''}`);
      if (open?.id === id) setOpen(await mpiApi.hl7Message(id));
      load();
    } catch (err) {
      setError(err);
    }
  }

  return (
    <section className="page">
      <h1>HL7 messages</h1>
      <div className="row">
        <div className="field">
          <label htmlFor="hl7-status">Status</label>
          <select id="hl7-status" value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">All</option>
            {STATUSES.map((s) => <option key={s} value={s}>{s}{data?.counts[s] !== undefined ? ` (${data.counts[s]})` : ''}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor="hl7-type">Message type</label>
          <input id="hl7-type" className="input-small" value={type} onChange={(e) => setType(e.target.value)} placeholder="ADT" size={6} />
        </div>
      </div>
      {notice && <Notice kind="info">{notice}</Notice>}
      <ErrorMessage error={error} />
      {!data ? <Loading /> : data.items.length === 0 ? <p className="muted">No messages.</p> : (
        <div className="table-scroll">
          <table className="data-table">
            <caption className="sr-only">Messages received, newest first</caption>
            <thead><tr><th scope="col">Received</th><th scope="col">Type</th><th scope="col">Control id</th><th scope="col">From</th><th scope="col">Status</th><th scope="col">ACK</th><th scope="col">Error</th><th scope="col" /></tr></thead>
            <tbody>
              {data.items.map((m) => (
                <tr key={m.id}>
                  <td className="nowrap">{formatDateTime(m.receivedAt)}</td>
                  <td className="mono">{[m.messageType, m.triggerEvent].filter(Boolean).join('^') || '—'} <span className="muted small">{m.version ?? ''}</span></td>
                  <td className="mono">{m.controlId ?? '—'}</td>
                  <td>{[m.sendingApplication, m.sendingFacility].filter(Boolean).join(' / ')}</td>
                  <td><span className={`badge ${badge[m.status] ?? ''}`}>{m.status}</span>{m.attempts > 1 && <span className="muted small"> ×{m.attempts}</span>}</td>
                  <td className="mono">{m.ackCode ?? ''}</td>
                  <td className="detail-cell">{m.errorText ?? ''}</td>
                  <td className="row">
                    <button type="button" className="btn btn-small" onClick={() => void view(m.id)}>View</button>
                    {(m.status === 'error' || m.status === 'rejected' || m.status === 'received') && <button type="button" className="btn btn-small" onClick={() => void reprocess(m.id)}>Reprocess</button>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {open && (
        <section className="section card" aria-labelledby="raw-h">
          <div className="page-head">
            <h2 id="raw-h">Message {open.controlId ?? open.id}</h2>
            <button type="button" className="btn btn-small" onClick={() => setOpen(null)}>Close</button>
          </div>
          <p className="small muted">Raw text as received (PHI: this view is recorded in the audit log).</p>
          <pre className="raw-message">{open.raw.split(/\r\n|\r|\n/).join('\n')}</pre>
        </section>
      )}
    </section>
  );
}
