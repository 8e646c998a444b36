import { useMemo, useState, type SubmitEvent, type KeyboardEvent } from 'react';
import { codesApi, type ValidationReport } from '../codes-api.js';
import { parseCodeList, presentFindings, severityLabels, summarizeCounts } from '../code-lookup.js';
import { CodeLookupError } from '../components/CodeLookupError.js';
import type { CodeTarget } from './CodeLookupDetails.js';

/**
 * Encounter check: the diagnoses (principal first) and procedures of one encounter against the code set in force
 * on the date — unknown or invalid codes, headers, missing 7th characters, Excludes1 pairs, code first / use
 * additional code reminders — as a list a coder can work through.
 */
export function CodeLookupCheck({
  date,
  onOpen,
  onRelease,
  onDateChange,
}: {
  date: string;
  onOpen: (t: CodeTarget) => void;
  onRelease: (r: string | null) => void;
  onDateChange: (d: string) => void;
}) {
  const [dxText, setDxText] = useState('');
  const [pxText, setPxText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [report, setReport] = useState<{ r: ValidationReport; dx: string[]; px: string[] } | null>(null);

  const dx = useMemo(() => parseCodeList(dxText), [dxText]);
  const px = useMemo(() => parseCodeList(pxText), [pxText]);

  async function submit(e?: SubmitEvent) {
    e?.preventDefault();
    if (dx.codes.length === 0 && px.codes.length === 0) {
      setError(new Error('Enter at least one diagnosis or procedure code.'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const r = await codesApi.validate({ date, diagnoses: dx.codes, procedures: px.codes });
      setReport({ r, dx: dx.codes, px: px.codes });
      onRelease([r.cmRelease, r.pcsRelease].filter(Boolean).join(' · '));
    } catch (err) {
      setError(err);
      setReport(null);
    } finally {
      setBusy(false);
    }
  }

  const ctrlEnter = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void submit();
  };

  const view = report ? presentFindings(report.r.findings, [...report.dx, ...report.px]) : null;

  return (
    <div className="encounter-check">
      <form onSubmit={(e) => void submit(e)} className="check-form">
        <div className="check-fields">
          <label className="field">
            Diagnoses (ICD-10-CM), principal first
            <textarea
              rows={6}
              value={dxText}
              onChange={(e) => setDxText(e.target.value)}
              onKeyDown={ctrlEnter}
              placeholder={'I50.23\nN17.9\nE11.22'}
              spellCheck={false}
              className="mono"
              aria-describedby="dx-parsed"
            />
            <span className="help" id="dx-parsed">
              {dx.codes.length
                ? `${dx.codes.length} ${dx.codes.length === 1 ? 'code' : 'codes'}: principal ${dx.codes[0]}`
                : 'One per line, or separated by commas.'}
              {dx.ignored.length > 0 && ` · ignored (not codes): ${dx.ignored.join(', ')}`}
            </span>
          </label>
          <label className="field">
            Procedures (ICD-10-PCS)
            <textarea
              rows={6}
              value={pxText}
              onChange={(e) => setPxText(e.target.value)}
              onKeyDown={ctrlEnter}
              placeholder="0DTJ4ZZ"
              spellCheck={false}
              className="mono"
              aria-describedby="px-parsed"
            />
            <span className="help" id="px-parsed">
              {px.codes.length ? `${px.codes.length} ${px.codes.length === 1 ? 'code' : 'codes'}` : 'Optional.'}
              {px.ignored.length > 0 && ` · ignored (not codes): ${px.ignored.join(', ')}`}
            </span>
          </label>
        </div>
        <div className="row">
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? 'Checking…' : `Check codes for ${date || 'the date'}`}
          </button>
          <span className="help">
            <kbd>Ctrl</kbd>+<kbd>Enter</kbd> checks from either box.
          </span>
        </div>
      </form>
      {error !== null && <CodeLookupError error={error} date={date} onDateChange={onDateChange} />}
      <div aria-live="polite">
        {view && report && (
          <section aria-labelledby="findings-h" className="findings" data-testid="findings">
            <h2 id="findings-h">
              {summarizeCounts(view.counts)}{' '}
              <span className="muted small heading-note">
                {report.r.cmRelease}
                {report.r.pcsRelease ? ` · ${report.r.pcsRelease}` : ''}
              </span>
            </h2>
            {view.caveats.map((c) => (
              <div key={c} className="msg msg-warning" role="note">
                <strong>Notes not from the release in force.</strong> {c}
              </div>
            ))}
            {view.items.length === 0 ? (
              <div className="msg msg-success">No problems found with these codes on {report.r.date}.</div>
            ) : (
              <ol className="finding-list">
                {view.items.map((f) => (
                  <li key={f.key} className={`finding finding-${f.severity}`}>
                    <span
                      className={`badge ${f.severity === 'error' ? 'badge-bad' : f.severity === 'warning' ? 'badge-warn' : 'badge-info'}`}
                    >
                      {severityLabels[f.severity]}
                    </span>
                    <button
                      type="button"
                      className="code-chip code-link"
                      onClick={() => onOpen({ system: f.system, code: f.code })}
                      title={`Open ${f.display}`}
                    >
                      {f.display}
                    </button>
                    {f.relatedDisplay && (
                      <>
                        <span className="muted" aria-hidden="true">
                          +
                        </span>
                        <button
                          type="button"
                          className="code-chip code-link"
                          onClick={() => onOpen({ system: f.system, code: f.relatedCode! })}
                          title={`Open ${f.relatedDisplay}`}
                        >
                          {f.relatedDisplay}
                        </button>
                      </>
                    )}
                    <span className="finding-message">
                      {f.message}
                      {f.noteSource && (
                        <span className="finding-source">
                          Note from {f.noteSource}
                          {f.noteCurrent === false && <span className="badge badge-warn notes-old">older release</span>}
                        </span>
                      )}
                    </span>
                  </li>
                ))}
              </ol>
            )}
          </section>
        )}
      </div>
    </div>
  );
}
