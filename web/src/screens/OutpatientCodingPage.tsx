import { useEffect, useRef, useState } from 'react';
import { ApiError } from '../api.js';
import { codingApi, dotted } from '../coding-api.js';
import { CodeSearch } from '../components/CodeSearch.js';
import { ErrorMessage, Loading, Notice } from '../components/Messages.js';
import { formatDate, formatDateTime } from '../format.js';
import { outpatientApi, type EmInput, type OutpatientCheck, type OutpatientData, type OutpatientView } from '../outpatient-api.js';
import { defaultRevenueCode, draftOf, emptyLine, incompleteLine, withLines, type LineDraft } from '../outpatient-lines.js';
import { Link, useLeaveGuard } from '../router.js';
import { useSession } from '../session.js';
import { BreakGlassPanel } from './BreakGlassPanel.js';
import { EmHelper, emWorkOf, OutpatientEdits, ServiceLinesTable, type EmWork } from './OutpatientParts.js';
import { usePageTitle } from './StaticPages.js';

const shortcuts = [
  ['S', 'save draft'],
  ['F', 'final code'],
  ['D', 'find a diagnosis'],
  ['A', 'add a service line'],
  ['E', 'E/M helper'],
] as const;

const emInputOf = (w: EmWork): EmInput | undefined => {
  if (w.basis === 'time')
    return w.minutes.trim() === '' ? { category: w.category } : { category: w.category, totalMinutes: Number(w.minutes) };
  return {
    category: w.category,
    ...(w.problems ? { problems: w.problems } : {}),
    ...(w.data ? { data: w.data } : {}),
    ...(w.risk ? { risk: w.risk } : {}),
  };
};

/**
 * Outpatient coding of an outpatient, ED, observation or clinic encounter: first-listed and other diagnoses, the
 * service-line table, the E/M helper, the outpatient edits, drafts and final coding (refused, naming the edits, while
 * any blocks).
 */
export function OutpatientCodingPage({ id }: { id: string }) {
  usePageTitle('Outpatient coding');
  const { can } = useSession();
  const [view, setView] = useState<OutpatientView | null>(null);
  const [data, setData] = useState<OutpatientData | null>(null);
  const [lines, setLines] = useState<LineDraft[]>([]);
  const [em, setEm] = useState<EmWork | null>(null);
  const [check, setCheck] = useState<OutpatientCheck | null>(null);
  const [dirty, setDirty] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [reason, setReason] = useState('');
  const [restrictedPatient, setRestrictedPatient] = useState<string | null>(null);
  const dxRef = useRef<HTMLInputElement>(null);
  const lineRef = useRef<HTMLInputElement>(null);
  const addRef = useRef<HTMLButtonElement>(null);
  const emRef = useRef<HTMLSelectElement>(null);
  const focusNewLine = useRef(false);
  const writable = !!view && can('coding:write') && view.status !== 'final';
  useLeaveGuard(writable && dirty ? 'The codes on this encounter are not saved yet. Leave without them?' : null);

  const load = () =>
    outpatientApi.abstract(id).then(
      (v) => {
        setView(v);
        setData(v.data);
        setLines(v.data.lines.map(draftOf));
        setEm(emWorkOf(v.data.em, v.emCategory));
        setDirty(false);
        setRestrictedPatient(null);
      },
      (err: unknown) => {
        if (err instanceof ApiError && err.code === 'break_glass_required')
          return codingApi.access(id).then((a) => setRestrictedPatient(a.patientId), setError);
        setError(err);
      },
    );
  useEffect(() => {
    void load();
  }, [id]); // eslint-disable-line react-hooks/exhaustive-deps

  const pending = incompleteLine(lines);
  const current = data ? withLines(data, lines) : null;
  const emInput = em ? emInputOf(em) : undefined;
  const checkKey = JSON.stringify([current, emInput]);
  useEffect(() => {
    if (!current || pending) return;
    const ctl = new AbortController();
    const t = setTimeout(
      () =>
        void outpatientApi.check(current, emInput, ctl.signal).then(setCheck, (e: unknown) => {
          if (!(e instanceof DOMException && e.name === 'AbortError')) setError(e);
        }),
      300,
    );
    return () => {
      clearTimeout(t);
      ctl.abort();
    };
  }, [checkKey]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    if (focusNewLine.current) {
      focusNewLine.current = false;
      lineRef.current?.focus();
    }
  }, [lines.length]);

  const keys = useRef<(key: string) => boolean>(() => false);
  keys.current = (key) => {
    if (!writable) return false;
    if (key === 'KeyS') void act('draft');
    else if (key === 'KeyF') void act('final');
    else if (key === 'KeyD') dxRef.current?.focus();
    else if (key === 'KeyA') addLine();
    else if (key === 'KeyE') emRef.current?.focus();
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
  if (!view || !data || !em || !current) return error ? <ErrorMessage error={error} /> : <Loading />;
  const e = view.encounter;
  const date = e.admitAt.slice(0, 10);
  const facility = data.side === 'facility';
  const dx = [...(data.firstListedDx ? [data.firstListedDx] : []), ...data.otherDx];

  function change(f: (d: OutpatientData) => OutpatientData) {
    setData((d) => (d ? f(d) : d));
    setDirty(true);
  }
  function changeLines(f: (l: LineDraft[]) => LineDraft[]) {
    setLines(f);
    setDirty(true);
  }
  function addLine(over: Partial<LineDraft> = {}) {
    focusNewLine.current = true;
    changeLines((ls) => [...ls, emptyLine(date, { revenueCode: facility ? defaultRevenueCode(e.type) : '', ...over })]);
  }
  function chooseEm(code: string) {
    if (!em) return;
    const minutes = Number(em.minutes);
    change((d) => ({
      ...d,
      em: {
        category: em.category,
        basis: em.basis,
        problems: em.problems || null,
        data: em.data || null,
        risk: em.risk || null,
        totalMinutes: em.basis === 'time' && em.minutes.trim() !== '' && !Number.isNaN(minutes) ? minutes : null,
        code,
      },
    }));
    // The E/M line: the one already carrying an E/M code takes the new level, else a new line first.
    const at = lines.findIndex((l) => /^99\d{3}$/.test(l.code));
    if (at >= 0) changeLines((ls) => ls.map((l, i) => (i === at ? { ...l, code } : l)));
    else changeLines((ls) => [emptyLine(date, { code, revenueCode: facility ? defaultRevenueCode(e.type) : '' }), ...ls]);
    setNotice(`E/M ${code} recorded on the service lines.`);
  }

  async function act(kind: 'draft' | 'final' | 'reopen') {
    if (!view || !current) return;
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      let message: string;
      if (kind === 'reopen') {
        await outpatientApi.reopen(id, reason);
        setReason('');
        message = 'Reopened for correction.';
      } else {
        const stop = incompleteLine(lines);
        if (stop) throw new Error(`Complete the service lines first: ${stop}.`);
        if (kind === 'draft') {
          const r = await outpatientApi.saveDraft(id, current, view.version);
          message = `Draft saved (version ${r.version}).`;
        } else {
          const r = await outpatientApi.finalCode(id, current, view.version);
          message = `Final-coded (version ${r.version}).${r.warnings.length ? ` Warnings: ${r.warnings.join('; ')}` : ''}`;
        }
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
    <div className="page abstracting outpatient-coding">
      <p className="crumbs">
        <Link to="/coding">Coding worklist</Link>
      </p>
      <div className="patient-banner">
        <h1 className="patient-name">{e.patientName}</h1>
        <div className="banner-facts">
          Outpatient coding · MRN {e.mrn} · account <strong>{e.accountNumber}</strong> · {e.type} · seen {formatDate(e.admitAt)} ·{' '}
          {e.payerName ?? 'no payer'}
        </div>
        <div className="banner-side">
          <span className={`badge ${view.status === 'final' ? 'badge-ok' : 'badge-warn'}`} data-testid="outpatient-status">
            {view.status.replace('_', ' ')}
          </span>
          {view.codedAt && <span className="small"> final-coded {formatDateTime(view.codedAt)}</span>}
          {writable && dirty && <span className="small"> · unsaved changes</span>}
        </div>
      </div>
      <p className="small muted" data-testid="shortcuts">
        Keys: {shortcuts.map(([k, what]) => `Alt+${k} ${what}`).join(' · ')}
      </p>
      {notice && <Notice kind="success">{notice}</Notice>}
      <ErrorMessage error={error} />
      <section className="section" aria-labelledby="op-dx-h">
        <h2 id="op-dx-h">Diagnoses</h2>
        <fieldset disabled={!writable}>
          <label className="field">
            Side
            <select value={data.side} onChange={(ev) => change((d) => ({ ...d, side: ev.target.value as OutpatientData['side'] }))}>
              <option value="facility">Facility (UB-04 / 837I)</option>
              <option value="professional">Professional (CMS-1500 / 837P)</option>
            </select>
          </label>
          {writable && (
            <CodeSearch
              label="Find a diagnosis"
              system="cm"
              date={date}
              inputRef={dxRef}
              onPick={(h) => change((d) => (d.firstListedDx ? { ...d, otherDx: [...d.otherDx, h.code] } : { ...d, firstListedDx: h.code }))}
            />
          )}
          <ol className="dx-list" data-testid="outpatient-diagnoses">
            {dx.map((c, i) => (
              <li key={`${c}-${i}`}>
                <span className="code-chip">{dotted(c)}</span> {i === 0 ? '(first-listed)' : ''}{' '}
                {i > 0 && (
                  <button
                    type="button"
                    className="btn btn-small btn-quiet"
                    onClick={() =>
                      change((d) => ({
                        ...d,
                        firstListedDx: c,
                        otherDx: [...(d.firstListedDx ? [d.firstListedDx] : []), ...d.otherDx.filter((_, j) => j !== i - 1)],
                      }))
                    }
                  >
                    List {dotted(c)} first
                  </button>
                )}{' '}
                <button
                  type="button"
                  className="btn btn-small btn-quiet"
                  onClick={() =>
                    change((d) =>
                      i === 0
                        ? { ...d, firstListedDx: d.otherDx[0] ?? null, otherDx: d.otherDx.slice(1) }
                        : { ...d, otherDx: d.otherDx.filter((_, j) => j !== i - 1) },
                    )
                  }
                >
                  Remove {dotted(c)}
                </button>
              </li>
            ))}
          </ol>
          {dx.length === 0 && <p className="muted">No diagnosis yet: the first one found is the first-listed.</p>}
        </fieldset>
      </section>
      <section className="section" aria-labelledby="op-lines-h">
        <h2 id="op-lines-h">Service lines</h2>
        <fieldset disabled={!writable}>
          <ServiceLinesTable
            lines={lines}
            facility={facility}
            titles={lines.map((_, i) => check?.lines[i]?.title ?? '')}
            firstCodeRef={lineRef}
            onChange={(i, l) => changeLines((ls) => ls.map((x, j) => (j === i ? l : x)))}
            onRemove={(i) => changeLines((ls) => ls.filter((_, j) => j !== i))}
          />
          <button ref={addRef} type="button" className="btn btn-small" onClick={() => addLine()}>
            Add service line
          </button>
        </fieldset>
      </section>
      <section className="section" aria-labelledby="op-em-h">
        <h2 id="op-em-h">E/M helper</h2>
        <EmHelper
          selectRef={emRef}
          work={em}
          onChange={setEm}
          suggestion={check?.em ?? null}
          chosen={data.em}
          onUse={chooseEm}
          disabled={!writable}
        />
      </section>
      <section className="section" aria-labelledby="op-edits-h">
        <h2 id="op-edits-h">Edits</h2>
        <OutpatientEdits check={check} pending={pending} />
      </section>
      <div className="actions">
        {writable && (
          <>
            <button type="button" className="btn" disabled={busy} onClick={() => void act('draft')}>
              Save draft
            </button>
            <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void act('final')}>
              Final code
            </button>
          </>
        )}
        {view.status === 'final' && can('coding:write') && (
          <div className="field-row">
            <label className="field">
              Reason to reopen
              <input value={reason} onChange={(ev) => setReason(ev.target.value)} />
            </label>
            <button type="button" className="btn" disabled={busy || reason.trim().length < 10} onClick={() => void act('reopen')}>
              Reopen
            </button>
          </div>
        )}
      </div>
    </div>
  );
}
