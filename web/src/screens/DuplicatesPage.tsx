import { useCallback, useEffect, useState } from 'react';
import { ErrorMessage, Loading, Notice } from '../components/Messages.js';
import { formatDate, formatDateTime, formatName, formatSex } from '../format.js';
import { formatScore, levelLabel, mpiApi, type DuplicatePair, type MergeView, type PairDetail, type SidePatient } from '../mpi-api.js';
import { Link } from '../router.js';
import { usePageTitle } from './StaticPages.js';
import { moveBetweenRows, workListProps } from '../work-list.js';

/**
 * The potential-duplicate worklist (AHIMA MPI maintenance): pairs the matcher scored above the review threshold,
 * compared side by side with the agreement of each field; resolve as different people, or merge one record
 * into the other (everything moves; the merged MRN stays as an alias). Merges can be undone from the history.
 */
export function DuplicatesPage() {
  usePageTitle('Duplicate records');
  const [status, setStatus] = useState('open');
  const [pairs, setPairs] = useState<DuplicatePair[] | null>(null);
  const [merges, setMerges] = useState<MergeView[] | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [undoing, setUndoing] = useState<MergeView | null>(null);

  const load = useCallback(() => {
    setError(null);
    mpiApi.duplicates(status).then((r) => setPairs(r.items), setError);
    mpiApi.merges().then((r) => setMerges(r.items), setError);
  }, [status]);
  useEffect(load, [load]);

  const done = (text: string) => {
    setNotice(text);
    setSelected(null);
    load();
  };

  async function unmerge(m: MergeView) {
    setUndoing(null);
    try {
      const r = await mpiApi.unmerge(m.id);
      done(
        `Merge undone: ${r.restored} row${r.restored === 1 ? '' : 's'} back on the other record${r.missing ? `, ${r.missing} no longer present` : ''}.`,
      );
    } catch (err) {
      setError(err);
    }
  }

  return (
    <section className="page">
      <div className="page-head">
        <h1>Duplicate records</h1>
        <div className="field">
          <label htmlFor="dup-status">Show</label>
          <select id="dup-status" value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="open">Open pairs</option>
            <option value="not_duplicate">Resolved: not duplicates</option>
            <option value="merged">Merged</option>
          </select>
        </div>
      </div>
      {notice && <Notice kind="success">{notice}</Notice>}
      <ErrorMessage error={error} />
      {!pairs ? (
        <Loading />
      ) : pairs.length === 0 ? (
        <p className="muted">No pairs to show.</p>
      ) : (
        <div className="table-scroll">
          <table className="data-table table-hover" {...workListProps}>
            <caption className="sr-only">Potential duplicate pairs, highest score first</caption>
            <thead>
              <tr>
                <th scope="col">Score</th>
                <th scope="col">Record A</th>
                <th scope="col">Record B</th>
                <th scope="col">Found</th>
                <th scope="col">By</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody onKeyDown={moveBetweenRows}>
              {pairs.map((p) => (
                <tr key={p.id} aria-selected={selected === p.id}>
                  <td className="num">
                    <strong>{formatScore(p.score)}</strong>
                  </td>
                  {p.patients.map((x) => (
                    <td key={x.id}>
                      <span className="mono">{x.mrn}</span> {formatName(x)} <span className="muted">{formatDate(x.dateOfBirth)}</span>
                    </td>
                  ))}
                  <td>{formatDateTime(p.detectedAt)}</td>
                  <td>{p.source}</td>
                  <td>
                    <button type="button" className="btn btn-small" onClick={() => setSelected(p.id)}>
                      Compare
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {selected && <PairCompare key={selected} id={selected} onDone={done} onClose={() => setSelected(null)} />}
      <section className="section" aria-labelledby="merge-history">
        <h2 id="merge-history">Merge history</h2>
        {!merges ? (
          <Loading />
        ) : merges.length === 0 ? (
          <p className="muted">No merges yet.</p>
        ) : (
          <div className="table-scroll">
            <table className="data-table">
              <thead>
                <tr>
                  <th scope="col">Merged</th>
                  <th scope="col">Surviving record</th>
                  <th scope="col">Merged record</th>
                  <th scope="col">Reason</th>
                  <th scope="col">By</th>
                  <th scope="col">Source</th>
                  <th scope="col">Status</th>
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {merges.map((m) => (
                  <tr key={m.id}>
                    <td>{formatDateTime(m.mergedAt)}</td>
                    <td>
                      <RecordLink id={m.survivorId} mrn={m.survivorMrn} name={m.survivorName} />
                    </td>
                    <td>
                      <RecordLink id={m.mergedId} mrn={m.mergedMrn} name={m.mergedName} />
                    </td>
                    <td>{m.reason ?? <span className="muted">—</span>}</td>
                    <td>{m.mergedByName ?? m.mergedBy}</td>
                    <td>{m.source}</td>
                    <td>
                      {m.status === 'merged' ? (
                        <span className="badge badge-ok">Merged</span>
                      ) : (
                        <span className="badge badge-dark">Undone {formatDateTime(m.unmergedAt)}</span>
                      )}
                    </td>
                    <td>
                      {m.status === 'merged' &&
                        (undoing?.id === m.id ? (
                          <div className="confirm" role="group" aria-label="Confirm unmerge">
                            <span className="small">
                              Undo this merge? {m.mergedMrn ?? 'The merged record'} comes back with everything that moved to{' '}
                              {m.survivorMrn ?? 'the surviving record'}.
                            </span>{' '}
                            <button type="button" className="btn btn-small btn-danger" autoFocus onClick={() => void unmerge(m)}>
                              Undo merge
                            </button>{' '}
                            <button type="button" className="btn btn-small" onClick={() => setUndoing(null)}>
                              Cancel
                            </button>
                          </div>
                        ) : (
                          <button type="button" className="btn btn-small" onClick={() => setUndoing(m)}>
                            Unmerge
                          </button>
                        ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </section>
  );
}

const ROWS: [string, (p: SidePatient) => string][] = [
  ['MRN', (p) => p.mrn],
  ['Name', (p) => formatName(p)],
  ['Date of birth', (p) => formatDate(p.dateOfBirth)],
  ['Sex', (p) => formatSex(p.sex)],
  ['Address', (p) => [p.address.line1, p.address.line2, p.address.city, p.address.state, p.address.postalCode].filter(Boolean).join(', ')],
  ['Phone', (p) => p.phone ?? ''],
  ['E-mail', (p) => p.email ?? ''],
  ['SSN', (p) => p.ssnMasked ?? ''],
  ['Other names', (p) => p.aliases.map((a) => `${a.familyName}, ${a.givenName} (${a.use})`).join('; ')],
  ['Identifiers', (p) => p.identifiers.map((i) => `${i.system} ${i.value}${i.type ? ` (${i.type})` : ''}`).join('; ')],
  ['Encounters', (p) => p.encounters.map((e) => `${e.accountNumber} ${e.type} ${formatDate(e.admitAt)}`).join('; ')],
  ['Registered', (p) => formatDateTime(p.createdAt)],
];

function PairCompare({ id, onDone, onClose }: { id: string; onDone: (text: string) => void; onClose: () => void }) {
  const [d, setD] = useState<PairDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [note, setNote] = useState('');
  const [confirm, setConfirm] = useState<null | { survivor: SidePatient; merged: SidePatient }>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    mpiApi.duplicate(id).then(setD, setError);
  }, [id]);
  if (!d) return error ? <ErrorMessage error={error} /> : <Loading />;
  const open = d.pair.status === 'open';

  async function act(fn: () => Promise<unknown>, text: string) {
    setBusy(true);
    setError(null);
    try {
      await fn();
      onDone(text);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  return (
    <section className="section card" aria-labelledby="compare-h">
      <div className="page-head">
        <h2 id="compare-h">Side by side — score {formatScore(d.currentScore)}</h2>
        <button type="button" className="btn btn-small" onClick={onClose}>
          Close
        </button>
      </div>
      <ErrorMessage error={error} />
      <table className="data-table">
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">Record A</th>
            <th scope="col">Record B</th>
          </tr>
        </thead>
        <tbody>
          {ROWS.map(([label, get]) => {
            const a = get(d.left);
            const b = get(d.right);
            return (
              <tr key={label}>
                <th scope="row">{label}</th>
                <td className={a !== b ? 'diff' : undefined}>{a}</td>
                <td className={a !== b ? 'diff' : undefined}>{b}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <h3>How the fields compare</h3>
      <p className="small">
        {d.comparison
          .filter((c) => c.level !== null)
          .map((c) => `${c.field}: ${levelLabel(c.level)} (${c.weight > 0 ? '+' : ''}${c.weight})`)
          .join(' · ')}
        {d.transposedNames && ' · given and family names swapped'}
      </p>
      {open && (
        <div className="section">
          <div className="field">
            <label htmlFor="pair-note">Reason (required to merge)</label>
            <input id="pair-note" value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} />
          </div>
          {confirm ? (
            <div className="confirm" role="group" aria-label="Confirm merge">
              <span className="small">
                Merge {confirm.merged.mrn} into {confirm.survivor.mrn}? Its encounters, identifiers, names, insurance and next of kin move;
                its MRN stays as an alias. You can undo this.
                {note.trim().length < 5 && <strong> Give the reason for the merge above (at least 5 characters).</strong>}
              </span>
              <button
                type="button"
                className="btn btn-small btn-danger"
                disabled={busy || note.trim().length < 5}
                title={note.trim().length < 5 ? 'Give the reason for the merge first' : undefined}
                onClick={() =>
                  void act(
                    () => mpiApi.merge(confirm.survivor.id, confirm.merged.id, note),
                    `Merged ${confirm.merged.mrn} into ${confirm.survivor.mrn}.`,
                  )
                }
              >
                Merge
              </button>
              <button type="button" className="btn btn-small" onClick={() => setConfirm(null)}>
                Cancel
              </button>
            </div>
          ) : (
            <div className="row">
              <button type="button" className="btn" disabled={busy} onClick={() => setConfirm({ survivor: d.left, merged: d.right })}>
                Keep A, merge B into it
              </button>
              <button type="button" className="btn" disabled={busy} onClick={() => setConfirm({ survivor: d.right, merged: d.left })}>
                Keep B, merge A into it
              </button>
              <button
                type="button"
                className="btn"
                disabled={busy}
                onClick={() => void act(() => mpiApi.notDuplicate(id, note), 'Marked as two different people.')}
              >
                Not a duplicate
              </button>
            </div>
          )}
        </div>
      )}
    </section>
  );
}

/** A record in the merge history: its MRN and name, linking to its summary. */
function RecordLink({ id, mrn, name }: { id: string; mrn: string | null | undefined; name: string | null | undefined }) {
  return (
    <Link to={`/patients/${id}`}>
      {mrn ?? 'record'}
      {name ? ` · ${name}` : ''}
    </Link>
  );
}
