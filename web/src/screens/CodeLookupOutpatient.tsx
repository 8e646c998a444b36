import { useEffect, useId, useState, type KeyboardEvent } from 'react';
import {
  codesApi,
  type OutpatientCodeDetails,
  type OutpatientHit,
  type OutpatientSearchResponse,
  type OutpatientSystem,
} from '../codes-api.js';
import { isIsoDate, isListKey, moveActive } from '../code-lookup.js';
import { CodeLookupError } from '../components/CodeLookupError.js';
import { Loading } from '../components/Messages.js';

type State = { kind: 'idle' } | { kind: 'loading' } | { kind: 'ok'; answer: OutpatientSearchResponse } | { kind: 'error'; error: unknown };

/**
 * Code lookup for HCPCS Level II (the CMS file) and CPT (the AMA's: searched only when the user imported a licensed
 * file; otherwise a CPT number is checked for format and range, and the page says so). The date of service picks
 * the HCPCS file and decides validity from each code's added and termination dates.
 */
export function CodeLookupOutpatient({
  system,
  date,
  onDateChange,
}: {
  system: OutpatientSystem;
  date: string;
  onDateChange: (d: string) => void;
}) {
  const [text, setText] = useState('');
  const [state, setState] = useState<State>({ kind: 'idle' });
  const [active, setActive] = useState(-1);
  const [opened, setOpened] = useState<OutpatientHit | null>(null);
  const id = useId();
  const query = text.trim();

  useEffect(() => {
    if (query.length < 2 || !isIsoDate(date)) {
      setState({ kind: 'idle' });
      return undefined;
    }
    const ctl = new AbortController();
    const t = setTimeout(() => {
      setState({ kind: 'loading' });
      codesApi.outpatientSearch(query, { system, date }, ctl.signal).then(
        (answer) => {
          setState({ kind: 'ok', answer });
          setActive(answer.hits.length > 0 ? 0 : -1);
        },
        (error: unknown) => {
          if (error instanceof DOMException && error.name === 'AbortError') return;
          setState({ kind: 'error', error });
        },
      );
    }, 150);
    return () => {
      clearTimeout(t);
      ctl.abort();
    };
  }, [query, system, date]);

  const hits = state.kind === 'ok' ? state.answer.hits : [];
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (isListKey(e.key)) {
      e.preventDefault();
      setActive(moveActive({ count: hits.length, active }, e.key));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const h = hits[active] ?? hits[0];
      if (h) setOpened(h);
    } else if (e.key === 'Escape') setText('');
  };
  const label = system === 'hcpcs' ? 'Search HCPCS Level II' : 'Search CPT';

  return (
    <div className="code-picker" data-testid="outpatient-lookup">
      <div className="field">
        <label htmlFor={`${id}-q`}>{label}</label>
        <input
          id={`${id}-q`}
          type="search"
          role="combobox"
          aria-expanded={hits.length > 0}
          aria-controls={`${id}-list`}
          aria-activedescendant={active >= 0 ? `${id}-opt-${active}` : undefined}
          autoComplete="off"
          spellCheck={false}
          placeholder={
            system === 'hcpcs' ? 'Words (clinic visit) or a code (G0463)' : 'A CPT code (99284), or words when a CPT file is imported'
          }
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKey}
        />
      </div>
      <div className="code-picker-status" role="status" aria-live="polite" aria-atomic="true">
        {state.kind === 'ok' && (
          <span data-testid="code-release">
            {hits.length === 0 ? 'No' : hits.length} {hits.length === 1 ? 'code' : 'codes'} · {state.answer.release}
          </span>
        )}
      </div>
      {state.kind === 'ok' && state.answer.notice && (
        <p className="msg msg-warning" data-testid="outpatient-notice">
          {state.answer.notice}
        </p>
      )}
      {state.kind === 'error' && <CodeLookupError error={state.error} date={date} onDateChange={onDateChange} />}
      <ul
        id={`${id}-list`}
        role="listbox"
        aria-label={system === 'hcpcs' ? 'Matching HCPCS codes' : 'Matching CPT codes'}
        className="code-results"
      >
        {hits.map((h, i) => (
          <li
            key={h.code}
            id={`${id}-opt-${i}`}
            role="option"
            aria-selected={i === active}
            className={i === active ? 'active' : undefined}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => {
              setActive(i);
              setOpened(h);
            }}
          >
            <span className="code-chip">{h.display}</span>
            <span className="code-result-main">
              <span className="code-result-title">{h.title}</span>
            </span>
            <span className="code-result-badges">
              {h.validOnDate === false && <span className="badge badge-bad">Not valid on date</span>}
              {h.validOnDate === true && <span className="badge badge-ok">Valid on date</span>}
            </span>
          </li>
        ))}
      </ul>
      {opened && <OutpatientDetails key={`${opened.system}${opened.code}`} system={opened.system} code={opened.code} date={date} />}
    </div>
  );
}

function OutpatientDetails({ system, code, date }: { system: OutpatientSystem; code: string; date: string }) {
  const [d, setD] = useState<OutpatientCodeDetails | { error: unknown } | null>(null);
  useEffect(() => {
    const ctl = new AbortController();
    codesApi.outpatientDetails(system, code, date, ctl.signal).then(setD, (error: unknown) => {
      if (!(error instanceof DOMException && error.name === 'AbortError')) setD({ error });
    });
    return () => ctl.abort();
  }, [system, code, date]);
  if (!d) return <Loading label="Loading the code…" />;
  if ('error' in d) return <CodeLookupError error={d.error} date={date} />;
  return (
    <section className="code-details" aria-label={`${d.display} details`} data-testid="outpatient-details">
      <h2 className="details-title">
        <span className="code-chip code-chip-large">{d.display}</span> {d.title || <span className="muted">(descriptor not loaded)</span>}
      </h2>
      <p className={d.validOnDate === false ? 'msg msg-error' : 'muted'}>{d.statusText}</p>
      {d.notice && <p className="msg msg-warning">{d.notice}</p>}
      <dl className="details-facts">
        <dt>Release</dt>
        <dd>{d.release}</dd>
        {d.shortTitle && (
          <>
            <dt>Short description</dt>
            <dd>{d.shortTitle}</dd>
          </>
        )}
        {d.section && (
          <>
            <dt>CPT section</dt>
            <dd>{d.section}</dd>
          </>
        )}
        {d.added !== undefined && (
          <>
            <dt>Added · last day</dt>
            <dd>
              {d.added || '—'} · {d.terminated || 'open'}
            </dd>
          </>
        )}
        {(d.pricing ?? []).length > 0 && (
          <>
            <dt>Pricing</dt>
            <dd>{(d.pricing ?? []).map((p) => `${p.code} ${p.meaning}`).join('; ')}</dd>
          </>
        )}
        {d.coverage && (
          <>
            <dt>Coverage</dt>
            <dd>
              {d.coverage.code} {d.coverage.meaning}
            </dd>
          </>
        )}
        {d.betos && (
          <>
            <dt>BETOS · type of service</dt>
            <dd>
              {d.betos} · {(d.typeOfService ?? []).join(' ')}
            </dd>
          </>
        )}
      </dl>
    </section>
  );
}
