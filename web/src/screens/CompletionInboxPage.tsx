import { useCallback, useEffect, useState, type SyntheticEvent } from 'react';
import { completionApi, type InboxItem } from '../completion-api.js';
import { ErrorMessage, Loading, Notice } from '../components/Messages.js';
import { formatDate } from '../format.js';
import { Link } from '../router.js';
import { usePageTitle } from './StaticPages.js';
import '../charts.css';

const signable = new Set(['unsigned', 'cosignature', 'verbal_order']);
const ATTESTATION = 'I have reviewed this document and authenticate it as its author (or supervising physician).';

/**
 * The physician's completion inbox: their open deficiencies across patients, oldest first, each with its document
 * to open beside it; sign a batch (attestation and password re-entered), dispute one ("not my patient"), or upload
 * the missing document in the patient's chart. Completing a deficiency updates the record's status at once.
 */
export function CompletionInboxPage() {
  usePageTitle('Completion inbox');
  const [items, setItems] = useState<InboxItem[] | null>(null);
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [viewing, setViewing] = useState<string | null>(null);

  const load = useCallback(() => completionApi.inbox().then((r) => setItems(r.items), setError), []);
  useEffect(() => {
    void load();
  }, [load]);

  const toggle = (id: string) =>
    setChosen((s) => {
      const n = new Set(s);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });
  const sign = (e: SyntheticEvent) => {
    e.preventDefault();
    completionApi.sign([...chosen], ATTESTATION, password).then(
      (r) => {
        const ok = r.results.filter((x) => x.ok).length;
        const failed = r.results.filter((x) => !x.ok);
        setNotice(`${ok} signed${failed.length ? `; ${failed.length} not signed: ${failed.map((f) => f.error).join('; ')}` : ''}.`);
        setChosen(new Set());
        setPassword('');
        setError(null);
        void load();
      },
      (err: unknown) => setError(err),
    );
  };
  const dispute = (i: InboxItem) => {
    const reason = window.prompt('Why is this not yours? (e.g. not my patient)');
    if (!reason) return;
    completionApi.dispute(i.id, reason).then(() => {
      setNotice('Disputed: the analyst will reassign or waive it.');
      void load();
    }, setError);
  };

  if (!items) return error ? <ErrorMessage error={error} /> : <Loading />;
  return (
    <section className="page">
      <h1>Completion inbox</h1>
      {notice && <Notice kind="success">{notice}</Notice>}
      <ErrorMessage error={error} />
      {items.length === 0 ? (
        <p>No open deficiencies. Your charts are complete.</p>
      ) : (
        <div className="completion-layout">
          <div>
            <table className="table" aria-label="Open deficiencies">
              <thead>
                <tr>
                  <th scope="col">Sign</th>
                  <th scope="col">Patient</th>
                  <th scope="col">Account</th>
                  <th scope="col">Deficiency</th>
                  <th scope="col">Age (days)</th>
                  <th scope="col">Due</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {items.map((i) => (
                  <tr key={i.id}>
                    <td>
                      {signable.has(i.type) && i.documentId && (
                        <input
                          type="checkbox"
                          aria-label={`Sign ${i.message} for ${i.label.patientName}`}
                          checked={chosen.has(i.id)}
                          onChange={() => toggle(i.id)}
                        />
                      )}
                    </td>
                    <td>
                      {i.label.patientName} ({i.label.mrn})
                    </td>
                    <td>{i.label.accountNumber}</td>
                    <td>
                      {i.message} <small>{i.citation}</small>
                    </td>
                    <td>{i.ageDays}</td>
                    <td>{formatDate(i.dueAt)}</td>
                    <td>
                      {i.documentId && (
                        <button type="button" onClick={() => setViewing(i.documentId)}>
                          Open document
                        </button>
                      )}{' '}
                      {i.type === 'missing_document' && <Link to={`/patients/${i.patientId}/chart`}>Upload to chart</Link>}{' '}
                      <button type="button" onClick={() => dispute(i)}>
                        Dispute
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <form onSubmit={sign} className="sign-form">
              <p>{ATTESTATION}</p>
              <label>
                Re-enter your password to sign {chosen.size} document{chosen.size === 1 ? '' : 's'}
                <input type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
              </label>
              <button type="submit" disabled={chosen.size === 0 || password === ''}>
                Sign selected
              </button>
            </form>
          </div>
          {viewing && (
            <iframe
              className="completion-document"
              title="Document"
              src={`/api/documents/${encodeURIComponent(viewing)}/versions/1/content`}
              sandbox=""
            />
          )}
        </div>
      )}
    </section>
  );
}
