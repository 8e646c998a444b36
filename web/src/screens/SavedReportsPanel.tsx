import { useEffect, useState } from 'react';
import { savedReportsApi, type DashboardFilters, type SavedReport } from '../dashboard-api.js';
import { ErrorMessage } from '../components/Messages.js';

/** The filters worth saving: the empty ones are left out (from/to left out make a rolling 30 days). */
const kept = (f: DashboardFilters, withDates: boolean): Partial<DashboardFilters> =>
  Object.fromEntries(Object.entries(f).filter(([k, v]) => v !== '' && (withDates || (k !== 'from' && k !== 'to'))));

/**
 * Saved reports beside the dashboard's filters: save the current filters under a name (optionally emailed daily or
 * weekly to a few addresses, figures only), apply or delete a saved one.
 */
export function SavedReportsPanel({ filters, onApply }: { filters: DashboardFilters; onApply: (f: Partial<DashboardFilters>) => void }) {
  const [items, setItems] = useState<SavedReport[]>([]);
  const [name, setName] = useState('');
  const [schedule, setSchedule] = useState<SavedReport['schedule']>('none');
  const [recipients, setRecipients] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [status, setStatus] = useState('');

  const reload = () =>
    savedReportsApi.list().then(
      (r) => setItems(r.items),
      (e: unknown) => setError(e),
    );
  useEffect(() => {
    void reload();
  }, []);

  const save = () => {
    setError(null);
    const list = recipients
      .split(/[\s,;]+/)
      .map((s) => s.trim())
      .filter(Boolean);
    savedReportsApi.save({ name, filters: kept(filters, schedule === 'none'), schedule, recipients: list }).then(
      (r) => {
        setStatus(`Saved “${r.name}”.`);
        setName('');
        void reload();
      },
      (e: unknown) => setError(e),
    );
  };

  return (
    <details className="saved-reports">
      <summary>Saved reports</summary>
      <form
        className="toolbar"
        aria-label="Save these filters"
        onSubmit={(e) => {
          e.preventDefault();
          save();
        }}
      >
        <label>
          Name <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} />
        </label>
        <label>
          Email{' '}
          <select value={schedule} onChange={(e) => setSchedule(e.target.value as SavedReport['schedule'])}>
            <option value="none">never</option>
            <option value="daily">daily</option>
            <option value="weekly">weekly</option>
          </select>
        </label>
        {schedule !== 'none' && (
          <label>
            To (addresses) <input value={recipients} onChange={(e) => setRecipients(e.target.value)} size={40} />
          </label>
        )}
        <button type="submit" disabled={name.trim() === ''}>
          Save filters
        </button>
      </form>
      <p role="status">{status}</p>
      <ErrorMessage error={error} />
      {items.length > 0 && (
        <ul aria-label="Saved reports">
          {items.map((r) => (
            <li key={r.id}>
              {r.name} ({r.schedule === 'none' ? 'not emailed' : `${r.schedule} to ${r.recipients.length}`}){' '}
              <button type="button" onClick={() => onApply(r.filters)}>
                Apply <span className="sr-only">{r.name}</span>
              </button>{' '}
              <button
                type="button"
                onClick={() =>
                  void savedReportsApi.remove(r.id).then(
                    () => {
                      setStatus(`Deleted “${r.name}”.`);
                      void reload();
                    },
                    (e: unknown) => setError(e),
                  )
                }
              >
                Delete <span className="sr-only">{r.name}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </details>
  );
}
