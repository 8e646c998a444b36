import { useEffect, useRef, useState, type SubmitEvent, type KeyboardEvent } from 'react';
import { api, ApiError, type PatientListItem } from '../api.js';
import { ErrorMessage, FieldError, formLevelError, Loading, describedBy } from '../components/Messages.js';
import { ageOn, formatDate, formatName, formatSex } from '../format.js';
import { Link, useRouter } from '../router.js';
import { usePageTitle } from './StaticPages.js';
import { workListProps } from '../work-list.js';

/** The last search, kept in memory by the shell (never in the URL: search words are PHI). */
export interface SearchState {
  text: string;
  submitted: string | null;
  items: PatientListItem[] | null;
}

/** MPI look-up: name ("family, given" or "given family"), MRN or date of birth; Enter searches, arrows pick, Enter opens. */
export function PatientSearchPage({ state, onChange }: { state: SearchState; onChange: (s: SearchState) => void }) {
  usePageTitle('Patient search');
  const { navigate } = useRouter();
  const [text, setText] = useState(state.text);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const tableRef = useRef<HTMLTableSectionElement>(null);
  const abort = useRef<AbortController | null>(null);

  useEffect(() => () => abort.current?.abort(), []);

  async function search(e: SubmitEvent) {
    e.preventDefault();
    const q = text.trim();
    if (!q) {
      setError(new Error('Enter a name, an MRN or a date of birth.'));
      inputRef.current?.focus();
      return;
    }
    abort.current?.abort();
    const ctl = new AbortController();
    abort.current = ctl;
    setBusy(true);
    setError(null);
    try {
      const res = await api.searchPatients(q, ctl.signal);
      onChange({ text: q, submitted: q, items: res.items });
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') return;
      setError(err);
      onChange({ text: q, submitted: q, items: null });
    } finally {
      if (abort.current === ctl) setBusy(false);
    }
  }

  function links(): HTMLAnchorElement[] {
    return Array.from(tableRef.current?.querySelectorAll<HTMLAnchorElement>('a.row-link') ?? []);
  }

  function onInputKey(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key === 'ArrowDown' && state.items?.length) {
      e.preventDefault();
      links()[0]?.focus();
    }
  }

  function onTableKey(e: KeyboardEvent<HTMLTableSectionElement>) {
    const all = links();
    const i = all.indexOf(document.activeElement as HTMLAnchorElement);
    if (i < 0) return;
    let next: number;
    if (e.key === 'ArrowDown') next = Math.min(all.length - 1, i + 1);
    else if (e.key === 'ArrowUp') next = i - 1;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = all.length - 1;
    else return;
    e.preventDefault();
    if (next < 0) inputRef.current?.focus();
    else all[next]?.focus();
  }

  const items = state.items;
  const fieldError = error instanceof ApiError ? error.fieldErrors.q : undefined;
  return (
    <section className="page">
      <h1>Patient search</h1>
      <form className="search-bar" onSubmit={(e) => void search(e)} role="search" aria-label="Patient search">
        <div className="field field-grow">
          <label htmlFor="patient-q">Name, MRN or date of birth</label>
          <input
            id="patient-q"
            ref={inputRef}
            type="search"
            autoComplete="off"
            spellCheck={false}
            autoFocus
            value={text}
            onChange={(e) => setText(e.target.value)}
            onKeyDown={onInputKey}
            aria-describedby={describedBy('patient-q-help', fieldError && 'patient-q-err')}
            aria-invalid={fieldError ? true : undefined}
          />
          <FieldError id="patient-q-err" message={fieldError} />
          <div className="help" id="patient-q-help">
            e.g. <kbd>smith, john</kbd>, <kbd>john smith</kbd>, an MRN, or <kbd>04/09/1961</kbd>. Press Enter to search, ↓ to move into the
            results.
          </div>
        </div>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          Search
        </button>
      </form>
      <div aria-live="polite">
        <ErrorMessage error={formLevelError(error, ['q'])} />
        {busy && <Loading label="Searching…" />}
        {!busy && items && (
          <p className="result-count">
            {items.length === 0
              ? 'No patients match this search.'
              : `${items.length}${items.length === 25 ? '+' : ''} patient${items.length === 1 ? '' : 's'} found${items.length === 25 ? ' – showing the first 25; narrow the search' : ''}.`}
          </p>
        )}
      </div>
      {items && items.length > 0 && (
        <table className="data-table table-hover" {...workListProps}>
          <caption className="sr-only">Patients matching the search</caption>
          <thead>
            <tr>
              <th scope="col">MRN</th>
              <th scope="col">Name</th>
              <th scope="col">Date of birth</th>
              <th scope="col">Age</th>
              <th scope="col">Sex</th>
              <th scope="col">Access</th>
            </tr>
          </thead>
          <tbody ref={tableRef} onKeyDown={onTableKey}>
            {items.map((p) => (
              <tr
                key={p.id}
                onClick={(e) => {
                  if (!(e.target as HTMLElement).closest('a')) navigate(`/patients/${p.id}`);
                }}
              >
                <td className="mono">{p.mrn}</td>
                <td>
                  <Link className="row-link" to={`/patients/${p.id}`}>
                    {formatName(p)}
                  </Link>
                </td>
                <td>{p.restricted ? <span className="muted">—</span> : formatDate(p.dateOfBirth)}</td>
                <td>{p.restricted ? '' : (ageOn(p.dateOfBirth) ?? '')}</td>
                <td>{formatSex(p.sex)}</td>
                <td>
                  {p.restricted && (
                    <span className="badge badge-warn" title="Restricted record: opening it needs break-the-glass with a reason">
                      Restricted
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
