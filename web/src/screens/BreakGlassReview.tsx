import { useCallback, useEffect, useState } from 'react';
import { api, type BreakGlassGrant } from '../api.js';
import { ErrorMessage, Loading } from '../components/Messages.js';
import { formatDateTime } from '../format.js';
import { Link } from '../router.js';

/** Emergency accesses waiting for the privacy officer's review (HIPAA 164.312(a)(2)(ii), 164.308(a)(1)(ii)(D)). */
export function BreakGlassReview() {
  const [all, setAll] = useState(false);
  const [items, setItems] = useState<BreakGlassGrant[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notes, setNotes] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState<string | null>(null);

  const load = useCallback(async () => {
    setError(null);
    try {
      setItems((await api.breakGlassGrants(!all)).items);
    } catch (err) {
      setError(err);
    }
  }, [all]);
  useEffect(() => {
    void load();
  }, [load]);

  async function review(id: string) {
    setSaving(id);
    setError(null);
    try {
      await api.reviewBreakGlass(id, notes[id] ?? '');
      await load();
    } catch (err) {
      setError(err);
    } finally {
      setSaving(null);
    }
  }

  return (
    <section className="card review-panel" aria-labelledby="bg-review-h">
      <div className="page-head">
        <h2 id="bg-review-h">Break-the-glass review</h2>
        <label className="check">
          <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} /> Include reviewed
        </label>
      </div>
      <div aria-live="polite">
        <ErrorMessage error={error} />
      </div>
      {!items && !error && <Loading />}
      {items && items.length === 0 && (
        <p className="muted">{all ? 'No emergency accesses recorded.' : 'No emergency accesses wait for review.'}</p>
      )}
      {items && items.length > 0 && (
        <div className="table-scroll">
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">Granted</th>
                <th scope="col">User</th>
                <th scope="col">MRN</th>
                <th scope="col">Reason given</th>
                <th scope="col">Expires</th>
                <th scope="col">Review</th>
              </tr>
            </thead>
            <tbody>
              {items.map((g) => (
                <tr key={g.id}>
                  <td className="nowrap">{formatDateTime(g.grantedAt)}</td>
                  <td>{g.username}</td>
                  <td className="mono">
                    <Link to={`/audit?patientId=${encodeURIComponent(g.patientId)}`} title="Audit events for this patient">
                      {g.mrn}
                    </Link>
                  </td>
                  <td className="reason-cell">{g.reason}</td>
                  <td className="nowrap">{formatDateTime(g.expiresAt)}</td>
                  <td>
                    {g.reviewedAt ? (
                      <span className="small">
                        Reviewed {formatDateTime(g.reviewedAt)}
                        {g.reviewNote && <span className="muted"> – {g.reviewNote}</span>}
                      </span>
                    ) : (
                      <div className="row">
                        <label className="sr-only" htmlFor={`note-${g.id}`}>
                          Review note for the access by {g.username}
                        </label>
                        <input
                          id={`note-${g.id}`}
                          className="input-small"
                          placeholder="Note (optional)"
                          maxLength={1000}
                          value={notes[g.id] ?? ''}
                          onChange={(e) => setNotes((n) => ({ ...n, [g.id]: e.target.value }))}
                        />
                        <button type="button" className="btn btn-small" disabled={saving === g.id} onClick={() => void review(g.id)}>
                          Mark reviewed
                        </button>
                      </div>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
