import { useState, type ReactNode, type SyntheticEvent } from 'react';
import { todayLocal } from '../record-life-api.js';
import { roiApi, type RoiAuthorizationForm as Form, type RoiRequestView } from '../roi-api.js';

type Act = (f: () => Promise<unknown>, text: string) => (e?: SyntheticEvent) => Promise<void>;

const fromView = (a: Record<string, unknown> | null): Form => (a ? a : { statements: {} });
const blank = (s: string) => (s.trim() === '' ? null : s);

function Check({ id, label, checked, onChange }: { id: string; label: ReactNode; checked: boolean; onChange: (v: boolean) => void }) {
  return (
    <label htmlFor={id} className="block small">
      <input id={id} type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} /> {label}
    </label>
  );
}

function Text({
  id,
  label,
  value,
  onChange,
  type,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  type?: string;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} type={type ?? 'text'} value={value} onChange={(e) => onChange(e.target.value)} />
    </div>
  );
}

/**
 * The 164.508 authorization as read from the paper form, field by field (what the check evaluates: the core elements
 * of (c)(1), the statements of (c)(2), plain language (c)(3), psychotherapy notes and Part 2 (42 CFR 2.31)). Saving
 * records it on the request and checks it as of today; the page then shows the defects and the blockers.
 */
export function RoiAuthorizationForm({ r, act }: { r: RoiRequestView; act: Act }) {
  const [f, setF] = useState<Form>(() => fromView(r.authorization));
  const set = (p: Partial<Form>) => setF({ ...f, ...p });
  const st = f.statements ?? {};
  const setSt = (p: Partial<NonNullable<Form['statements']>>) => set({ statements: { ...st, ...p } });
  return (
    <form
      aria-label="Authorization form"
      onSubmit={(e) => void act(() => roiApi.authorize(r.id, f), 'Authorization recorded and checked.')(e)}
    >
      <fieldset>
        <legend>Authorization as read from the form (45 CFR 164.508(c))</legend>
        <div className="field">
          <label htmlFor="auth-desc">Description of the information</label>
          <textarea id="auth-desc" value={f.description ?? ''} onChange={(e) => set({ description: blank(e.target.value) })} />
        </div>
        <div className="form-row">
          <Text id="auth-discloser" label="Who may disclose" value={f.discloser ?? ''} onChange={(v) => set({ discloser: blank(v) })} />
          <Text id="auth-recipient" label="Recipient" value={f.recipient ?? ''} onChange={(v) => set({ recipient: blank(v) })} />
          <Text id="auth-purpose" label="Purpose" value={f.purpose ?? ''} onChange={(v) => set({ purpose: blank(v) })} />
        </div>
        <Check
          id="auth-initiated"
          label="Initiated by the patient"
          checked={f.initiatedByPatient === true}
          onChange={(v) => set({ initiatedByPatient: v })}
        />
        <div className="form-row">
          <Text
            id="auth-exp-date"
            type="date"
            label="Expiration date"
            value={f.expirationDate ?? ''}
            onChange={(v) => set({ expirationDate: blank(v) })}
          />
          <Text
            id="auth-exp-event"
            label="Expiration event"
            value={f.expirationEvent ?? ''}
            onChange={(v) => set({ expirationEvent: blank(v) })}
          />
          <div className="field">
            <label htmlFor="auth-signed-by">Signed by</label>
            <select
              id="auth-signed-by"
              value={f.signedBy ?? ''}
              onChange={(e) => set({ signedBy: e.target.value === '' ? null : (e.target.value as 'patient' | 'representative') })}
            >
              <option value="">Not signed</option>
              <option value="patient">The patient</option>
              <option value="representative">A personal representative</option>
            </select>
          </div>
          <Text
            id="auth-sig-date"
            type="date"
            label="Signature date"
            value={f.signatureDate ?? ''}
            onChange={(v) => set({ signatureDate: blank(v) })}
          />
          <Text
            id="auth-rep"
            label="Representative's authority"
            value={f.representativeAuthority ?? ''}
            onChange={(v) => set({ representativeAuthority: blank(v) })}
          />
        </div>
        <Check
          id="auth-revoke"
          label="States the right to revoke"
          checked={st.rightToRevoke === true}
          onChange={(v) => setSt({ rightToRevoke: v })}
        />
        <Check
          id="auth-revoke-how"
          label="Says how to revoke (or refers to the notice of privacy practices)"
          checked={st.revocationHowTo === true}
          onChange={(v) => setSt({ revocationHowTo: v })}
        />
        <Check
          id="auth-conditioning"
          label="States that treatment or payment is not conditioned on signing"
          checked={st.conditioning === true}
          onChange={(v) => setSt({ conditioning: v })}
        />
        <Check
          id="auth-redisclosure"
          label="Warns of redisclosure by the recipient"
          checked={st.redisclosure === true}
          onChange={(v) => setSt({ redisclosure: v })}
        />
        <Check
          id="auth-plain"
          label="Written in plain language"
          checked={f.plainLanguage === true}
          onChange={(v) => set({ plainLanguage: v })}
        />
        <Check
          id="auth-psy"
          label="Covers psychotherapy notes"
          checked={f.psychotherapyNotes === true}
          onChange={(v) => set({ psychotherapyNotes: v })}
        />
        <Check id="auth-part2" label="Part 2 consent (42 CFR 2.31)" checked={f.part2 === true} onChange={(v) => set({ part2: v })} />
        {f.part2 === true && (
          <Text
            id="auth-sud"
            label="How much and what kind of SUD information"
            value={f.part2SudDescription ?? ''}
            onChange={(v) => set({ part2SudDescription: blank(v) })}
          />
        )}
        <button className="btn" type="submit">
          Check and save the authorization
        </button>
      </fieldset>
    </form>
  );
}

/** The patient's written revocation (164.508(b)(5)): a pending release stops; one already made stands. */
export function RoiRevocationForm({ r, act }: { r: RoiRequestView; act: Act }) {
  const [on, setOn] = useState(todayLocal());
  return (
    <form
      aria-label="Revocation"
      className="form-row"
      onSubmit={(e) => void act(() => roiApi.revoke(r.id, { revokedOn: on }), 'Revocation recorded: the release is stopped.')(e)}
    >
      <div className="field">
        <label htmlFor="roi-revoked-on">Revoked in writing on</label>
        <input id="roi-revoked-on" type="date" required value={on} onChange={(e) => setOn(e.target.value)} />
      </div>
      <button className="btn" type="submit">
        Record the revocation
      </button>
    </form>
  );
}
