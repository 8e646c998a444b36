import { useEffect, useState } from 'react';
import { codesApi, type CodeDetails, type CodeRef, type CodeSystem } from '../codes-api.js';
import { groupNotes, linkCodes, notesSources } from '../code-lookup.js';
import { Loading } from '../components/Messages.js';
import { CodeLookupError } from '../components/CodeLookupError.js';

export interface CodeTarget {
  system: CodeSystem;
  code: string;
}

type Load = { state: 'loading' } | { state: 'ok'; data: CodeDetails } | { state: 'error'; error: unknown };

/**
 * One code as the code book shows it: title, hierarchy, billable status, validity on the date, 7th characters,
 * instructional notes grouped by kind with the release they came from, and the PCS axes with their definitions.
 */
export function CodeLookupDetails({
  target,
  date,
  onOpen,
  onBack,
  onDateChange,
}: {
  target: CodeTarget;
  date: string;
  onOpen: (t: CodeTarget) => void;
  onBack?: (() => void) | undefined;
  onDateChange?: ((d: string) => void) | undefined;
}) {
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  useEffect(() => {
    const ctl = new AbortController();
    setLoad({ state: 'loading' });
    codesApi.details(target.system, target.code, date, ctl.signal).then(
      (data) => setLoad({ state: 'ok', data }),
      (error: unknown) => {
        if (error instanceof DOMException && error.name === 'AbortError') return;
        setLoad({ state: 'error', error });
      },
    );
    return () => ctl.abort();
  }, [target.system, target.code, date]);

  return (
    <div className="code-details" data-testid="code-details">
      {onBack && (
        <button type="button" className="btn btn-link small details-back" onClick={onBack}>
          ← Previous code
        </button>
      )}
      {load.state === 'loading' && <Loading label="Loading the code…" />}
      {load.state === 'error' && <CodeLookupError error={load.error} date={date} onDateChange={onDateChange} />}
      {load.state === 'ok' && <Details d={load.data} onOpen={onOpen} />}
    </div>
  );
}

function Details({ d, onOpen }: { d: CodeDetails; onOpen: (t: CodeTarget) => void }) {
  const open = (code: string) => onOpen({ system: d.system, code });
  if (!d.found) {
    return (
      <>
        <h2 className="details-title">
          <span className="code-chip code-chip-large">{d.display}</span>
        </h2>
        <div className="msg msg-error" role="alert">
          {d.display} is not a code in {d.release}. {d.statusText && d.statusText !== 'unknown' ? d.statusText : ''}
        </div>
        <Children items={d.children} onOpen={open} />
      </>
    );
  }
  const src = notesSources(d.notes);
  const groups = groupNotes(d.notes);
  const validity = d.validity.map((v) => (v.to ? `${v.from} to ${v.to}` : `from ${v.from}`)).join('; ');
  return (
    <>
      <Breadcrumb d={d} onOpen={open} />
      <h2 className="details-title">
        <span className="code-chip code-chip-large">{d.display}</span> <span data-testid="code-title">{d.title}</span>
      </h2>
      <div className="details-status">
        {d.status === 'billable' ? (
          <span className="badge badge-ok">{d.system === 'pcs' ? 'Valid code' : 'Billable'}</span>
        ) : (
          <span className="badge badge-warn">Header — needs more characters</span>
        )}
        {d.validOnDate === true && <span className="badge badge-ok">Valid on {d.date}</span>}
        {d.validOnDate === false && d.status === 'billable' && <span className="badge badge-bad">Not valid on {d.date}</span>}
        {d.mceFlags.map((f) => (
          <span key={f} className="badge badge-dark" title="Medicare Code Editor edit">
            MCE: {f}
          </span>
        ))}
      </div>
      <dl className="kv details-facts">
        <dt>Status</dt>
        <dd>{capital(d.statusText)}</dd>
        <dt>Valid dates</dt>
        <dd>
          {validity
            ? `Reportable ${validity} (MCE)`
            : d.validOnDate === undefined
              ? 'No validity table loaded'
              : 'Not reportable on any date (header or not in the MCE table)'}
        </dd>
        <dt>Code set</dt>
        <dd>{d.release}</dd>
      </dl>

      {d.seventhCharacter && <SeventhCharacter s={d.seventhCharacter} />}
      <Children items={d.children} onOpen={open} />

      {d.system === 'cm' && (
        <section className="details-section" aria-labelledby="notes-h">
          <h3 id="notes-h">Instructional notes</h3>
          {d.notesCaveat && (
            <div className="msg msg-warning notes-caveat" role="note" data-testid="notes-caveat">
              <strong>Not the release in force.</strong> {d.notesCaveat}
            </div>
          )}
          {groups.length === 0 ? (
            <p className="muted small">
              No instructional notes at this code, its category or section{src.labels.length ? '' : ' (no tabular loaded for this chapter)'}
              .
            </p>
          ) : (
            <>
              <p className="notes-source small" data-testid="notes-source">
                Source: {src.labels.join('; ')}
                {src.anyOld ? (
                  <span className="badge badge-warn notes-old">older release</span>
                ) : (
                  <span className="badge badge-ok">current release</span>
                )}
              </p>
              {groups.map((g) => (
                <div key={g.kind} className={`note-group note-${g.kind}`}>
                  <h4>{g.label}</h4>
                  {g.entries.map((e, i) => (
                    <div key={`${e.at}-${i}`} className="note-entry">
                      {e.at !== d.display && <div className="note-at muted small">at {e.at}</div>}
                      <ul>
                        {e.texts.map((t, j) => (
                          <li key={j}>
                            <NoteText text={t} onOpen={open} />
                          </li>
                        ))}
                      </ul>
                    </div>
                  ))}
                </div>
              ))}
            </>
          )}
        </section>
      )}

      {d.pcsAxes && d.pcsAxes.length > 0 && (
        <section className="details-section" aria-labelledby="axes-h">
          <h3 id="axes-h">Characters and their meaning</h3>
          <table className="data-table compact pcs-axes">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Axis</th>
                <th scope="col">Value</th>
                <th scope="col">Meaning and definition</th>
              </tr>
            </thead>
            <tbody>
              {d.pcsAxes.map((a) => (
                <tr key={a.pos}>
                  <td className="num">{a.pos}</td>
                  <td>{a.title}</td>
                  <td>
                    <span className="code-chip">{a.code}</span>
                  </td>
                  <td>
                    <strong>{a.label}</strong>
                    {a.definition && <div className="small">{a.definition}</div>}
                    {a.explanation && <div className="small muted">{a.explanation}</div>}
                    {a.includes && a.includes.length > 0 && <div className="small muted">Includes: {a.includes.join('; ')}</div>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </>
  );
}

function Breadcrumb({ d, onOpen }: { d: CodeDetails; onOpen: (code: string) => void }) {
  if (!d.chapter && !d.section && d.ancestors.length === 0) return null;
  let level = 0;
  const indent = () => ({ paddingLeft: `${level++ * 0.85}rem` });
  return (
    <nav aria-label="Code hierarchy" className="code-crumbs">
      <ol>
        {d.chapter && (
          <li style={indent()}>
            Chapter {d.chapter.chapter}: {d.chapter.title}
          </li>
        )}
        {d.section && <li style={indent()}>{d.section.title}</li>}
        {d.ancestors.map((a) => (
          <li key={a.code} style={indent()}>
            <button type="button" className="btn-link" onClick={() => onOpen(a.code)}>
              {a.display}
            </button>{' '}
            {a.title}
          </li>
        ))}
      </ol>
    </nav>
  );
}

function SeventhCharacter({ s }: { s: NonNullable<CodeDetails['seventhCharacter']> }) {
  const def = s.tabularDefinition;
  return (
    <section className="details-section" aria-labelledby="seventh-h">
      <h3 id="seventh-h">7th character</h3>
      <p className="small">
        {s.required ? 'Required: this code cannot be reported without a 7th character.' : 'This code takes a 7th character.'}{' '}
        {s.usesPlaceholder ? (
          <>
            Fill the empty positions with the placeholder <strong>X</strong>: <span className="code-chip">{s.base}</span> + 7th character.
          </>
        ) : (
          <>
            Add it to <span className="code-chip">{s.base}</span>.
          </>
        )}
      </p>
      {s.choices.length > 0 && (
        <table className="data-table compact">
          <thead>
            <tr>
              <th scope="col">7th</th>
              <th scope="col">Meaning (in the release in force)</th>
            </tr>
          </thead>
          <tbody>
            {s.choices.map((c) => (
              <tr key={c.char}>
                <td>
                  <span className="code-chip">{c.char}</span>
                </td>
                <td>{c.meaning}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {def && (
        <p className="small muted">
          Tabular definition at {def.at}: {def.choices.map((c) => `${c.char} ${c.meaning}`).join('; ')} — from {def.source}
          {!def.current && <span className="badge badge-warn notes-old">older release</span>}
        </p>
      )}
    </section>
  );
}

function Children({ items, onOpen }: { items: CodeRef[]; onOpen: (code: string) => void }) {
  if (items.length === 0) return null;
  return (
    <section className="details-section" aria-labelledby="children-h">
      <h3 id="children-h">Codes under this one ({items.length})</h3>
      <ul className="code-children">
        {items.map((c) => (
          <li key={c.code}>
            <button type="button" className="code-child" onClick={() => onOpen(c.code)}>
              <span className="code-chip">{c.display}</span>
              <span className="code-child-title">{c.title}</span>
              {!c.billable && <span className="badge badge-warn">Header</span>}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

function NoteText({ text, onOpen }: { text: string; onOpen: (code: string) => void }) {
  return (
    <>
      {linkCodes(text).map((p, i) =>
        'code' in p ? (
          <button key={i} type="button" className="btn-link code-ref" onClick={() => onOpen(p.code)} title={`Open ${p.text}`}>
            {p.text}
          </button>
        ) : (
          <span key={i}>{p.text}</span>
        ),
      )}
    </>
  );
}

function capital(s: string): string {
  return s ? s[0]!.toUpperCase() + s.slice(1) : s;
}
