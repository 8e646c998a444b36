import { useEffect, useId, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import { codingApi, type CodeHit } from '../coding-api.js';

/**
 * Inline encoder: type words or a code, the hits of the release in force on `date` appear as a listbox; arrows
 * move, Enter picks the highlighted hit (the first when none is highlighted), Escape or leaving the box closes.
 * The list shows only hits for the text as it stands: Enter pressed while a search is still running waits for its
 * answer and then takes the highlighted row, never a row of an older, different list.
 */
export function CodeSearch({
  label,
  system,
  date,
  onPick,
  inputRef,
}: {
  label: string;
  system: 'cm' | 'pcs';
  date: string;
  onPick: (hit: CodeHit) => void;
  /** The text box, for a page's keyboard shortcut that opens the encoder. */
  inputRef?: RefObject<HTMLInputElement | null>;
}) {
  const [text, setText] = useState('');
  const [hits, setHits] = useState<CodeHit[]>([]);
  /** The trimmed text the hits answer (the list has settled when it equals the text in the box). */
  const [hitsFor, setHitsFor] = useState('');
  const enterPending = useRef(false);
  const [active, setActive] = useState(-1);
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  const abort = useRef<AbortController | null>(null);

  useEffect(() => {
    const q = text.trim();
    if (q.length < 2) {
      setHits([]);
      setHitsFor(q);
      enterPending.current = false;
      return;
    }
    const t = setTimeout(() => {
      abort.current?.abort();
      const ctl = new AbortController();
      abort.current = ctl;
      codingApi.search(q, system, date, ctl.signal).then(
        (r) => {
          setHits(r.hits);
          setHitsFor(q);
          setActive(r.hits.length ? 0 : -1);
          setOpen(true);
          setError(null);
          if (enterPending.current) {
            enterPending.current = false;
            pick(r.hits[0]);
          }
        },
        (e: unknown) => {
          if (!(e instanceof DOMException && e.name === 'AbortError')) setError(e instanceof Error ? e.message : String(e));
        },
      );
    }, 250);
    return () => clearTimeout(t);
    // `pick` is a new function every render: listing it would search again on every render, not when the query changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [text, system, date]);

  function pick(h: CodeHit | undefined) {
    if (!h) return;
    onPick(h);
    setText('');
    setHits([]);
    setHitsFor('');
    setOpen(false);
  }
  const settled = hitsFor === text.trim();
  const shown = open && settled && hits.length > 0;

  function onKey(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setOpen(true);
      setActive((a) => Math.min(a + 1, hits.length - 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => Math.max(a - 1, 0));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      if (text.trim().length < 2) return;
      if (settled) pick(hits[active >= 0 ? active : 0]);
      else enterPending.current = true;
    } else if (e.key === 'Escape') {
      enterPending.current = false;
      setOpen(false);
    }
  }

  return (
    <div className="code-search">
      <label className="field">
        {label}
        <input
          role="combobox"
          ref={inputRef}
          aria-expanded={shown}
          aria-controls={`${id}-list`}
          aria-autocomplete="list"
          aria-activedescendant={active >= 0 && shown ? `${id}-${active}` : undefined}
          aria-busy={!settled}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            enterPending.current = false;
          }}
          onBlur={() => {
            // Leaving the box closes the list, so it never stays open over the fields and buttons below.
            enterPending.current = false;
            setOpen(false);
          }}
          onFocus={() => setOpen(true)}
          onKeyDown={onKey}
          placeholder={system === 'cm' ? 'words or an ICD-10-CM code' : 'words or an ICD-10-PCS code'}
          autoComplete="off"
        />
      </label>
      {error && <div className="field-error">{error}</div>}
      {shown && (
        <ul id={`${id}-list`} role="listbox" className="code-hits" aria-label={`${label} results`}>
          {hits.map((h, i) => (
            <li
              key={`${h.system}${h.code}`}
              id={`${id}-${i}`}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'active' : undefined}
              onMouseDown={(e) => {
                e.preventDefault();
                pick(h);
              }}
            >
              <span className="code-chip">{h.display}</span> {h.title}
              {!h.billable && <span className="badge badge-warn">header</span>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
