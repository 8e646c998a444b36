import { useEffect, useState } from 'react';
import { ApiError } from '../api.js';
import { nearestCoveredDate, type LoadedRelease } from '../code-lookup.js';
import { codesApi } from '../codes-api.js';
import { ErrorMessage, sentence } from './Messages.js';

/**
 * An encoder error. When the server has no code set for the date, say so plainly and (given `onDateChange`)
 * offer the nearest date a loaded release covers — never silently answer from another release.
 */
export function CodeLookupError({
  error,
  date,
  onDateChange,
}: {
  error: unknown;
  date: string;
  onDateChange?: ((d: string) => void) | undefined;
}) {
  const dateProblem = error instanceof ApiError ? error.fieldErrors.date : undefined;
  const system = (dateProblem && /\b(ICD-10-(?:CM|PCS))\b/.exec(dateProblem)?.[1]) || 'ICD-10';
  const [loaded, setLoaded] = useState<LoadedRelease[]>([]);
  useEffect(() => {
    if (!dateProblem) return;
    const ctl = new AbortController();
    // The releases the server has loaded, to say which dates it can answer for.
    codesApi
      .releases(ctl.signal)
      .then((r) =>
        setLoaded((system === 'ICD-10-PCS' ? r.pcs : r.cm).map((x) => ({ label: x.label, from: x.effectiveFrom, to: x.effectiveTo }))),
      )
      .catch(() => setLoaded([]));
    return () => ctl.abort();
  }, [dateProblem, system]);
  if (!dateProblem) return <ErrorMessage error={error} />;
  const nearest = onDateChange ? nearestCoveredDate(date, loaded) : null;
  return (
    <div className="msg msg-error" role="alert">
      {loaded.length === 0 ? (
        sentence(dateProblem)
      ) : (
        <>
          <strong>
            No {system} code set is loaded for {date}.
          </strong>{' '}
          The date picks the code set; loaded:
          <ul className="loaded-releases">
            {loaded.map((r) => (
              <li key={r.label}>
                {r.label}: {r.from} to {r.to}
              </li>
            ))}
          </ul>
        </>
      )}
      {nearest && nearest !== date && (
        <div className="msg-actions">
          <button type="button" className="btn btn-small" onClick={() => onDateChange?.(nearest)}>
            Look up as of {nearest}
          </button>
        </div>
      )}
    </div>
  );
}
