import { ApiError } from '../api.js';
import { loadedReleasesFromMessage, nearestCoveredDate } from '../code-lookup.js';
import { ErrorMessage, sentence } from './Messages.js';

/**
 * An encoder error. When the server has no code set for the date, say so plainly and (given `onDateChange`)
 * offer the nearest date a loaded release covers — never silently answer from another release.
 */
export function CodeLookupError({ error, date, onDateChange }: { error: unknown; date: string; onDateChange?: ((d: string) => void) | undefined }) {
  const dateProblem = error instanceof ApiError ? error.fieldErrors.date : undefined;
  if (!dateProblem) return <ErrorMessage error={error} />;
  const nearest = onDateChange ? nearestCoveredDate(date, loadedReleasesFromMessage(dateProblem)) : null;
  return (
    <div className="msg msg-error" role="alert">
      {sentence(dateProblem)}
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
