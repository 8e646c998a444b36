import { useState, type SubmitEvent } from 'react';
import { api, ApiError } from '../api.js';
import { ErrorMessage, FieldError, formLevelError, describedBy } from '../components/Messages.js';
import { useRouter } from '../router.js';

export const minReasonLength = 10;

/**
 * Emergency access to a restricted record (HIPAA 164.312(a)(2)(ii)): the user states why, the access is granted
 * for a few hours, audited, and listed for review by the privacy officer.
 */
export function BreakGlassPanel({ patientId, onGranted }: { patientId: string; onGranted: () => void }) {
  const { navigate } = useRouter();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const tooShort = reason.trim().length < minReasonLength;

  async function submit(e: SubmitEvent) {
    e.preventDefault();
    if (tooShort) {
      setError(new Error(`Give a reason of at least ${minReasonLength} characters.`));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api.breakGlass(patientId, reason.trim());
      onGranted();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const fe = error instanceof ApiError ? error.fieldErrors : {};
  return (
    <section className="break-glass" aria-labelledby="bg-title">
      <h1 id="bg-title">Restricted record</h1>
      <p className="bg-warning">
        This record is restricted (for example a VIP or an employee). Open it only if your work needs it now. Your name, the time and your
        reason are recorded, and the privacy officer reviews every emergency access.
      </p>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <div className="field">
          <label htmlFor="bg-reason">Reason for access (required, at least {minReasonLength} characters)</label>
          <textarea
            id="bg-reason"
            rows={3}
            maxLength={500}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            aria-describedby={describedBy('bg-reason-help', fe.reason && 'bg-reason-err')}
            aria-invalid={fe.reason ? true : undefined}
            required
          />
          <div className="help" id="bg-reason-help">
            {reason.trim().length}/{minReasonLength} characters minimum. Example: “Coding review of the current inpatient account”.
          </div>
          <FieldError id="bg-reason-err" message={fe.reason} />
        </div>
        <div aria-live="assertive">
          <ErrorMessage error={formLevelError(error, ['reason'])} />
        </div>
        <div className="form-actions row">
          <button type="submit" className="btn btn-danger" disabled={busy || tooShort}>
            {busy ? 'Recording…' : 'Break the glass and open the record'}
          </button>
          <button type="button" className="btn" onClick={() => navigate('/patients')}>
            Back to patient search
          </button>
        </div>
      </form>
    </section>
  );
}
