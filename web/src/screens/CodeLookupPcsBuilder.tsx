import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { codesApi, type PcsBuilderStep } from '../codes-api.js';
import { pcsOptionForKey, pcsSlots } from '../code-lookup.js';
import { Loading } from '../components/Messages.js';
import { CodeLookupError } from '../components/CodeLookupError.js';
import type { CodeTarget } from './CodeLookupDetails.js';

const axisNames = ['Section', 'Body system', 'Root operation', 'Body part', 'Approach', 'Device', 'Qualifier'];

/**
 * ICD-10-PCS table builder: seven slots; each step offers only the values of the next axis that still lead to a
 * valid code (GET /api/codes/pcs/builder). Click or type a value to advance; Backspace or "Back" removes the last.
 */
export function CodeLookupPcsBuilder({
  date,
  onOpen,
  onRelease,
  onDateChange,
}: {
  date: string;
  onOpen: (t: CodeTarget) => void;
  onRelease: (r: string | null) => void;
  onDateChange: (d: string) => void;
}) {
  const [prefix, setPrefix] = useState('');
  const [step, setStep] = useState<PcsBuilderStep | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const regionRef = useRef<HTMLDivElement>(null);
  const releaseRef = useRef(onRelease);
  releaseRef.current = onRelease;

  // Opened from its tab: typing chooses values at once.
  useEffect(() => regionRef.current?.focus(), []);

  useEffect(() => {
    const ctl = new AbortController();
    setLoading(true);
    codesApi.pcsBuilder(prefix, date, ctl.signal).then(
      (s) => {
        setStep(s);
        setError(null);
        setLoading(false);
        releaseRef.current(s.release);
      },
      (e: unknown) => {
        if (e instanceof DOMException && e.name === 'AbortError') return;
        setError(e);
        setLoading(false);
        releaseRef.current(null);
      },
    );
    return () => ctl.abort();
  }, [prefix, date]);

  const choose = (code: string) => {
    if (prefix.length >= 7) return;
    setPrefix((p) => p + code);
    regionRef.current?.focus();
  };
  const back = () => {
    setPrefix((p) => p.slice(0, -1));
    regionRef.current?.focus();
  };

  function onKey(e: KeyboardEvent<HTMLDivElement>) {
    if (e.target instanceof HTMLInputElement || e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.key === 'Backspace') {
      e.preventDefault();
      if (prefix) back();
      return;
    }
    if (e.key === 'Escape' && prefix) {
      e.preventDefault();
      setPrefix('');
      return;
    }
    const v = step && step.prefix === prefix ? pcsOptionForKey(e.key, step.options) : null;
    if (v) {
      e.preventDefault();
      choose(v);
    }
  }

  const current = step && step.prefix === prefix ? step : null;
  const slots = pcsSlots(prefix);
  const meaning = (i: number) => current?.selected[i];

  return (
    <div
      className="pcs-builder"
      ref={regionRef}
      tabIndex={0}
      onKeyDown={onKey}
      role="group"
      aria-label="ICD-10-PCS table builder"
      data-testid="pcs-builder"
    >
      <p className="help">
        Choose one character per axis: only values that still lead to a valid code are offered. Type a value's character to choose it,{' '}
        <kbd>Backspace</kbd> to go back, <kbd>Esc</kbd> to start over.
      </p>
      <ol className="pcs-slots" aria-label="Code so far">
        {slots.map((c, i) => {
          const m = meaning(i);
          const next = current?.nextPosition === i + 1;
          return (
            <li key={i} className={`pcs-slot${c ? ' filled' : ''}${next ? ' next' : ''}`} aria-current={next ? 'step' : undefined}>
              <span className="pcs-slot-char" aria-hidden={!c}>
                {c ?? '·'}
              </span>
              <span className="pcs-slot-axis">{m?.title || axisNames[i]}</span>
              <span className="pcs-slot-label" title={m?.label}>
                {c ? (m?.label ?? '') : ''}
              </span>
            </li>
          );
        })}
      </ol>
      <div className="row pcs-actions">
        <button type="button" className="btn btn-small" onClick={back} disabled={!prefix}>
          ← Back
        </button>
        <button type="button" className="btn btn-small" onClick={() => setPrefix('')} disabled={!prefix}>
          Start over
        </button>
        <span className="muted small" aria-live="polite">
          {prefix ? `Code so far: ${prefix}` : 'No characters chosen yet'}
        </span>
      </div>
      {error !== null && <CodeLookupError error={error} date={date} onDateChange={onDateChange} />}
      {current?.error && (
        <div className="msg msg-error" role="alert">
          {current.error}
        </div>
      )}
      {current?.complete && (
        <div className="pcs-complete" role="status" data-testid="pcs-complete">
          <div>
            <span className="code-chip code-chip-large">{current.complete.code}</span> <strong>{current.complete.title}</strong>
          </div>
          <button
            type="button"
            className="btn btn-primary btn-small"
            onClick={() => onOpen({ system: 'pcs', code: current.complete!.code })}
          >
            Open details
          </button>
        </div>
      )}
      {current && current.nextPosition !== null && current.options.length > 0 && (
        <section aria-labelledby="pcs-next-h" className="pcs-options-wrap">
          <h2 id="pcs-next-h">
            Character {current.nextPosition}: {current.nextAxisTitle}{' '}
            <span className="muted small">
              ({current.options.length} valid {current.options.length === 1 ? 'value' : 'values'})
            </span>
          </h2>
          <ul className="pcs-options">
            {current.options.map((o) => (
              <li key={o.code}>
                <button type="button" className="pcs-option" onClick={() => choose(o.code)}>
                  <span className="code-chip">{o.code}</span>
                  <span className="pcs-option-text">
                    <span className="pcs-option-label">{o.label}</span>
                    {o.definition && <span className="pcs-option-def">{o.definition}</span>}
                    {o.includes && o.includes.length > 0 && (
                      <span className="pcs-option-def">
                        Includes: {o.includes.slice(0, 4).join('; ')}
                        {o.includes.length > 4 ? '; …' : ''}
                      </span>
                    )}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
      {loading && !current && <Loading label="Loading the PCS tables…" />}
    </div>
  );
}
