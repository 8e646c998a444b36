import { dotted, type Feedback } from '../coding-api.js';
import { Loading } from '../components/Messages.js';

/** The live panel beside the codes: working MS-DRG and why, what blocks final coding, edits and reminders, what-if. */
export function FeedbackPanel({ feedback }: { feedback: Feedback | null }) {
  if (!feedback)
    return (
      <aside className="section feedback">
        <Loading label="Grouping…" />
      </aside>
    );
  const x = feedback.drg?.explanation;
  const warnings = [
    ...feedback.issues.filter((i) => i.severity !== 'error').map((i) => i.message),
    ...feedback.findings.filter((f) => f.severity !== 'error').map((f) => f.message),
    ...(feedback.mce?.edits.filter((e) => !e.blocking).map((e) => `Medicare Code Editor: ${e.name}`) ?? []),
  ];
  return (
    <aside className="section feedback" aria-labelledby="drg-h" aria-live="polite">
      <h2 id="drg-h">Working MS-DRG</h2>
      {feedback.drg ? (
        <div className="card" data-testid="working-drg">
          <div>
            <strong className="drg-number">{feedback.drg.drg}</strong> {feedback.drg.title}
          </div>
          <div className="small muted">
            MDC {feedback.drg.mdc} {feedback.drg.mdcTitle} · {feedback.drg.severity} · grouper v{feedback.drg.grouperVersion}
          </div>
          {x && (
            <ul className="small">
              {x.mdcReason && <li>{x.mdcReason}</li>}
              {x.drgRule?.formula && <li>DRG rule: {x.drgRule.formula}</li>}
              {x.drgRule?.step && <li>{x.drgRule.step}</li>}
              {x.secondaryDx
                ?.filter((s) => s.flag !== 'NON_CC' || s.reason !== 'not a CC or MCC')
                .map((s) => (
                  <li key={s.code}>
                    {dotted(s.code)}: {s.flag} — {s.reason}
                  </li>
                ))}
              {x.hac?.map((h) => (
                <li key={h.code}>
                  HAC {h.hac}: {dotted(h.code)} POA {h.poa} — {h.effect}
                </li>
              ))}
            </ul>
          )}
        </div>
      ) : (
        <p className="muted" data-testid="working-drg">
          {feedback.drgNote}
        </p>
      )}
      {feedback.blocking.length > 0 && (
        <div className="msg msg-error" data-testid="blocking">
          <strong>Blocks final coding</strong>
          <ul>
            {feedback.blocking.map((b, i) => (
              <li key={i}>{b}</li>
            ))}
          </ul>
        </div>
      )}
      {warnings.length > 0 && (
        <div className="msg msg-warning">
          <strong>Edits and reminders</strong>
          <ul>
            {warnings.map((w, i) => (
              <li key={i}>{w}</li>
            ))}
          </ul>
        </div>
      )}
      {feedback.whatIf.length > 0 && (
        <>
          <h3>What-if impact</h3>
          <p className="small muted">
            Codes that change the DRG if removed — documentation that matters, never a reason to add unsupported codes.
          </p>
          <ul className="small" data-testid="what-if">
            {feedback.whatIf.map((w) => (
              <li key={w.change}>
                Without {dotted(w.code)}: {w.drg} {w.title}
              </li>
            ))}
          </ul>
        </>
      )}
      {feedback.codeSetRelease && <p className="small muted">{feedback.codeSetRelease}</p>}
      {feedback.codeSetSources && feedback.codeSetSources.notes.length > 0 && (
        <p className="small muted" data-testid="notes-sources">
          Instructional notes: {feedback.codeSetSources.notes.join('; ')}
        </p>
      )}
    </aside>
  );
}
