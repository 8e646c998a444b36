import { useCallback, useEffect, useState } from 'react';
import { codingApi, type WorklistFilter, type WorklistItem } from '../coding-api.js';
import { ErrorMessage, Loading } from '../components/Messages.js';
import { formatDate } from '../format.js';
import { Link, useRouter } from '../router.js';
import { useSession } from '../session.js';
import { usePageTitle } from './StaticPages.js';

const queryBadge: Record<WorklistItem['queryStatus'], string> = {
  open: 'badge badge-warn',
  escalated: 'badge badge-bad',
  answered: 'badge badge-ok',
  none: '',
};

/** The coding worklist (DNFB): filter, sort, claim the next encounter, assign (directors), open one to code. */
export function CodingWorklistPage() {
  usePageTitle('Coding worklist');
  const { can } = useSession();
  const { navigate } = useRouter();
  const [filter, setFilter] = useState<WorklistFilter>({ sort: 'days' });
  const [data, setData] = useState<{ total: number; items: WorklistItem[] } | null>(null);
  const [coders, setCoders] = useState<{ id: string; name: string }[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const isDirector = can('reports:read') && !can('coding:write');

  const load = useCallback(
    async (signal?: AbortSignal) => {
      try {
        setData(await codingApi.worklist(filter, signal));
        setError(null);
      } catch (e) {
        if (!(e instanceof DOMException && e.name === 'AbortError')) setError(e);
      }
    },
    [filter],
  );

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
      if (r.item) navigate(`/coding/encounters/${r.item.encounterId}`);
      else setError(new Error('Nothing to claim: the worklist is empty or every encounter is waiting on a query.'));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  const set = (k: keyof WorklistFilter, v: string) =>
    setFilter((f) => ({ ...f, [k]: v === '' ? undefined : k === 'minDays' || k === 'maxDays' ? Number(v) : v }));
  const sortBy = (k: string) => setFilter((f) => ({ ...f, sort: k, dir: f.sort === k && f.dir !== 'asc' ? 'asc' : 'desc' }));
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
      <form className="filters" aria-label="Worklist filters" onSubmit={(e) => e.preventDefault()}>
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
          <input value={filter.payer ?? ''} onChange={(e) => set('payer', e.target.value)} />
        </label>
      </form>
      <ErrorMessage error={error} />
      {!data ? (
        <Loading />
      ) : (
        <>
          <p className="result-count">
            {data.total} encounter{data.total === 1 ? '' : 's'} not final-coded
          </p>
          <div className="table-scroll">
            <table className="data-table table-hover" data-testid="worklist">
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
                  {th('assignee', 'Assignee')}
                </tr>
              </thead>
              <tbody>
                {data.items.map((i) => (
                  <tr key={i.encounterId}>
                    <td>
                      <Link className="row-link" to={`/coding/encounters/${i.encounterId}`}>
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
        </>
      )}
    </div>
  );
}
