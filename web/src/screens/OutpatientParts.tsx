import type { RefObject } from 'react';
import { EM_CATEGORIES, MDM_LEVELS, type EmCategory, type EmChoice, type MdmLevel, type OutpatientCheck } from '../outpatient-api.js';
import type { LineDraft } from '../outpatient-lines.js';

/** The service-line table: code, four modifier boxes, units, date, diagnosis pointers, revenue code, charge. */
export function ServiceLinesTable({
  lines,
  facility,
  titles,
  onChange,
  onRemove,
  firstCodeRef,
}: {
  lines: LineDraft[];
  facility: boolean;
  titles: string[];
  onChange: (i: number, l: LineDraft) => void;
  onRemove: (i: number) => void;
  /** The code box of the last line, focused when a line is added. */
  firstCodeRef: RefObject<HTMLInputElement | null>;
}) {
  if (lines.length === 0) return <p className="muted">No service line yet.</p>;
  return (
    <table className="data-table outpatient-lines" data-testid="service-lines">
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">Code</th>
          <th scope="col">Modifiers</th>
          <th scope="col">Units</th>
          <th scope="col">Date of service</th>
          <th scope="col">Pointers</th>
          {facility && <th scope="col">Revenue code</th>}
          <th scope="col">Charge</th>
          <th scope="col">
            <span className="sr-only">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {lines.map((l, i) => {
          const n = i + 1;
          const set = (over: Partial<LineDraft>) => onChange(i, { ...l, ...over });
          return (
            <tr key={i}>
              <td>{n}</td>
              <td>
                <input
                  ref={i === lines.length - 1 ? firstCodeRef : undefined}
                  aria-label={`Code, line ${n}`}
                  className="input-code"
                  size={6}
                  maxLength={5}
                  value={l.code}
                  onChange={(e) => set({ code: e.target.value.toUpperCase() })}
                />
                {titles[i] && <div className="small muted">{titles[i]}</div>}
              </td>
              <td className="nowrap">
                {l.mods.map((m, k) => (
                  <input
                    key={k}
                    aria-label={`Modifier ${k + 1}, line ${n}`}
                    className="input-modifier"
                    size={2}
                    maxLength={2}
                    value={m}
                    onChange={(e) => {
                      const mods = [...l.mods] as LineDraft['mods'];
                      mods[k] = e.target.value.toUpperCase();
                      set({ mods });
                    }}
                  />
                ))}
              </td>
              <td>
                <input
                  aria-label={`Units, line ${n}`}
                  inputMode="numeric"
                  size={3}
                  value={l.units}
                  onChange={(e) => set({ units: e.target.value })}
                />
              </td>
              <td>
                <input
                  aria-label={`Date of service, line ${n}`}
                  type="date"
                  value={l.date}
                  onChange={(e) => set({ date: e.target.value })}
                />
              </td>
              <td>
                <input
                  aria-label={`Diagnosis pointers, line ${n}`}
                  size={6}
                  value={l.pointers}
                  onChange={(e) => set({ pointers: e.target.value })}
                />
              </td>
              {facility && (
                <td>
                  <input
                    aria-label={`Revenue code, line ${n}`}
                    inputMode="numeric"
                    size={4}
                    maxLength={4}
                    value={l.revenueCode}
                    onChange={(e) => set({ revenueCode: e.target.value })}
                  />
                </td>
              )}
              <td>
                <input
                  aria-label={`Charge, line ${n}`}
                  inputMode="decimal"
                  size={7}
                  value={l.charge}
                  onChange={(e) => set({ charge: e.target.value })}
                />
              </td>
              <td>
                <button type="button" className="btn btn-small btn-quiet" onClick={() => onRemove(i)} aria-label={`Remove line ${n}`}>
                  Remove
                </button>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** The E/M helper's inputs: category, basis, the three MDM elements or the total time. */
export interface EmWork {
  category: EmCategory;
  basis: 'mdm' | 'time';
  problems: MdmLevel | '';
  data: MdmLevel | '';
  risk: MdmLevel | '';
  minutes: string;
}

export function emWorkOf(em: EmChoice | null, category: EmCategory): EmWork {
  return {
    category: em?.category ?? category,
    basis: em?.basis ?? 'mdm',
    problems: em?.problems ?? '',
    data: em?.data ?? '',
    risk: em?.risk ?? '',
    minutes: em?.totalMinutes === null || em?.totalMinutes === undefined ? '' : String(em.totalMinutes),
  };
}

function MdmSelect({ label, value, onChange }: { label: string; value: MdmLevel | ''; onChange: (v: MdmLevel | '') => void }) {
  return (
    <label className="field">
      {label}
      <select value={value} onChange={(e) => onChange(e.target.value as MdmLevel | '')}>
        <option value="">not recorded</option>
        {MDM_LEVELS.map((l) => (
          <option key={l} value={l}>
            {l === 'straightforward' ? 'straightforward / minimal' : l}
          </option>
        ))}
      </select>
    </label>
  );
}

/** E/M level from MDM elements or time, with the reasons; "Use" records the level and its line. */
export function EmHelper({
  work,
  onChange,
  suggestion,
  chosen,
  onUse,
  disabled,
  selectRef,
}: {
  /** The category box, for the page's Alt+E. */
  selectRef: RefObject<HTMLSelectElement | null>;
  work: EmWork;
  onChange: (w: EmWork) => void;
  suggestion: OutpatientCheck['em'];
  chosen: EmChoice | null;
  onUse: (code: string) => void;
  disabled: boolean;
}) {
  const set = (over: Partial<EmWork>) => onChange({ ...work, ...over });
  return (
    <fieldset disabled={disabled} className="em-helper">
      <legend>E/M level</legend>
      <label className="field">
        Category
        <select ref={selectRef} value={work.category} onChange={(e) => set({ category: e.target.value as EmCategory })}>
          {EM_CATEGORIES.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </select>
      </label>
      <fieldset className="inline-choices">
        <legend>Basis</legend>
        <label>
          <input type="radio" name="em-basis" checked={work.basis === 'mdm'} onChange={() => set({ basis: 'mdm' })} /> Medical decision
          making
        </label>
        <label>
          <input type="radio" name="em-basis" checked={work.basis === 'time'} onChange={() => set({ basis: 'time' })} /> Total time
        </label>
      </fieldset>
      {work.basis === 'mdm' ? (
        <div className="field-row">
          <MdmSelect label="Problems addressed" value={work.problems} onChange={(problems) => set({ problems })} />
          <MdmSelect label="Data reviewed and analysed" value={work.data} onChange={(data) => set({ data })} />
          <MdmSelect label="Risk of management" value={work.risk} onChange={(risk) => set({ risk })} />
        </div>
      ) : (
        <label className="field">
          Total minutes on the date
          <input inputMode="numeric" size={4} value={work.minutes} onChange={(e) => set({ minutes: e.target.value })} />
        </label>
      )}
      <div data-testid="em-suggestion" aria-live="polite">
        {suggestion ? (
          <>
            <p>
              {suggestion.code ? (
                <>
                  Supported: <strong>{suggestion.code}</strong>
                </>
              ) : (
                'No level supported yet.'
              )}{' '}
              {chosen && (
                <span>
                  · chosen: <strong>{chosen.code}</strong> ({chosen.basis === 'mdm' ? 'MDM' : 'time'})
                </span>
              )}
            </p>
            <ul className="small">
              {suggestion.reasons.map((r) => (
                <li key={r}>{r}</li>
              ))}
            </ul>
            <p className="small muted">{suggestion.citation}</p>
            {suggestion.code && (
              <button type="button" className="btn btn-small" onClick={() => onUse(suggestion.code!)}>
                Use {suggestion.code}
              </button>
            )}
          </>
        ) : (
          <p className="muted">Record the elements to see the level they support.</p>
        )}
      </div>
    </fieldset>
  );
}

/** The outpatient edits of the codes on screen; licensed tables not imported are said to be not loaded. */
export function OutpatientEdits({ check, pending }: { check: OutpatientCheck | null; pending: string | null }) {
  if (pending) return <p className="muted">Not checked yet: {pending}.</p>;
  if (!check) return <p className="muted">Checking…</p>;
  const items = [
    ...check.findings.map((f) => ({
      severity: f.severity,
      text: `${f.line !== undefined ? `Line ${f.line + 1}: ` : ''}${f.message}`,
      cite: f.citation,
    })),
    ...check.ptp.conflicts.map((c) => ({
      severity: c.bypassed ? 'info' : 'error',
      text: `NCCI PTP: ${c.column2} (line ${c.column2Line + 1}) with ${c.column1} (line ${c.column1Line + 1})${c.bypassed ? ' — bypassed by a modifier' : c.modifierIndicator === '1' ? ' — a modifier may bypass it when documented' : ' — no modifier bypasses it'}`,
      cite: 'NCCI Policy Manual ch. I',
    })),
    ...check.mue.excess.map((m) => ({
      severity: m.indicator === '3' ? 'warning' : 'error',
      text: `MUE: ${m.units} units of ${m.code} on ${m.dateOfService} exceed ${m.mue}`,
      cite: 'CMS MUE program',
    })),
  ];
  return (
    <div data-testid="outpatient-edits">
      {items.length === 0 ? (
        <p>No edits on these codes.</p>
      ) : (
        <ul className="edits-list">
          {items.map((x, i) => (
            <li key={i} className={`edit edit-${x.severity}`}>
              <strong>{x.severity}</strong> {x.text} <span className="small muted">({x.cite})</span>
            </li>
          ))}
        </ul>
      )}
      <p className="small muted">
        NCCI PTP {check.ptp.loaded ? 'loaded' : 'not loaded'} · MUE {check.mue.loaded ? 'loaded' : 'not loaded'}
        {check.side === 'facility' && ` · OPPS Addendum B ${check.opps.loaded ? 'loaded' : 'not loaded'}`}
      </p>
    </div>
  );
}
