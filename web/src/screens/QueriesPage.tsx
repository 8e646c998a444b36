import { useEffect, useRef, useState } from 'react';
import { codingApi, type NotificationView, type QueryView } from '../coding-api.js';
import { ErrorMessage, Loading, Notice } from '../components/Messages.js';
import { formatDate, formatDateTime } from '../format.js';
import { Link } from '../router.js';
import { useSession } from '../session.js';
import { usePageTitle } from './StaticPages.js';
import { BreakGlassPanel } from './BreakGlassPanel.js';
import { ApiError } from '../api.js';
import { focusFirstWorkListRow, moveBetweenRows, workListProps } from '../work-list.js';

/** Physicians: the query inbox (read with indicators, answer, sign). Coders: notifications about their queries. */
export function QueriesPage() {
  usePageTitle('Queries');
  const { can } = useSession();
  if (can('query:answer')) return <PhysicianInbox />;
  return (
    <>
      {can('reports:read') && <QueryAgingView />}
      <CoderNotifications />
    </>
  );
}

/** The HIM director's follow-up list: open and escalated queries by physician and days waiting (counts only). */
function QueryAgingView() {
  const [r, setR] = useState<Awaited<ReturnType<typeof codingApi.queryAging>> | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    codingApi.queryAging().then(setR, setError);
  }, []);
  return (
    <div className="page">
      <h1>Open queries by physician</h1>
      <ErrorMessage error={error} />
      {!r ? (
        <Loading />
      ) : r.total === 0 ? (
        <p className="muted">No query is waiting for a physician.</p>
      ) : (
        <table className="data-table" data-testid="query-aging">
          <thead>
            <tr>
              <th>Physician</th>
              {r.buckets.map((b) => (
                <th key={b} className="num">
                  {b} days
                </th>
              ))}
              <th className="num">Open</th>
              <th className="num">Escalated</th>
              <th className="num">Oldest (days)</th>
            </tr>
          </thead>
          <tbody>
            {r.byPhysician.map((p) => (
              <tr key={p.providerId}>
                <td>{p.name}</td>
                {p.counts.map((c, i) => (
                  <td key={i} className="num">
                    {c || ''}
                  </td>
                ))}
                <td className="num">{p.total}</td>
                <td className="num">{p.escalated || ''}</td>
                <td className="num">{p.oldestDays}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function PhysicianInbox() {
  const [items, setItems] = useState<QueryView[] | null>(null);
  const [open, setOpen] = useState<QueryView | null>(null);
  const [glass, setGlass] = useState<QueryView | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = () => codingApi.inbox().then((r) => setItems(r.items), setError);
  // The control that opened the answer form gets focus back when it closes (WCAG 2.4.3 focus order).
  const opener = useRef<HTMLElement | null>(null);
  const wasOpen = useRef(false);
  useEffect(() => {
    if (open) wasOpen.current = true;
    else if (wasOpen.current) {
      wasOpen.current = false;
      if (opener.current?.isConnected) opener.current.focus();
      else focusFirstWorkListRow();
    }
  }, [open]);
  // A query about a restricted record opens after the physician breaks the glass with a reason.
  const read = (q: QueryView) => {
    if (document.activeElement instanceof HTMLElement) opener.current = document.activeElement;
    return codingApi.query(q.id).then(
      (v) => {
        setGlass(null);
        setOpen(v);
      },
      (e: unknown) => (e instanceof ApiError && e.code === 'break_glass_required' ? setGlass(q) : setError(e)),
    );
  };
  useEffect(() => {
    void load();
  }, []);

  return (
    <div className="page">
      <h1>Query inbox</h1>
      <ErrorMessage error={error} />
      {!items ? (
        <Loading />
      ) : items.length === 0 ? (
        <p className="muted">No queries.</p>
      ) : (
        <table className="data-table table-hover" data-testid="inbox" {...workListProps}>
          <thead>
            <tr>
              <th>Patient</th>
              <th>Account</th>
              <th>Sent</th>
              <th>Days</th>
              <th>Status</th>
              <th>From</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody onKeyDown={moveBetweenRows}>
            {items.map((q) => (
              <tr key={q.id}>
                <td>
                  {q.patientName}
                  {q.details === false && <span className="badge badge-dark"> restricted</span>}
                </td>
                <td>{q.accountNumber}</td>
                <td>{formatDate(q.sentAt)}</td>
                <td className="num">{q.daysOpen}</td>
                <td>
                  <span className={`badge ${q.status === 'answered' ? 'badge-ok' : q.status === 'escalated' ? 'badge-bad' : 'badge-warn'}`}>
                    {q.status}
                  </span>
                </td>
                <td>{q.authorName}</td>
                <td>
                  <button type="button" className="btn btn-small" onClick={() => void read(q)}>
                    {q.status === 'open' || q.status === 'escalated' ? 'Read and answer' : 'Read'}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {glass && <BreakGlassPanel patientId={glass.patientId} onGranted={() => void read(glass)} />}
      {open && (
        <AnswerForm
          key={open.id}
          q={open}
          onDone={() => {
            setOpen(null);
            void load();
          }}
        />
      )}
    </div>
  );
}

function AnswerForm({ q, onDone }: { q: QueryView; onDone: () => void }) {
  const [choice, setChoice] = useState<string | null>(null);
  const [text, setText] = useState('');
  const [attest, setAttest] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const pending = q.status === 'open' || q.status === 'escalated';
  // Opening the form moves focus to it, so keyboard and screen-reader users land on the query they chose.
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);

  async function submit() {
    try {
      await codingApi.answer(q.id, { choice, text: text.trim() || null });
      onDone();
    } catch (e) {
      setError(e);
    }
  }

  return (
    <section className="card section" aria-labelledby="q-h">
      <h2 id="q-h" tabIndex={-1} ref={headingRef}>
        Query for account {q.accountNumber} — {q.patientName}
      </h2>
      <p className="small muted">
        From {q.authorName} · sent {formatDateTime(q.sentAt)}
      </p>
      <p data-testid="query-question">{q.question}</p>
      <h3>Clinical indicators</h3>
      <ul>
        {q.indicators.map((i, k) => (
          <li key={k}>
            <strong>{i.kind.replace('_', ' ')}:</strong> {i.text}
            {i.source ? <span className="muted"> ({i.source})</span> : null}
          </li>
        ))}
      </ul>
      {pending ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          {q.options.length > 0 && (
            <fieldset>
              <legend>Your answer</legend>
              {q.options.map((o) => (
                <label key={o} className="check">
                  <input type="radio" name="choice" value={o} checked={choice === o} onChange={() => setChoice(o)} /> {o}
                </label>
              ))}
            </fieldset>
          )}
          <label className="field">
            {q.options.length ? 'Comment (required for "Other")' : 'Your answer'}
            <textarea rows={3} value={text} onChange={(e) => setText(e.target.value)} />
          </label>
          <label className="check">
            <input type="checkbox" checked={attest} onChange={(e) => setAttest(e.target.checked)} /> I attest this answer reflects my
            independent clinical judgment; sign electronically
          </label>
          <ErrorMessage error={error} />
          <div className="form-actions">
            <button
              type="submit"
              className="btn btn-primary"
              disabled={!attest || (q.options.length > 0 && !choice) || (q.options.length === 0 && !text.trim())}
            >
              Sign and send answer
            </button>
            <button type="button" className="btn btn-quiet" onClick={onDone}>
              Close
            </button>
          </div>
        </form>
      ) : (
        <Notice kind="info">
          {q.answeredAt
            ? `Answered: ${[q.answerChoice, q.answerText].filter(Boolean).join(' — ')}. ${q.signature ?? ''}`
            : `This query is ${q.status}.`}
        </Notice>
      )}
    </section>
  );
}

function CoderNotifications() {
  const [items, setItems] = useState<NotificationView[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = () => codingApi.notifications().then((r) => setItems(r.items), setError);
  useEffect(() => {
    void load();
  }, []);
  return (
    <div className="page">
      <h1>Query notifications</h1>
      <ErrorMessage error={error} />
      {!items ? (
        <Loading />
      ) : items.length === 0 ? (
        <p className="muted">Nothing new.</p>
      ) : (
        <ul className="plain-list">
          {items.map((n) => (
            <li key={n.id} className="card">
              {n.readAt ? null : <span className="badge badge-warn">new</span>}{' '}
              {n.patientName && (
                <strong>
                  {n.patientName} (MRN {n.mrn}) · account {n.accountNumber}:{' '}
                </strong>
              )}
              {n.message} <span className="small muted">{formatDateTime(n.createdAt)}</span>
              {n.encounterId && (
                <>
                  {' '}
                  · <Link to={`/coding/encounters/${n.encounterId}`}>Open the encounter</Link>
                </>
              )}
              {!n.readAt && (
                <>
                  {' '}
                  ·{' '}
                  <button type="button" className="btn-link" onClick={() => void codingApi.markRead(n.id).then(load, setError)}>
                    Mark read
                  </button>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
