import { useCallback, useEffect, useState } from 'react';
import { ApiError } from '../api.js';
import { ErrorMessage, Loading, Notice } from '../components/Messages.js';
import { amendmentsApi, todayLocal, type AmendmentView, type DenialBasis, type Recipient } from '../record-life-api.js';
import { Link } from '../router.js';
import { usePageTitle } from './StaticPages.js';
import { BreakGlassPanel } from './BreakGlassPanel.js';
import { ActionForm, denialBases, NewAmendmentForm, RecipientsEditor } from './AmendmentForms.js';
import { moveBetweenRows, workListProps } from '../work-list.js';

type Show = 'open' | 'overdue' | 'accepted' | 'denied' | 'all';
const clockBadge: Record<string, string> = {
  overdue: 'badge-bad',
  due_soon: 'badge-warn',
  on_time: 'badge-ok',
  decided: 'badge-ok',
  decided_late: 'badge-warn',
};
const clockText: Record<string, string> = {
  overdue: 'overdue',
  due_soon: 'due soon',
  on_time: 'on time',
  decided: 'decided in time',
  decided_late: 'decided late',
};

function Clock({ a }: { a: AmendmentView }) {
  const c = a.clock;
  return (
    <>
      {c.dueOn}
      {a.extendedDueOn && <span className="small"> (extended)</span>}
      <br />
      <span className={`badge ${clockBadge[c.state] ?? ''}`}>{clockText[c.state] ?? c.state}</span>
      {a.status === 'open' && <span className="small"> {c.daysLeft >= 0 ? `${c.daysLeft} days left` : `${-c.daysLeft} days late`}</span>}
    </>
  );
}

/**
 * Amendment requests (45 CFR 164.526): the list with each request's 60-day clock (overdue ones for the HIM director),
 * a form to log a request, and on each request the actions its state allows — the one extension, accept (the
 * amendment and the people to tell), deny (with its ground), then the patient's statement of disagreement and the
 * rebuttal. Opening a request opens the record (break-the-glass for a restricted one).
 */
export function AmendmentsPage() {
  usePageTitle('Amendment requests');
  const [show, setShow] = useState<Show>('open');
  const [items, setItems] = useState<AmendmentView[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [current, setCurrent] = useState<AmendmentView | null>(null);
  const [glass, setGlass] = useState<AmendmentView | null>(null);

  const load = useCallback(
    () =>
      (show === 'overdue' ? amendmentsApi.overdue() : amendmentsApi.list(show === 'all' ? undefined : show)).then(
        (r) => setItems(r.items),
        setError,
      ),
    [show],
  );
  useEffect(() => {
    void load();
  }, [load]);

  const open = (a: AmendmentView) =>
    amendmentsApi.get(a.id).then(
      (v) => {
        setGlass(null);
        setCurrent(v);
      },
      (e: unknown) => (e instanceof ApiError && e.code === 'break_glass_required' ? setGlass(a) : setError(e)),
    );
  const changed = (v: AmendmentView, text: string) => {
    setCurrent(v);
    setNotice(text);
    void load();
  };

  return (
    <section className="page">
      <h1>Amendment requests</h1>
      <NewAmendmentForm onCreated={(a) => changed(a, `Request logged: due ${a.dueOn}.`)} />
      <section className="card section" aria-labelledby="amd-list-h">
        <div className="page-head">
          <h2 id="amd-list-h">Requests</h2>
          <div className="field">
            <label htmlFor="amd-show">Show</label>
            <select id="amd-show" value={show} onChange={(e) => setShow(e.target.value as Show)}>
              <option value="open">Open</option>
              <option value="overdue">Overdue</option>
              <option value="accepted">Accepted</option>
              <option value="denied">Denied</option>
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
          <table className="data-table" aria-label="Amendment requests" {...workListProps}>
            <thead>
              <tr>
                <th>Received</th>
                <th>Due</th>
                <th>Patient</th>
                <th>Change requested</th>
                <th>Status</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody onKeyDown={moveBetweenRows}>
              {items.map((a) => (
                <tr key={a.id} className={a.clock.state === 'overdue' ? 'request-overdue' : undefined}>
                  <td className="nowrap">{a.receivedOn}</td>
                  <td className="nowrap">
                    <Clock a={a} />
                  </td>
                  <td>
                    {a.patientName} <span className="mono small">MRN {a.mrn}</span>
                    {!a.details && <span className="badge badge-dark"> restricted</span>}
                  </td>
                  <td className="small">{a.details ? a.requestedChange : <span className="muted">withheld</span>}</td>
                  <td>{a.status}</td>
                  <td>
                    <button type="button" className="btn btn-small" onClick={() => void open(a)}>
                      Open
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {glass && <BreakGlassPanel patientId={glass.patientId} onGranted={() => void open(glass)} />}
      </section>
      {current && <AmendmentDetail key={current.id} a={current} onChanged={changed} onClose={() => setCurrent(null)} />}
    </section>
  );
}

/** A link to a document in the viewer (ids only; `patient` lets a restricted record ask to break the glass). */
function Doc({ id, patientId, label }: { id: string; patientId: string; label?: string }) {
  return <Link to={`/documents/${encodeURIComponent(id)}?patient=${encodeURIComponent(patientId)}`}>{label ?? id}</Link>;
}

function AmendmentDetail({
  a,
  onChanged,
  onClose,
}: {
  a: AmendmentView;
  onChanged: (v: AmendmentView, text: string) => void;
  onClose: () => void;
}) {
  const today = todayLocal();
  const [ext, setExt] = useState({ reason: '', noticeOn: today });
  const [acc, setAcc] = useState({ documentId: a.documentIds[0] ?? '', amendmentText: '' });
  const [notify, setNotify] = useState<Recipient[]>([]);
  const [deny, setDeny] = useState<{ basis: DenialBasis; explanation: string }>({ basis: 'accurate_and_complete', explanation: '' });
  const [disagree, setDisagree] = useState({ text: '', receivedOn: today });
  const [rebuttal, setRebuttal] = useState('');
  const [more, setMore] = useState<Recipient[]>([]);

  return (
    <section className="card section" role="region" aria-label="Amendment request">
      <div className="page-head">
        <h2>Request received {a.receivedOn}</h2>
        <button type="button" className="btn btn-small" onClick={onClose}>
          Close
        </button>
      </div>
      <dl className="facts">
        <dt>Status</dt>
        <dd>{a.status}</dd>
        <dt>Due</dt>
        <dd>
          <Clock a={a} />
          {a.extendedDueOn && (
            <div className="small">
              Extended from {a.dueOn} (patient told {a.extensionNoticeOn}): {a.extensionReason}
            </div>
          )}
        </dd>
        <dt>Received by</dt>
        <dd>{a.receivedVia}</dd>
        <dt>Information</dt>
        <dd>{a.information}</dd>
        <dt>Change requested</dt>
        <dd>{a.requestedChange}</dd>
        {a.reason && (
          <>
            <dt>Reason</dt>
            <dd>{a.reason}</dd>
          </>
        )}
        <dt>Documents named</dt>
        <dd className="mono small">
          {a.documentIds.length === 0
            ? 'none'
            : a.documentIds.map((d) => (
                <div key={d}>
                  <Doc id={d} patientId={a.patientId} />
                </div>
              ))}
        </dd>
        {a.decidedOn && (
          <>
            <dt>Decided</dt>
            <dd>{a.decidedOn}</dd>
          </>
        )}
        {a.amendmentDocumentId && (
          <>
            <dt>Amendment</dt>
            <dd className="mono small">
              <Doc id={a.amendmentDocumentId} patientId={a.patientId} />, version {a.amendmentVersion}
            </dd>
          </>
        )}
        {a.denialBasis && (
          <>
            <dt>Denied because</dt>
            <dd>
              {denialBases.find(([b]) => b === a.denialBasis)?.[1]} — {a.denialExplanation}
              <div className="small mono">
                letter: document {a.denialDocumentId && <Doc id={a.denialDocumentId} patientId={a.patientId} />}
              </div>
            </dd>
          </>
        )}
        {a.disagreementDocumentId && (
          <>
            <dt>Statement of disagreement</dt>
            <dd className="small mono">
              received {a.disagreementReceivedOn}: document <Doc id={a.disagreementDocumentId} patientId={a.patientId} />
            </dd>
          </>
        )}
        {a.rebuttalDocumentId && (
          <>
            <dt>Rebuttal</dt>
            <dd className="small mono">
              document <Doc id={a.rebuttalDocumentId} patientId={a.patientId} />
            </dd>
          </>
        )}
      </dl>

      {a.status === 'open' && !a.extendedDueOn && (
        <ActionForm
          title="Extend once by 30 days"
          label="Extend"
          submit={async () => onChanged(await amendmentsApi.extend(a.id, ext), 'Extended by 30 days.')}
        >
          <textarea
            aria-label="Reason for the delay"
            rows={2}
            value={ext.reason}
            onChange={(e) => setExt({ ...ext, reason: e.target.value })}
          />
          <label className="small">
            Patient told in writing on{' '}
            <input type="date" value={ext.noticeOn} onChange={(e) => setExt({ ...ext, noticeOn: e.target.value })} />
          </label>
        </ActionForm>
      )}
      {a.status === 'open' && (
        <ActionForm
          title="Accept"
          label="Accept and file the amendment"
          submit={async () => onChanged(await amendmentsApi.accept(a.id, { ...acc, notify }), 'Accepted: the amendment is filed.')}
        >
          <label className="small">
            Document to amend (id) <input value={acc.documentId} onChange={(e) => setAcc({ ...acc, documentId: e.target.value })} />
          </label>
          <textarea
            aria-label="Amendment text"
            rows={3}
            value={acc.amendmentText}
            onChange={(e) => setAcc({ ...acc, amendmentText: e.target.value })}
          />
          <RecipientsEditor value={notify} onChange={setNotify} />
        </ActionForm>
      )}
      {a.status === 'open' && (
        <ActionForm
          title="Deny"
          label="Deny and file the letter"
          submit={async () => onChanged(await amendmentsApi.deny(a.id, deny), 'Denied: the letter is filed.')}
        >
          <select
            aria-label="Ground for denial"
            value={deny.basis}
            onChange={(e) => setDeny({ ...deny, basis: e.target.value as DenialBasis })}
          >
            {denialBases.map(([b, l]) => (
              <option key={b} value={b}>
                {l}
              </option>
            ))}
          </select>
          <textarea
            aria-label="Explanation in plain language"
            rows={3}
            value={deny.explanation}
            onChange={(e) => setDeny({ ...deny, explanation: e.target.value })}
          />
        </ActionForm>
      )}
      {a.status === 'denied' && !a.disagreementDocumentId && (
        <ActionForm
          title="Statement of disagreement"
          label="File the statement"
          submit={async () =>
            onChanged(await amendmentsApi.disagreement(a.id, disagree), 'Statement of disagreement filed with the record.')
          }
        >
          <textarea
            aria-label="Statement"
            rows={3}
            value={disagree.text}
            onChange={(e) => setDisagree({ ...disagree, text: e.target.value })}
          />
          <label className="small">
            Received on{' '}
            <input type="date" value={disagree.receivedOn} onChange={(e) => setDisagree({ ...disagree, receivedOn: e.target.value })} />
          </label>
        </ActionForm>
      )}
      {a.disagreementDocumentId && !a.rebuttalDocumentId && (
        <ActionForm
          title="Rebuttal"
          label="File the rebuttal"
          submit={async () => onChanged(await amendmentsApi.rebuttal(a.id, { text: rebuttal }), 'Rebuttal filed with the record.')}
        >
          <textarea aria-label="Rebuttal" rows={3} value={rebuttal} onChange={(e) => setRebuttal(e.target.value)} />
        </ActionForm>
      )}
      {a.status === 'accepted' && (
        <section className="section">
          <h3>People and organisations to tell</h3>
          <table className="data-table" aria-label="Recipients">
            <tbody>
              {(a.notifications ?? []).map((n) => (
                <tr key={n.id}>
                  <td>{n.recipient}</td>
                  <td className="small">
                    {n.kind}, {n.identifiedBy === 'patient' ? 'named by the patient' : 'known to rely on it'}
                  </td>
                  <td>
                    {n.notifiedOn ? (
                      `told ${n.notifiedOn}`
                    ) : (
                      <button
                        type="button"
                        className="btn btn-small"
                        onClick={() => void amendmentsApi.notified(a.id, n.id, today).then((v) => onChanged(v, `${n.recipient} told.`))}
                      >
                        Told today
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <ActionForm
            title="Add recipients"
            label="Add"
            submit={async () => {
              let v = a;
              for (const r of more) v = await amendmentsApi.addRecipient(a.id, r);
              setMore([]);
              onChanged(v, 'Recipients added.');
            }}
          >
            <RecipientsEditor value={more} onChange={setMore} />
          </ActionForm>
        </section>
      )}
    </section>
  );
}
