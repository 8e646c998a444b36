import { useEffect, useState } from 'react';
import { codingApi, type ComplianceProblem, type QueryDraft, type QueryView } from '../coding-api.js';
import { ErrorMessage, Notice } from '../components/Messages.js';
import { formatDate } from '../format.js';

const OTHER = 'Other (please specify)';
const UNDETERMINED = 'Clinically undetermined';
const kinds = ['lab', 'vital_sign', 'finding', 'imaging', 'medication', 'treatment', 'document_excerpt'] as const;

/** Queries of the encounter and the composer: compliance is checked as you type; sending waits for a clean check. */
export function QueryPanel({
  encounterId,
  citation,
  providers,
  attendingId,
  onSent,
  beforeSend,
}: {
  encounterId: string;
  citation: string | null;
  providers: { id: string; name: string }[];
  attendingId: string | null;
  onSent: () => void;
  /** Runs before a query goes out (the abstracting page saves the codes on screen, so they are kept with it). */
  beforeSend?: () => Promise<void>;
}) {
  const [queries, setQueries] = useState<QueryView[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [composing, setComposing] = useState(false);
  const reload = () => codingApi.encounterQueries(encounterId).then((r) => setQueries(r.items), setError);
  useEffect(() => {
    void reload();
  }, [encounterId]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => {
    if (citation) setComposing(true);
  }, [citation]);

  return (
    <section className="section" aria-labelledby="queries-h">
      <h2 id="queries-h">Physician queries</h2>
      <ErrorMessage error={error} />
      {queries?.length === 0 && <p className="muted">No queries on this encounter.</p>}
      <ul className="plain-list" data-testid="encounter-queries">
        {queries?.map((q) => (
          <li key={q.id} className="card">
            <div>
              <span className={`badge ${q.status === 'answered' ? 'badge-ok' : q.status === 'open' ? 'badge-warn' : 'badge-bad'}`}>
                {q.status}
              </span>{' '}
              to {q.providerName} · sent {formatDate(q.sentAt)} · {q.daysOpen} days
            </div>
            <p>{q.question}</p>
            {q.answeredAt && (
              <p>
                <strong>Answer:</strong> {[q.answerChoice, q.answerText].filter(Boolean).join(' — ')}
                <br />
                <span className="small muted">{q.signature}</span>
              </p>
            )}
          </li>
        ))}
      </ul>
      {composing ? (
        <QueryComposer
          encounterId={encounterId}
          citation={citation}
          providers={providers}
          attendingId={attendingId}
          onCancel={() => setComposing(false)}
          {...(beforeSend ? { beforeSend } : {})}
          onSent={() => {
            setComposing(false);
            void reload();
            onSent();
          }}
        />
      ) : (
        <button type="button" className="btn" onClick={() => setComposing(true)}>
          New query
        </button>
      )}
    </section>
  );
}

function QueryComposer({
  encounterId,
  citation,
  providers,
  attendingId,
  onCancel,
  onSent,
  beforeSend,
}: {
  encounterId: string;
  citation: string | null;
  providers: { id: string; name: string }[];
  attendingId: string | null;
  onCancel: () => void;
  onSent: () => void;
  beforeSend?: () => Promise<void>;
}) {
  const [providerId, setProviderId] = useState(attendingId ?? providers[0]?.id ?? '');
  const [draft, setDraft] = useState<QueryDraft>({
    type: 'multiple_choice',
    purpose: null,
    question: '',
    options: ['', '', OTHER, UNDETERMINED],
    indicators: [],
  });
  const [problems, setProblems] = useState<ComplianceProblem[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [sending, setSending] = useState(false);

  useEffect(() => {
    if (citation) setDraft((d) => ({ ...d, indicators: [...d.indicators, { kind: 'document_excerpt', text: citation, source: null }] }));
  }, [citation]);

  const clean = (d: QueryDraft): QueryDraft => ({
    ...d,
    options: d.type === 'multiple_choice' ? d.options.map((o) => o.trim()).filter(Boolean) : [],
    indicators: d.indicators.filter((i) => i.text.trim().length > 1),
  });
  useEffect(() => {
    if (draft.question.trim().length < 10) {
      setProblems(null);
      return;
    }
    const ctl = new AbortController();
    const t = setTimeout(() => {
      codingApi.checkQuery(clean(draft), ctl.signal).then(
        (r) => setProblems(r.problems),
        (e: unknown) => {
          if (!(e instanceof DOMException && e.name === 'AbortError')) setError(e);
        },
      );
    }, 300);
    return () => {
      clearTimeout(t);
      ctl.abort();
    };
  }, [draft]);

  async function send() {
    setSending(true);
    setError(null);
    try {
      await beforeSend?.();
      await codingApi.sendQuery(encounterId, { ...clean(draft), providerId: providerId || null });
      onSent();
    } catch (e) {
      setError(e);
    } finally {
      setSending(false);
    }
  }

  const setOption = (i: number, v: string) => setDraft((d) => ({ ...d, options: d.options.map((o, j) => (j === i ? v : o)) }));
  return (
    <form
      className="card card-form"
      aria-label="Query composer"
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
    >
      <div className="form-grid">
        <label className="field">
          Physician
          <select value={providerId} onChange={(e) => setProviderId(e.target.value)}>
            {providers.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
                {p.id === attendingId ? ' (attending)' : ''}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          Query type
          <select value={draft.type} onChange={(e) => setDraft((d) => ({ ...d, type: e.target.value }))}>
            <option value="multiple_choice">Multiple choice</option>
            <option value="open_ended">Open-ended</option>
            <option value="yes_no">Yes/no</option>
          </select>
        </label>
        {draft.type === 'yes_no' && (
          <label className="field">
            Purpose (yes/no is allowed only for these)
            <select value={draft.purpose ?? ''} onChange={(e) => setDraft((d) => ({ ...d, purpose: e.target.value || null }))}>
              <option value="">Choose…</option>
              <option value="poa_determination">Present on admission</option>
              <option value="cause_and_effect">Cause and effect</option>
              <option value="conflicting_documentation">Conflicting documentation</option>
              <option value="substantiate_documented_diagnosis">Substantiate a documented diagnosis</option>
            </select>
          </label>
        )}
      </div>
      <label className="field">
        Question
        <textarea rows={3} value={draft.question} onChange={(e) => setDraft((d) => ({ ...d, question: e.target.value }))} />
      </label>
      {draft.type === 'multiple_choice' && (
        <fieldset>
          <legend>Options</legend>
          {draft.options.map((o, i) => (
            <input
              key={i}
              aria-label={`Option ${i + 1}`}
              value={o}
              onChange={(e) => setOption(i, e.target.value)}
              readOnly={o === OTHER || o === UNDETERMINED}
            />
          ))}
          <button
            type="button"
            className="btn btn-small"
            onClick={() => setDraft((d) => ({ ...d, options: [...d.options.slice(0, -2), '', ...d.options.slice(-2)] }))}
          >
            Add option
          </button>
        </fieldset>
      )}
      <fieldset>
        <legend>Clinical indicators</legend>
        {draft.indicators.map((ind, i) => (
          <div key={i} className="row">
            <select
              aria-label={`Indicator ${i + 1} kind`}
              value={ind.kind}
              onChange={(e) =>
                setDraft((d) => ({ ...d, indicators: d.indicators.map((x, j) => (j === i ? { ...x, kind: e.target.value } : x)) }))
              }
            >
              {kinds.map((k) => (
                <option key={k} value={k}>
                  {k.replace('_', ' ')}
                </option>
              ))}
            </select>
            <input
              className="field-grow"
              aria-label={`Indicator ${i + 1}`}
              value={ind.text}
              onChange={(e) =>
                setDraft((d) => ({ ...d, indicators: d.indicators.map((x, j) => (j === i ? { ...x, text: e.target.value } : x)) }))
              }
            />
            <button
              type="button"
              className="btn btn-small btn-quiet"
              onClick={() => setDraft((d) => ({ ...d, indicators: d.indicators.filter((_, j) => j !== i) }))}
            >
              Remove
            </button>
          </div>
        ))}
        <button
          type="button"
          className="btn btn-small"
          onClick={() => setDraft((d) => ({ ...d, indicators: [...d.indicators, { kind: 'lab', text: '', source: null }] }))}
        >
          Add indicator
        </button>
      </fieldset>
      <div aria-live="polite" data-testid="compliance">
        {problems && problems.length === 0 && <Notice kind="success">Compliant: no leading or financial wording, indicators cited.</Notice>}
        {problems && problems.length > 0 && (
          <div className="msg msg-warning">
            <strong>Fix before sending:</strong>
            <ul>
              {problems.map((p, i) => (
                <li key={i}>
                  {p.phrase ? <mark>{p.phrase}</mark> : null} {p.message}
                </li>
              ))}
            </ul>
          </div>
        )}
      </div>
      <ErrorMessage error={error} />
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={sending || !problems || problems.length > 0}>
          Send query
        </button>
        <button type="button" className="btn btn-quiet" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
