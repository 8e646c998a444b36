import { useRef, useState } from 'react';
import { ApiError } from '../api.js';
import { cacApi, highlightSpans, type SuggestionView, type SuggestionsResult } from '../cac-api.js';
import { dotted } from '../coding-api.js';
import { ErrorMessage, Loading, Notice } from '../components/Messages.js';
import { documentsApi } from '../documents-api.js';

/** The document a suggestion's evidence is shown in: its title, the version's text, the spans to highlight. */
interface EvidenceView {
  key: string;
  documentId: string;
  version: number;
  title: string;
  text: string;
  spans: { start: number; end: number }[];
}

const PAGE_BREAK = '\n\n';
const keyOf = (s: { system: string; code: string }) => `${s.system}|${s.code}`;

/**
 * Computer-assisted coding beside the abstract (issue 25): suggestions from the encounter's documents, ranked, each
 * with its evidence highlighted in the document's text; accept (onto the draft, as the principal when the coder says
 * so) or reject with a reason. Suggestions are asked for, not loaded with the page: each asks reads every document
 * of the encounter (audited reads).
 */
export function CacPanel({
  encounterId,
  writable,
  inpatient,
  beforeDecide,
  onAccepted,
}: {
  encounterId: string;
  writable: boolean;
  inpatient: boolean;
  /** Saves the coder's unsaved codes first and answers the abstract's version the acceptance must build on. */
  beforeDecide: () => Promise<number>;
  /** The abstract changed on the server (a code accepted): reload it. */
  onAccepted: (message: string) => void;
}) {
  const [result, setResult] = useState<SuggestionsResult | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [evidence, setEvidence] = useState<EvidenceView | null>(null);
  const [rejecting, setRejecting] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const titles = useRef(new Map<string, string>());
  const viewer = useRef<HTMLDivElement>(null);

  async function load() {
    setLoading(true);
    setError(null);
    try {
      setResult(await cacApi.suggestions(encounterId, { system: 'both', limit: 20 }));
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  }

  async function showEvidence(s: SuggestionView, index = 0) {
    const first = s.evidence[index];
    if (!first) return;
    setError(null);
    try {
      const pages = await documentsApi.pages(first.documentId, first.version);
      let title = titles.current.get(first.documentId);
      if (!title) {
        const d = await documentsApi.document(first.documentId);
        title = d.title;
        titles.current.set(first.documentId, title);
      }
      const spans = s.evidence.filter((e) => e.documentId === first.documentId && e.version === first.version);
      setEvidence({
        key: keyOf(s),
        documentId: first.documentId,
        version: first.version,
        title,
        text: pages.items.map((p) => p.text).join(PAGE_BREAK),
        spans,
      });
      // The first highlighted words in view once drawn.
      requestAnimationFrame(() => viewer.current?.querySelector('mark')?.scrollIntoView({ block: 'center' }));
    } catch (e) {
      setError(e);
    }
  }

  async function decide(s: SuggestionView, kind: 'accept' | 'principal' | 'reject') {
    setBusy(true);
    setError(null);
    try {
      if (kind === 'reject') {
        await cacApi.reject(encounterId, { code: s.code, system: s.system, reason: reason.trim() });
        setRejecting(null);
        setReason('');
      } else {
        const expectedVersion = await beforeDecide();
        const r = await cacApi.accept(encounterId, {
          code: s.code,
          system: s.system,
          as: kind === 'principal' ? 'principal' : 'secondary',
          expectedVersion,
        });
        onAccepted(
          `${dotted(s.code)} accepted${kind === 'principal' ? ' as the principal diagnosis' : ''}` +
            `${r.workingDrg ? `; working MS-DRG ${r.workingDrg}` : ''}.`,
        );
      }
      await load();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  const notReady = error instanceof ApiError && error.code === 'precondition_failed';
  return (
    <section className="section cac" aria-labelledby="cac-h">
      <h2 id="cac-h">Code suggestions</h2>
      <p className="small muted">
        Suggested from the text of this encounter&apos;s documents. Each suggestion shows the words behind it; accept only what the record
        supports.
      </p>
      <button type="button" className="btn" onClick={() => void load()} disabled={loading}>
        {result ? 'Suggest again' : 'Suggest codes'}
      </button>
      {loading && <Loading label="Reading the documents…" />}
      {notReady ? (
        <Notice kind="warning">Code suggestions are not ready yet: {error.message} Try again in a minute.</Notice>
      ) : (
        <ErrorMessage error={error} />
      )}
      {result && (
        <>
          <p className="small" data-testid="cac-summary">
            {result.suggestions.length} suggestion{result.suggestions.length === 1 ? '' : 's'} from {result.documents.length} document
            {result.documents.length === 1 ? '' : 's'} ({result.setting}
            {result.setting === 'inpatient' ? ': uncertain diagnoses at discharge coded as established, Guidelines II.H' : ''})
            {result.skipped.length > 0 && ` · ${result.skipped.length} not read: ${result.skipped.map((x) => x.reason).join('; ')}`}
          </p>
          <div className="cac-grid">
            <table className="table cac-list">
              <caption className="sr-only">Suggested codes, best first</caption>
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">Code</th>
                  <th scope="col">Why</th>
                  <th scope="col">Decision</th>
                </tr>
              </thead>
              <tbody>
                {result.suggestions.map((s) => {
                  const k = keyOf(s);
                  return (
                    <tr key={k} className={evidence?.key === k ? 'selected' : undefined} data-code={s.code}>
                      <td>{s.rank}</td>
                      <td>
                        <strong>{dotted(s.code)}</strong> <span className="small muted">{s.system === 'pcs' ? 'PCS' : 'CM'}</span>
                        {s.title && <div className="small">{s.title}</div>}
                        <div className="small muted">
                          score {Math.round(s.score * 100)}%
                          {s.tuning &&
                            ` (engine ${Math.round(s.engineScore * 100)}%; coders accepted ${s.tuning.accepted} of ${s.tuning.accepted + s.tuning.rejected})`}
                        </div>
                        {s.uncertain && <span className="badge badge-warn">uncertain</span>}
                        {result.principalSuggestion === s.code && s.system === 'cm' && (
                          <span className="badge badge-dark" title="The best-ranked diagnosis the code editor accepts as principal">
                            suggested principal
                          </span>
                        )}
                      </td>
                      <td className="small">
                        {s.why.slice(0, 2).map((w) => (
                          <div key={`${w.source}|${w.term}`}>
                            {w.source}: {w.term}
                          </div>
                        ))}
                        {s.evidence.length > 0 && (
                          <button type="button" className="btn btn-small btn-quiet" onClick={() => void showEvidence(s)}>
                            Show evidence for {dotted(s.code)}
                          </button>
                        )}
                      </td>
                      <td>
                        {s.onAbstract ? (
                          <span className="badge badge-ok">on the abstract</span>
                        ) : s.decided?.decision === 'rejected' ? (
                          <span className="small">
                            rejected by {s.decided.by}: {s.decided.reason}
                          </span>
                        ) : null}
                        {writable && !s.onAbstract && rejecting !== k && (
                          <div className="row">
                            <button type="button" className="btn btn-small" disabled={busy} onClick={() => void decide(s, 'accept')}>
                              Accept {dotted(s.code)}
                            </button>
                            {inpatient && s.system === 'cm' && (
                              <button
                                type="button"
                                className="btn btn-small btn-quiet"
                                disabled={busy}
                                onClick={() => void decide(s, 'principal')}
                              >
                                As principal
                              </button>
                            )}
                            {s.decided?.decision !== 'rejected' && (
                              <button type="button" className="btn btn-small btn-quiet" disabled={busy} onClick={() => setRejecting(k)}>
                                Reject {dotted(s.code)}
                              </button>
                            )}
                          </div>
                        )}
                        {rejecting === k && (
                          <form
                            className="row"
                            onSubmit={(ev) => {
                              ev.preventDefault();
                              void decide(s, 'reject');
                            }}
                          >
                            <label className="field field-grow">
                              Reason for rejecting {dotted(s.code)}
                              <input value={reason} onChange={(ev) => setReason(ev.target.value)} maxLength={500} />
                            </label>
                            <button type="submit" className="btn btn-small" disabled={busy || reason.trim().length < 3}>
                              Reject
                            </button>
                            <button type="button" className="btn btn-small btn-quiet" onClick={() => setRejecting(null)}>
                              Cancel
                            </button>
                          </form>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            <div className="cac-evidence" aria-live="polite">
              {evidence ? (
                <>
                  <h3>
                    Evidence for {dotted(evidence.key.split('|')[1] ?? '')} in {evidence.title}{' '}
                    <span className="small muted">version {evidence.version}</span>
                  </h3>
                  <div
                    className="wrap cac-text"
                    ref={viewer}
                    tabIndex={0}
                    aria-label={`Text of ${evidence.title}`}
                    data-testid="cac-evidence-text"
                  >
                    {highlightSpans(evidence.text, evidence.spans).map((part, i) =>
                      part.mark ? <mark key={i}>{part.text}</mark> : <span key={i}>{part.text}</span>,
                    )}
                  </div>
                </>
              ) : (
                <p className="muted small">Choose “Show evidence” to see the words behind a suggestion in its document.</p>
              )}
            </div>
          </div>
        </>
      )}
    </section>
  );
}
