import { useCallback, useEffect, useRef, useState } from 'react';
import { codingApi, type WorklistFilter, type WorklistItem } from '../coding-api.js';
import { ErrorMessage, Loading } from '../components/Messages.js';
import { formatDate } from '../format.js';
import { Link, useRouter } from '../router.js';
import { useSession } from '../session.js';
import { usePageTitle } from './StaticPages.js';
import { moveBetweenRows, workListProps } from '../work-list.js';

const queryBadge: Record<WorklistItem['queryStatus'], string> = {
  open: 'badge badge-warn',
  escalated: 'badge badge-bad',
  answered: 'badge badge-ok',
  none: '',
};

const PAGE_SIZE = 100;

/** The coding worklist (DNFB): filter, sort, claim the next encounter, assign (directors), open one to code. */
/** The queues of the worklist: by encounter type (ED, observation and clinic visits open in outpatient mode). */
const QUEUES = [
  ['', 'All'],
  ['inpatient', 'Inpatient'],
  ['emergency', 'Emergency'],
  ['observation', 'Observation'],
  ['outpatient', 'Outpatient and clinic'],
] as const;

export function CodingWorklistPage() {
  usePageTitle('Coding worklist');
  const { can } = useSession();
  const { navigate } = useRouter();
  const [filter, setFilter] = useState<WorklistFilter>({ sort: 'days' });
  const [text, setText] = useState('');
  const [search, setSearch] = useState('');
  const searched = useRef('');
  const [page, setPage] = useState(0);
  const [data, setData] = useState<{ total: number; items: WorklistItem[]; payers: string[] } | null>(null);
  const [payers, setPayers] = useState<string[]>([]);
  const [coders, setCoders] = useState<{ id: string; name: string }[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const isDirector = can('reports:read') && !can('coding:write');

  const load = useCallback(
    async (signal?: AbortSignal) => {
      try {
        const r = await codingApi.searchWorklist(
          { ...filter, ...(search ? { text: search } : {}), limit: PAGE_SIZE, offset: page * PAGE_SIZE },
          signal,
        );
        setData(r);
        if (r.payers.length) setPayers(r.payers);
        setError(null);
      } catch (e) {
        if (!(e instanceof DOMException && e.name === 'AbortError')) setError(e);
      }
    },
    [filter, search, page],
  );
  // Search as the coder types, a moment after the last key.
  useEffect(() => {
    const t = setTimeout(() => {
      const next = text.trim();
      if (next === searched.current) return;
      searched.current = next;
      setSearch(next);
      setPage(0);
    }, 250);
    return () => clearTimeout(t);
  }, [text]);

  useEffect(() => {
    const ctl = new AbortController();
    void load(ctl.signal);
    return () => ctl.abort();
  }, [load]);
  useEffect(() => {
    if (isDirector) codingApi.coders().then((r) => setCoders(r.items), setError);
  }, [isDirector]);

  async function claimNext() {
    setBusy(true);
    try {
      const r = await codingApi.claimNext(filter.type);
      if (r.item) navigate(codingPathOf(r.item));
      else setError(new Error('Nothing to claim: the worklist is empty or every encounter is waiting on a query.'));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  const set = (k: keyof WorklistFilter, v: string) => {
    setPage(0);
    setFilter((f) => ({ ...f, [k]: v === '' ? undefined : k === 'minDays' || k === 'maxDays' ? Number(v) : v }));
  };
  const sortBy = (k: string) => {
    setPage(0);
    setFilter((f) => ({ ...f, sort: k, dir: f.sort === k && f.dir !== 'asc' ? 'asc' : 'desc' }));
  };
  const pages = data ? Math.max(1, Math.ceil(data.total / PAGE_SIZE)) : 1;
  const first = page * PAGE_SIZE + 1;
  const last = data ? page * PAGE_SIZE + data.items.length : 0;
  const th = (k: string, label: string) => (
    <th aria-sort={filter.sort === k ? (filter.dir === 'asc' ? 'ascending' : 'descending') : undefined}>
      <button type="button" className="btn-link" onClick={() => sortBy(k)}>
        {label}
      </button>
    </th>
  );

  return (
    <div className="page">
      <div className="page-head">
        <h1>Coding worklist</h1>
        {can('coding:write') && (
          <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void claimNext()}>
            Claim next
          </button>
        )}
      </div>
      <div className="queue-buttons" role="group" aria-label="Coding queues">
        {QUEUES.map(([value, label]) => (
          <button
            key={value}
            type="button"
            className="btn btn-small"
            aria-pressed={(filter.type ?? '') === value}
            onClick={() => set('type', value)}
          >
            {label}
          </button>
        ))}
      </div>
      <form className="filters" aria-label="Worklist filters" onSubmit={(e) => e.preventDefault()}>
        <label className="field">
          Search
          <input
            type="search"
            value={text}
            placeholder="name, MRN or account"
            autoComplete="off"
            onChange={(e) => setText(e.target.value)}
          />
        </label>
        <label className="field">
          Type
          <select value={filter.type ?? ''} onChange={(e) => set('type', e.target.value)}>
            <option value="">All</option>
            <option value="inpatient">Inpatient</option>
            <option value="outpatient">Outpatient</option>
            <option value="emergency">Emergency</option>
            <option value="observation">Observation</option>
          </select>
        </label>
        <label className="field">
          Assigned
          <select value={filter.assignee ?? ''} onChange={(e) => set('assignee', e.target.value)}>
            <option value="">Anyone</option>
            {can('coding:write') && <option value="me">Me</option>}
            <option value="unassigned">Unassigned</option>
            {coders.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          Query
          <select value={filter.queryStatus ?? ''} onChange={(e) => set('queryStatus', e.target.value)}>
            <option value="">Any</option>
            <option value="open">Open</option>
            <option value="escalated">Escalated</option>
            <option value="answered">Answered</option>
            <option value="none">None</option>
          </select>
        </label>
        <label className="field">
          Min days
          <input
            className="input-small"
            type="number"
            min={0}
            value={filter.minDays ?? ''}
            onChange={(e) => set('minDays', e.target.value)}
          />
        </label>
        <label className="field">
          Max days
          <input
            className="input-small"
            type="number"
            min={0}
            value={filter.maxDays ?? ''}
            onChange={(e) => set('maxDays', e.target.value)}
          />
        </label>
        <label className="field">
          Payer
          <select value={filter.payer ?? ''} onChange={(e) => set('payer', e.target.value)}>
            <option value="">Any</option>
            {payers.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </label>
      </form>
      <ErrorMessage error={error} />
      {!data ? (
        <Loading />
      ) : (
        <>
          <p className="result-count" data-testid="worklist-count">
            {data.total} encounter{data.total === 1 ? '' : 's'} not final-coded
            {data.total > 0 && ` · showing ${first}–${last}`}
          </p>
          <div className="table-scroll">
            <table className="data-table table-hover" data-testid="worklist" {...workListProps}>
              <thead>
                <tr>
                  {th('account', 'Account')}
                  <th>Patient</th>
                  {th('type', 'Type')}
                  {th('days', 'Days')}
                  {th('los', 'LOS')}
                  {th('payer', 'Payer')}
                  <th>Attending</th>
                  {th('drg', 'Working DRG')}
                  <th>Query</th>
                  <th>Chart</th>
                  {th('assignee', 'Assignee')}
                </tr>
              </thead>
              <tbody onKeyDown={moveBetweenRows}>
                {data.items.map((i) => (
                  <tr key={i.encounterId}>
                    <td>
                      <Link className="row-link" to={codingPathOf(i)}>
                        {i.accountNumber}
                      </Link>
                    </td>
                    <td>
                      {i.patientName}
                      {i.restricted && <span className="badge badge-dark"> restricted</span>}
                      <div className="small muted">
                        MRN {i.mrn}
                        {i.details && ` · discharged ${formatDate(i.dischargeAt)}`}
                      </div>
                    </td>
                    {i.details ? (
                      <>
                        <td>{i.type}</td>
                        <td className="num">{i.daysSinceDischarge}</td>
                        <td className="num">{i.type === 'inpatient' ? i.lengthOfStay : ''}</td>
                        <td>{i.payerName}</td>
                        <td>{i.attending}</td>
                        <td title={i.workingDrgTitle ?? ''}>{i.workingDrg}</td>
                      </>
                    ) : (
                      <td colSpan={6} className="muted">
                        Restricted record: open it and give a reason to break the glass to see its details
                      </td>
                    )}
                    <td>{i.queryStatus !== 'none' && <span className={queryBadge[i.queryStatus]}>{i.queryStatus}</span>}</td>
                    <td>
                      <ChartCompletion completion={i.completion} />
                    </td>
                    <td>
                      {isDirector ? (
                        <select
                          aria-label={`Assign ${i.accountNumber}`}
                          value={i.assignedTo ?? ''}
                          onChange={(e) => void codingApi.assign(i.encounterId, e.target.value || null).then(() => load(), setError)}
                        >
                          <option value="">Unassigned</option>
                          {coders.map((c) => (
                            <option key={c.id} value={c.id}>
                              {c.name}
                            </option>
                          ))}
                        </select>
                      ) : (
                        (i.assigneeName ?? <span className="muted">Unassigned</span>)
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {pages > 1 && (
            <nav className="pager" aria-label="Worklist pages">
              <button type="button" className="btn btn-small" disabled={page === 0} onClick={() => setPage((p) => p - 1)}>
                Previous
              </button>{' '}
              <span data-testid="worklist-page">
                Page {page + 1} of {pages}
              </span>{' '}
              <button type="button" className="btn btn-small" disabled={page + 1 >= pages} onClick={() => setPage((p) => p + 1)}>
                Next
              </button>
            </nav>
          )}
        </>
      )}
    </div>
  );
}

/**
 * The chart's completion beside the coding work (coding and completion are separate queues): complete, or incomplete
 * or delinquent with its open deficiencies, and "holds final bill" where the facility bills only complete records.
 */
function ChartCompletion({ completion }: { completion: WorklistItem['completion'] }) {
  if (!completion) return <span className="muted">not analysed</span>;
  if (completion.status === 'complete') return <span className="badge badge-ok">complete</span>;
  const deficiencies = `${completion.outstanding} open ${completion.outstanding === 1 ? 'deficiency' : 'deficiencies'}`;
  return (
    <>
      <span className={completion.status === 'delinquent' ? 'badge badge-bad' : 'badge badge-warn'}>{completion.status}</span>
      <div className="small muted">{deficiencies}</div>
      {completion.blocksFinalBill && <div className="small">holds final bill</div>}
    </>
  );
}

/** The coding screen of a worklist item: the inpatient abstract, or outpatient mode for ED, observation and clinic visits. */
function codingPathOf(i: { encounterId: string; type?: string | undefined; details?: boolean }): string {
  const base = `/coding/encounters/${encodeURIComponent(i.encounterId)}`;
  return i.type && i.type !== 'inpatient' ? `${base}/outpatient` : base;
}
