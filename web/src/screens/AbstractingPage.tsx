import { useEffect, useRef, useState } from 'react';
import { ApiError } from '../api.js';
import { codingApi, dotted, type AbstractData, type AbstractView, type Feedback, type Poa } from '../coding-api.js';
import { CodeSearch } from '../components/CodeSearch.js';
import { ErrorMessage, Loading, Notice } from '../components/Messages.js';
import { formatDate, formatDateTime } from '../format.js';
import { Link, useLeaveGuard, useRouter } from '../router.js';
import { useSession } from '../session.js';
import { BreakGlassPanel } from './BreakGlassPanel.js';
import { CacPanel } from './CacPanel.js';
import { FeedbackPanel } from './FeedbackPanel.js';
import { QueryPanel } from './QueryComposer.js';
import { usePageTitle } from './StaticPages.js';
import { AbstractVersions } from './AbstractVersions.js';
import { useAutosave, type SaveState } from './abstract-autosave.js';

const poaValues: Poa[] = ['', 'Y', 'N', 'U', 'W', '1'];

function PoaSelect({ value, onChange, label }: { value: Poa; onChange: (v: Poa) => void; label: string }) {
  return (
    <select aria-label={label} value={value} onChange={(e) => onChange(e.target.value as Poa)}>
      {poaValues.map((v) => (
        <option key={v} value={v}>
          {v === '' ? 'POA?' : v}
        </option>
      ))}
    </select>
  );
}

/** What the keyboard shortcuts of the abstracting page do (Alt plus the key), as shown on screen. */
const shortcuts = [
  ['S', 'save draft'],
  ['F', 'final code'],
  ['D', 'find a diagnosis'],
  ['P', 'find a procedure'],
  ['J', 'next field'],
  ['N', 'next encounter'],
] as const;

const LEAVE_QUESTION = 'The codes on this encounter are not saved yet. Leave without them?';

/** Abstracting one encounter: codes with the encoder inline, live DRG and edits, drafts, final coding, queries. */
export function AbstractingPage({ id }: { id: string }) {
  usePageTitle('Abstracting');
  const { can, session } = useSession();
  const { navigate } = useRouter();
  const [view, setView] = useState<AbstractView | null>(null);
  const [data, setData] = useState<AbstractData | null>(null);
  const [feedback, setFeedback] = useState<Feedback | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [citation, setCitation] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [restrictedPatient, setRestrictedPatient] = useState<string | null>(null);
  const dxRef = useRef<HTMLInputElement>(null);
  const pxRef = useRef<HTMLInputElement>(null);
  const admitRef = useRef<HTMLInputElement>(null);
  const statusRef = useRef<HTMLInputElement>(null);
  const draftRef = useRef<HTMLButtonElement>(null);
  const finalRef = useRef<HTMLButtonElement>(null);
  // Another coder's encounter is read-only here (the server refuses the save; the director reassigns).
  const othersWork = !!view?.assignedTo && view.assignedTo !== session.user.id;
  const writable = !!view && can('coding:write') && view.status !== 'final' && !othersWork;
  const autosave = useAutosave({
    encounterId: id,
    enabled: writable,
    data,
    onSaved: (r) =>
      setView((v) =>
        v ? { ...v, version: r.version, status: r.status, workingDrg: r.workingDrg, workingDrgTitle: r.workingDrgTitle } : v,
      ),
    onError: setError,
  });
  useLeaveGuard(writable && autosave.state !== 'saved' ? LEAVE_QUESTION : null);

  const load = () =>
    codingApi.abstract(id).then(
      (v) => {
        setView(v);
        setData(v.data);
        autosave.reset(v.data, v.version);
        setRestrictedPatient(null);
      },
      (err: unknown) => {
        if (err instanceof ApiError && err.code === 'break_glass_required')
          return codingApi.access(id).then((a) => setRestrictedPatient(a.patientId), setError);
        setError(err);
      },
    );
  /** The view again (queries, status) without touching the codes on screen. */
  const refreshView = () =>
    codingApi.abstract(id).then((v) => {
      setView(v);
      autosave.version.current = Math.max(autosave.version.current, v.version);
    }, setError);
  useEffect(() => {
    void load();
  }, [id]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    if (!data) return;
    const ctl = new AbortController();
    const t = setTimeout(
      () =>
        void codingApi.feedback(id, data, ctl.signal).then(setFeedback, (e: unknown) => {
          if (!(e instanceof DOMException && e.name === 'AbortError')) setError(e);
        }),
      300,
    );
    return () => {
      clearTimeout(t);
      ctl.abort();
    };
  }, [id, data]);

  const finalBlocked = finalCodingBlocks(view, feedback);
  const keys = useRef<(key: string) => boolean>(() => false);
  keys.current = (key) => {
    if (!writable && key !== 'KeyN') return false;
    if (key === 'KeyS') void act('draft');
    else if (key === 'KeyF') {
      if (!busy && finalBlocked.length === 0) void act('final');
      else finalRef.current?.focus();
    } else if (key === 'KeyD') dxRef.current?.focus();
    else if (key === 'KeyP') pxRef.current?.focus();
    else if (key === 'KeyJ') nextField();
    else if (key === 'KeyN') void nextEncounter();
    else return false;
    return true;
  };
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
      if (keys.current(e.code)) e.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  if (restrictedPatient) return <BreakGlassPanel patientId={restrictedPatient} onGranted={() => void load()} />;
  if (!view || !data) return error ? <ErrorMessage error={error} /> : <Loading />;
  const e = view.encounter;
  const locked = view.status === 'final';
  const date = (e.dischargeAt ?? e.admitAt).slice(0, 10);
  const inpatient = e.type === 'inpatient';
  const update = (f: (d: AbstractData) => AbstractData) => setData((d) => (d ? f(d) : d));
  const title = (c: string) => feedback?.titles[c] ?? '';

  function nextField() {
    const fields = [dxRef, pxRef, admitRef, statusRef, draftRef].map((r) => r.current).filter((x): x is NonNullable<typeof x> => !!x);
    const at = fields.findIndex((f) => f === document.activeElement);
    fields[(at + 1) % fields.length]?.focus();
  }

  async function nextEncounter() {
    setError(null);
    try {
      if (writable) await autosave.flush();
      const r = await codingApi.claimNext(undefined, id);
      if (r.item) navigate(`/coding/encounters/${encodeURIComponent(r.item.encounterId)}`, { force: true });
      else setNotice('No other encounter is waiting for coding.');
    } catch (err) {
      setError(err);
    }
  }

  async function act(kind: 'draft' | 'final' | 'reopen') {
    if (!data || !view) return;
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      let message: string;
      if (kind === 'draft') {
        const r = await autosave.flush({ force: true });
        message = `Draft saved (version ${r?.version ?? autosave.version.current}).`;
      } else if (kind === 'final') {
        await autosave.flush();
        const r = await codingApi.finalCode(id, data, autosave.version.current);
        message = `Final-coded (version ${r.version})${r.workingDrg ? `, MS-DRG ${r.workingDrg}` : ''}.`;
      } else {
        await codingApi.reopen(id, reason);
        setReason('');
        message = 'Reopened for correction.';
      }
      await load();
      setNotice(message);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="page abstracting">
      <p className="crumbs">
        <Link to="/coding">Coding worklist</Link>
      </p>
      <div className="patient-banner">
        <h1 className="patient-name">{e.patientName}</h1>
        <div className="banner-facts">
          MRN {e.mrn} · account <strong>{e.accountNumber}</strong> · {e.type} · admitted {formatDate(e.admitAt)} · discharged{' '}
          {formatDate(e.dischargeAt)} · attending {e.attending ?? '—'} · {e.payerName ?? 'no payer'}
        </div>
        <div className="banner-side">
          <span className={`badge ${locked ? 'badge-ok' : 'badge-warn'}`} data-testid="abstract-status">
            {view.status.replace('_', ' ')}
          </span>
          {view.codedAt && <span className="small"> final-coded {formatDateTime(view.codedAt)}</span>}{' '}
          {writable && <SaveStateBadge state={autosave.state} />}{' '}
          <a href={`/coding/encounters/${encodeURIComponent(id)}/summary`} target="_blank" rel="noreferrer">
            Coding summary (print)
          </a>
        </div>
      </div>
      {othersWork && can('coding:write') && view.status !== 'final' && (
        <Notice kind="info">This encounter is assigned to another coder: it opens read-only. Ask the HIM director to reassign it.</Notice>
      )}
      {!inpatient && (
        <Notice kind="info">
          A {e.type} encounter: code its service lines, modifiers and E/M level in{' '}
          <Link to={`/coding/encounters/${encodeURIComponent(id)}/outpatient`}>outpatient mode</Link>.
        </Notice>
      )}
      {view.queryAnswered && <Notice kind="info">A physician answered a query on this encounter: review the answer below.</Notice>}
      {notice && <Notice kind="success">{notice}</Notice>}
      <ErrorMessage error={error} />
      <div className="coding-grid">
        <section className="section" aria-labelledby="codes-h">
          <h2 id="codes-h">Codes</h2>
          <fieldset disabled={!writable}>
            {writable && (
              <CodeSearch
                label="Find a diagnosis"
                system="cm"
                date={date}
                inputRef={dxRef}
                onPick={(h) =>
                  update((d) =>
                    d.principalDx
                      ? { ...d, secondaryDx: [...d.secondaryDx, { code: h.code, poa: '' }] }
                      : { ...d, principalDx: { code: h.code, poa: '' } },
                  )
                }
              />
            )}
            <table className="data-table" data-testid="diagnoses">
              <thead>
                <tr>
                  <th>#</th>
                  <th>Code</th>
                  <th>Description</th>
                  {inpatient && <th>POA</th>}
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.principalDx && (
                  <tr>
                    <td>{inpatient ? 'PDX' : '1st'}</td>
                    <td className="code-chip">{dotted(data.principalDx.code)}</td>
                    <td>{title(data.principalDx.code)}</td>
                    {inpatient && (
                      <td>
                        <PoaSelect
                          label={`POA ${data.principalDx.code}`}
                          value={data.principalDx.poa}
                          onChange={(poa) => update((d) => ({ ...d, principalDx: d.principalDx ? { ...d.principalDx, poa } : null }))}
                        />
                      </td>
                    )}
                    <td>
                      <button
                        type="button"
                        className="btn btn-small btn-quiet"
                        onClick={() =>
                          update((d) => ({ ...d, principalDx: d.secondaryDx[0] ?? null, secondaryDx: d.secondaryDx.slice(1) }))
                        }
                      >
                        Remove
                      </button>
                    </td>
                  </tr>
                )}
                {data.secondaryDx.map((x, i) => (
                  <tr key={`${x.code}-${i}`} className={i >= 24 ? 'muted' : undefined}>
                    <td>{i + 1}</td>
                    <td className="code-chip">{dotted(x.code)}</td>
                    <td>{title(x.code)}</td>
                    {inpatient && (
                      <td>
                        <PoaSelect
                          label={`POA ${x.code}`}
                          value={x.poa}
                          onChange={(poa) =>
                            update((d) => ({ ...d, secondaryDx: d.secondaryDx.map((y, j) => (j === i ? { ...y, poa } : y)) }))
                          }
                        />
                      </td>
                    )}
                    <td className="nowrap">
                      <button
                        type="button"
                        className="btn btn-small btn-quiet"
                        aria-label={`PDX: make ${x.code} principal`}
                        onClick={() =>
                          update((d) => ({
                            ...d,
                            principalDx: x,
                            secondaryDx: [...(d.principalDx ? [d.principalDx] : []), ...d.secondaryDx.filter((_, j) => j !== i)],
                          }))
                        }
                      >
                        <span aria-hidden="true">↑</span> PDX
                      </button>
                      <button
                        type="button"
                        className="btn btn-small btn-quiet"
                        onClick={() => update((d) => ({ ...d, secondaryDx: d.secondaryDx.filter((_, j) => j !== i) }))}
                      >
                        Remove
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {writable && (
              <CodeSearch
                label="Find a procedure"
                system="pcs"
                date={date}
                inputRef={pxRef}
                onPick={(h) =>
                  update((d) => ({ ...d, procedures: [...d.procedures, { code: h.code, date: null, operatingProviderId: null }] }))
                }
              />
            )}
            {data.procedures.length > 0 && (
              <table className="data-table" data-testid="procedures">
                <thead>
                  <tr>
                    <th>Code</th>
                    <th>Description</th>
                    <th>Date</th>
                    <th>Operating physician</th>
                    <th scope="col">
                      <span className="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {data.procedures.map((p, i) => (
                    <tr key={`${p.code}-${i}`}>
                      <td className="code-chip">{p.code}</td>
                      <td>{title(p.code)}</td>
                      <td>
                        <input
                          type="date"
                          aria-label={`Date of ${p.code}`}
                          value={p.date ?? ''}
                          onChange={(ev) =>
                            update((d) => ({
                              ...d,
                              procedures: d.procedures.map((y, j) => (j === i ? { ...y, date: ev.target.value || null } : y)),
                            }))
                          }
                        />
                      </td>
                      <td>
                        <select
                          aria-label={`Operating physician of ${p.code}`}
                          value={p.operatingProviderId ?? ''}
                          onChange={(ev) =>
                            update((d) => ({
                              ...d,
                              procedures: d.procedures.map((y, j) =>
                                j === i ? { ...y, operatingProviderId: ev.target.value || null } : y,
                              ),
                            }))
                          }
                        >
                          <option value="">—</option>
                          {view.providers.map((pr) => (
                            <option key={pr.id} value={pr.id}>
                              {pr.name}
                            </option>
                          ))}
                        </select>
                      </td>
                      <td>
                        <button
                          type="button"
                          className="btn btn-small btn-quiet"
                          onClick={() => update((d) => ({ ...d, procedures: d.procedures.filter((_, j) => j !== i) }))}
                        >
                          Remove
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <div className="form-grid">
              <label className="field">
                Admitting diagnosis
                <input
                  ref={admitRef}
                  className="input-code"
                  value={data.admittingDx ?? ''}
                  onChange={(ev) => update((d) => ({ ...d, admittingDx: ev.target.value.trim().toUpperCase().replace('.', '') || null }))}
                />
              </label>
              {!inpatient && (
                <label className="field">
                  Reason for visit (codes, comma-separated)
                  <input
                    value={data.reasonForVisit.join(', ')}
                    onChange={(ev) =>
                      update((d) => ({
                        ...d,
                        reasonForVisit: ev.target.value
                          .split(',')
                          .map((s) => s.trim().toUpperCase().replace('.', ''))
                          .filter(Boolean)
                          .slice(0, 3),
                      }))
                    }
                  />
                </label>
              )}
              <label className="field">
                Discharge status
                <input
                  ref={statusRef}
                  className="input-small"
                  value={data.dischargeStatus ?? ''}
                  maxLength={2}
                  onChange={(ev) => update((d) => ({ ...d, dischargeStatus: ev.target.value || null }))}
                />
              </label>
              <label className="field">
                Birth weight (g)
                <input
                  className="input-small"
                  type="number"
                  value={data.birthWeightGrams ?? ''}
                  onChange={(ev) => update((d) => ({ ...d, birthWeightGrams: ev.target.value ? Number(ev.target.value) : null }))}
                />
              </label>
            </div>
          </fieldset>
          <div className="form-actions">
            {writable && (
              <button ref={draftRef} type="button" className="btn" disabled={busy} onClick={() => void act('draft')}>
                Save draft
              </button>
            )}
            {writable && (
              <button
                ref={finalRef}
                type="button"
                className="btn btn-primary"
                disabled={busy || finalBlocked.length > 0}
                aria-describedby={finalBlocked.length > 0 ? 'final-blocked' : undefined}
                onClick={() => void act('final')}
              >
                Final code
              </button>
            )}
          </div>
          {writable && finalBlocked.length > 0 && (
            <div id="final-blocked" className="small" data-testid="final-blocked">
              Final coding is not possible yet: {finalBlocked.join('; ')}.
            </div>
          )}
          {writable && (
            <p className="small muted" data-testid="shortcuts">
              Keyboard:{' '}
              {shortcuts.map(([k, what], i) => (
                <span key={k}>
                  {i > 0 && ' · '}
                  <kbd>Alt</kbd>+<kbd>{k}</kbd> {what}
                </span>
              ))}
            </p>
          )}
          {locked && can('coding:write') && (
            <form
              className="row"
              onSubmit={(ev) => {
                ev.preventDefault();
                void act('reopen');
              }}
            >
              <label className="field field-grow">
                Reason to reopen
                <input value={reason} onChange={(ev) => setReason(ev.target.value)} />
              </label>
              <button type="submit" className="btn" disabled={busy || reason.trim().length < 10}>
                Reopen
              </button>
            </form>
          )}
        </section>
        <FeedbackPanel feedback={feedback} />
      </div>
      {can('coding:read') && (
        <CacPanel
          encounterId={id}
          writable={writable}
          inpatient={inpatient}
          beforeDecide={async () => {
            await autosave.flush();
            return autosave.version.current;
          }}
          onAccepted={(message) => {
            void load().then(() => setNotice(message));
          }}
        />
      )}
      <section className="section" aria-labelledby="docs-h">
        <h2 id="docs-h">Documents</h2>
        {view.documents.length === 0 && <p className="muted">No documents on this encounter yet.</p>}
        {view.documents.map((d) => (
          <article key={d.id} className="card">
            <h3>
              {d.title}{' '}
              <span className="small muted">
                {formatDateTime(d.authoredAt)}
                {d.author ? ` · ${d.author}` : ''}
              </span>
            </h3>
            <p className="wrap">{d.text}</p>
            {can('query:write') && (
              <button type="button" className="btn btn-small btn-quiet" onClick={() => setCitation(`${d.title}: ${d.text.slice(0, 300)}`)}>
                Cite in a query
              </button>
            )}
          </article>
        ))}
      </section>
      <QueryPanel
        encounterId={id}
        citation={citation}
        providers={view.providers}
        attendingId={e.attendingProviderId}
        {...(writable
          ? {
              beforeSend: async () => {
                await autosave.flush();
              },
            }
          : {})}
        onSent={() => void refreshView()}
      />
      <AbstractVersions encounterId={id} stamp={view.version} />
    </div>
  );
}

/** Why final coding cannot happen now, in words, before the coder tries (empty when it can). */
function finalCodingBlocks(view: AbstractView | null, feedback: Feedback | null): string[] {
  if (!view) return [];
  const out: string[] = [];
  if (view.pendingQueries > 0)
    out.push(`${view.pendingQueries} physician ${view.pendingQueries === 1 ? 'query is' : 'queries are'} still open — wait for the answer`);
  if (!feedback) out.push('checking the codes');
  else if (feedback.blocking.length > 0) out.push(...feedback.blocking);
  return out;
}

const saveStateText: Record<SaveState, string> = {
  saved: 'All changes saved',
  pending: 'Unsaved changes',
  saving: 'Saving…',
  failed: 'Not saved',
};

function SaveStateBadge({ state }: { state: SaveState }) {
  return (
    <span className={`badge ${state === 'saved' ? 'badge-ok' : state === 'failed' ? 'badge-bad' : 'badge-warn'}`} data-testid="save-state">
      {saveStateText[state]}
    </span>
  );
}
