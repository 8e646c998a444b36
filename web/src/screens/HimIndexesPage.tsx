import { useEffect, useState } from 'react';
import { indexesApi, type IndexEntry, type IndexKind, type IndexQuery } from '../dashboard-api.js';
import { ErrorMessage, Loading } from '../components/Messages.js';
import { Link } from '../router.js';
import { useSession } from '../session.js';
import { usePageTitle } from './StaticPages.js';
import '../dashboard.css';

const KINDS: { kind: IndexKind; label: string }[] = [
  { kind: 'disease', label: 'Disease index' },
  { kind: 'procedure', label: 'Procedure index' },
  { kind: 'physician', label: 'Physician index' },
];

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

/**
 * The classic HIM indexes: final-coded discharges over a date range under each ICD-10-CM diagnosis code, each
 * ICD-10-PCS procedure code (searchable by a code range: I20 to I25 takes every code of those categories) or each
 * attending physician. A restricted discharge not opened is counted under its code, not listed.
 */
export function HimIndexesPage() {
  usePageTitle('HIM indexes');
  const canCode = useSession().can('coding:read');
  const [kind, setKind] = useState<IndexKind>('disease');
  const [query, setQuery] = useState<IndexQuery>({ from: daysAgo(30), to: daysAgo(0), codeFrom: '', codeTo: '' });
  const [draft, setDraft] = useState<IndexQuery>(query);
  const [entries, setEntries] = useState<IndexEntry[] | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    const ctl = new AbortController();
    setEntries(null);
    indexesApi.index(kind, kind === 'physician' ? { ...query, codeFrom: '', codeTo: '' } : query, ctl.signal).then(
      (r) => {
        setEntries(r.entries);
        setError(null);
      },
      (e: unknown) => {
        if (!ctl.signal.aborted) setError(e);
      },
    );
    return () => ctl.abort();
  }, [kind, query]);

  const set = (k: keyof IndexQuery) => (e: { target: { value: string } }) => setDraft((q) => ({ ...q, [k]: e.target.value }));
  const title = KINDS.find((k) => k.kind === kind)?.label ?? '';

  return (
    <section className="page">
      <h1>HIM indexes</h1>
      <form
        className="toolbar dashboard-filters"
        aria-label="Index search"
        onSubmit={(e) => {
          e.preventDefault();
          setQuery(draft);
        }}
      >
        <label>
          Index{' '}
          <select value={kind} onChange={(e) => setKind(e.target.value as IndexKind)}>
            {KINDS.map((k) => (
              <option key={k.kind} value={k.kind}>
                {k.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Discharged from <input type="date" value={draft.from} onChange={set('from')} />
        </label>
        <label>
          to <input type="date" value={draft.to} onChange={set('to')} />
        </label>
        {kind !== 'physician' && (
          <>
            <label>
              Codes from <input value={draft.codeFrom} onChange={set('codeFrom')} size={8} placeholder="I20" />
            </label>
            <label>
              to <input value={draft.codeTo} onChange={set('codeTo')} size={8} placeholder="I25" />
            </label>
          </>
        )}
        <button type="submit" className="btn btn-primary">
          Search
        </button>
        <a href={indexesApi.exportUrl(kind, query, 'csv')}>Export CSV</a>{' '}
        <a href={indexesApi.exportUrl(kind, query, 'xlsx')}>Export XLSX</a>
      </form>
      <ErrorMessage error={error} />
      {!entries ? (
        !error && <Loading />
      ) : entries.length === 0 ? (
        <p>No final-coded discharge in the range{kind !== 'physician' && ' carries a code in the range'}.</p>
      ) : (
        <div className="table-scroll">
          <table className="table" aria-label={title}>
            <thead>
              <tr>
                <th scope="col">{kind === 'physician' ? 'Physician' : 'Code'}</th>
                <th scope="col">Patient</th>
                <th scope="col">MRN</th>
                <th scope="col">Account</th>
                <th scope="col">Discharged</th>
                <th scope="col">Attending</th>
                <th scope="col">MS-DRG</th>
                <th scope="col">{kind === 'physician' ? 'Principal diagnosis' : 'Role'}</th>
              </tr>
            </thead>
            {entries.map((e) => (
              <tbody key={e.key}>
                <tr className="index-key">
                  <th scope="rowgroup" colSpan={8}>
                    {e.label} — {e.count} discharge{e.count === 1 ? '' : 's'}
                    {e.withheld > 0 && ` (${e.withheld} restricted, counted and not listed)`}
                  </th>
                </tr>
                {e.rows.map((r) => (
                  <tr key={r.encounterId}>
                    <td>{e.label}</td>
                    <td>
                      <Link to={canCode ? `/coding/encounters/${r.encounterId}/summary` : `/patients/${r.patientId}`}>{r.patientName}</Link>
                    </td>
                    <td>{r.mrn}</td>
                    <td>{r.accountNumber}</td>
                    <td>{r.dischargeAt?.slice(0, 10)}</td>
                    <td>{r.attending ?? ''}</td>
                    <td>{r.drg ?? ''}</td>
                    <td>{r.role ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            ))}
          </table>
        </div>
      )}
    </section>
  );
}
