import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { codingApi, type CodeHit } from '../coding-api.js';

/**
 * Inline encoder: type words or a code, the hits of the release in force on `date` appear as a listbox; arrows
 * move, Enter picks (the first hit when none is highlighted), Escape closes.
 */
export function CodeSearch({
  label,
  system,
  date,
  onPick,
}: {
  label: string;
  system: 'cm' | 'pcs';
  date: string;
  onPick: (hit: CodeHit) => void;
}) {
  const [text, setText] = useState('');
  const [hits, setHits] = useState<CodeHit[]>([]);
  const [active, setActive] = useState(-1);
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  const abort = useRef<AbortController | null>(null);

  useEffect(() => {
    const q = text.trim();
    if (q.length < 2) {
      setHits([]);
      return;
    }
    const t = setTimeout(() => {
      abort.current?.abort();
      const ctl = new AbortController();
      abort.current = ctl;
      codingApi.search(q, system, date, ctl.signal).then(
        (r) => {
          setHits(r.hits);
          setActive(r.hits.length ? 0 : -1);
          setOpen(true);
          setError(null);
        },
        (e: unknown) => {
          if (!(e instanceof DOMException && e.name === 'AbortError')) setError(e instanceof Error ? e.message : String(e));
        },
      );
    }, 250);
    return () => clearTimeout(t);
  }, [text, system, date]);

  function pick(h: CodeHit | undefined) {
    if (!h) return;
    onPick(h);
    setText('');
    setHits([]);
    setOpen(false);
  }

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
      pick(hits[active >= 0 ? active : 0]);
    } else if (e.key === 'Escape') setOpen(false);
  }

  return (
    <div className="code-search">
      <label className="field">
        {label}
        <input
          role="combobox"
          aria-expanded={open && hits.length > 0}
          aria-controls={`${id}-list`}
          aria-autocomplete="list"
          aria-activedescendant={active >= 0 && open ? `${id}-${active}` : undefined}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKey}
          placeholder={system === 'cm' ? 'words or an ICD-10-CM code' : 'words or an ICD-10-PCS code'}
          autoComplete="off"
        />
      </label>
      {error && <div className="field-error">{error}</div>}
      {open && hits.length > 0 && (
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
