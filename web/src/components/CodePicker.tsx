import { useEffect, useId, useRef, useState, type KeyboardEvent, type Ref } from 'react';
import { codesApi, type CodeSystem, type SearchHit, type SearchResponse } from '../codes-api.js';
import { describeHitPath, isIsoDate, isListKey, moveActive, resultsAnnouncement } from '../code-lookup.js';
import { CodeLookupError } from './CodeLookupError.js';
import '../code-lookup.css';

export interface CodePickerProps {
  system: CodeSystem;
  /** Discharge / service date (YYYY-MM-DD): picks the code set that answers. */
  date: string;
  /** Enter on the highlighted row (the first when none is), or a click. */
  onPick: (hit: SearchHit) => void;
  label?: string;
  limit?: number;
  autoFocus?: boolean;
  /** Empty the box after a pick (for "add this code" workflows). Default false. */
  clearOnPick?: boolean;
  /** Every answer (or null while empty / after an error): the host can show which release answered. */
  onAnswer?: (answer: SearchResponse | null) => void;
  /** When given, a date the server has no code set for offers a button to look up on the nearest covered date. */
  onDateChange?: (date: string) => void;
  inputRef?: Ref<HTMLInputElement>;
}

type State =
  | { kind: 'idle' }
  | { kind: 'loading'; query: string; previous: SearchResponse | null }
  | { kind: 'ok'; answer: SearchResponse }
  | { kind: 'error'; error: unknown };

/**
 * The encoder's search box and results, reusable anywhere a code is chosen (Code lookup, coding workspace).
 * Typing searches (debounced); ↑/↓ (and PageUp/PageDown/Home/End) move; Enter picks; Escape clears. Results are
 * announced through a live region with the release that answered.
 */
export function CodePicker({
  system,
  date,
  onPick,
  label,
  limit = 25,
  autoFocus,
  clearOnPick = false,
  onAnswer,
  onDateChange,
  inputRef,
}: CodePickerProps) {
  const [text, setText] = useState('');
  const [state, setState] = useState<State>({ kind: 'idle' });
  const [active, setActive] = useState(-1);
  const id = useId();
  const listRef = useRef<HTMLUListElement>(null);
  const answerRef = useRef(onAnswer);
  answerRef.current = onAnswer;

  const query = text.trim();
  useEffect(() => {
    if (query.length < 2 || !isIsoDate(date)) {
      setState({ kind: 'idle' });
      setActive(-1);
      answerRef.current?.(null);
      return;
    }
    const ctl = new AbortController();
    setState((s) => ({ kind: 'loading', query, previous: s.kind === 'ok' ? s.answer : s.kind === 'loading' ? s.previous : null }));
    const t = setTimeout(() => {
      codesApi.search(query, { system, date, limit }, ctl.signal).then(
        (answer) => {
          setState({ kind: 'ok', answer });
          setActive(answer.hits.length ? 0 : -1);
          answerRef.current?.(answer);
        },
        (error: unknown) => {
          if (error instanceof DOMException && error.name === 'AbortError') return;
          setState({ kind: 'error', error });
          setActive(-1);
          answerRef.current?.(null);
        },
      );
    }, 180);
    return () => {
      clearTimeout(t);
      ctl.abort();
    };
  }, [query, system, date, limit]);

  const answer = state.kind === 'ok' ? state.answer : state.kind === 'loading' ? state.previous : null;
  const hits = answer?.hits ?? [];

  useEffect(() => {
    if (active < 0) return;
    // scrollIntoView is missing where there is no layout (jsdom in component tests), though the DOM types promise it.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
    listRef.current?.querySelector<HTMLElement>(`[data-index="${active}"]`)?.scrollIntoView?.({ block: 'nearest' });
  }, [active]);

  function pick(hit: SearchHit | undefined) {
    if (!hit) return;
    onPick(hit);
    if (clearOnPick) {
      setText('');
      setActive(-1);
    }
  }

  function onKey(e: KeyboardEvent<HTMLInputElement>) {
    if (isListKey(e.key)) {
      if ((e.key === 'Home' || e.key === 'End') && !e.ctrlKey) return; // plain Home/End move the text caret
      e.preventDefault();
      setActive(moveActive({ count: hits.length, active }, e.key));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      pick(hits[active >= 0 ? active : 0]);
    } else if (e.key === 'Escape') {
      if (text) e.preventDefault();
      setText('');
      setActive(-1);
    }
  }

  const fieldLabel = label ?? (system === 'cm' ? 'Search ICD-10-CM diagnoses' : 'Search ICD-10-PCS procedures');
  const placeholder =
    system === 'cm' ? 'Words, an abbreviation (CHF, AKI) or a code (I50.2)' : 'Words (laparoscopic cholecystectomy) or a code (0DTJ4ZZ)';
  const listId = `${id}-list`;
  const status =
    state.kind === 'ok'
      ? resultsAnnouncement(hits.length, state.answer.query, state.answer.release)
      : state.kind === 'loading'
        ? 'Searching…'
        : '';

  return (
    <div className="code-picker">
      <div className="field">
        <label htmlFor={`${id}-input`}>{fieldLabel}</label>
        <input
          id={`${id}-input`}
          ref={inputRef}
          type="search"
          role="combobox"
          aria-expanded={hits.length > 0}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-describedby={`${id}-hint`}
          aria-activedescendant={active >= 0 && hits[active] ? `${id}-opt-${active}` : undefined}
          className="code-picker-input"
          value={text}
          placeholder={placeholder}
          autoComplete="off"
          spellCheck={false}
          autoFocus={autoFocus}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKey}
        />
        <span className="help" id={`${id}-hint`}>
          <kbd>↑</kbd> <kbd>↓</kbd> move · <kbd>Enter</kbd> open · <kbd>Esc</kbd> clear
        </span>
      </div>
      <div className="code-picker-status" role="status" aria-live="polite" aria-atomic="true">
        {state.kind === 'loading' && <span className="muted">{status}</span>}
        {state.kind === 'ok' && (
          <>
            <span aria-hidden="true" data-testid="code-release">
              {summaryLine(hits.length, state.answer.release)}
            </span>
            <span className="sr-only">{status}</span>
          </>
        )}
      </div>
      {state.kind === 'error' && <CodeLookupError error={state.error} date={date} onDateChange={onDateChange} />}
      <ul
        id={listId}
        ref={listRef}
        role="listbox"
        aria-label={system === 'cm' ? 'Matching ICD-10-CM codes' : 'Matching ICD-10-PCS codes'}
        className={`code-results${hits.length ? '' : ' empty'}`}
        data-testid="code-results"
      >
        {hits.map((h, i) => {
          const path = describeHitPath(h);
          return (
            <li
              key={`${h.system}${h.code}${i}`}
              id={`${id}-opt-${i}`}
              data-index={i}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'active' : undefined}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => {
                setActive(i);
                pick(h);
              }}
            >
              <span className="code-chip">{h.display}</span>
              <span className="code-result-main">
                <span className="code-result-title">{h.title}</span>
                {path && (
                  <span className="code-result-path" title={h.source}>
                    {path}
                  </span>
                )}
              </span>
              <span className="code-result-badges">
                {h.billable ? (
                  <span className="badge badge-ok">{h.system === 'pcs' ? 'Valid code' : 'Billable'}</span>
                ) : (
                  <span className="badge badge-warn">
                    {h.system === 'pcs' ? 'Incomplete — needs 7 characters' : 'Header — needs more characters'}
                  </span>
                )}
                {h.validOnDate === false && h.billable && <span className="badge badge-bad">Not valid on date</span>}
              </span>
            </li>
          );
        })}
      </ul>
      {state.kind === 'ok' && hits.length === 0 && (
        <p className="muted code-picker-empty">No codes found. Try other words, an abbreviation, or the Alphabetic Index.</p>
      )}
    </div>
  );
}

function summaryLine(n: number, release: string): string {
  return `${n === 0 ? 'No' : n} ${n === 1 ? 'code' : 'codes'} · ${release}`;
}
