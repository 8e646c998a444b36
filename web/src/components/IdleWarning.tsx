import { useEffect, useRef, useState, type RefObject } from 'react';

interface Props {
  idleSeconds: number;
  /** Time (ms) of the last request the server saw: its idle timer restarts with every request. */
  lastActivity: RefObject<number>;
  onStay: () => Promise<unknown>;
  onExpired: () => void;
  onSignOut: () => void;
}

/** Seconds left before the server's idle timeout, as the warning shows them. */
export function secondsLeft(idleSeconds: number, lastActivityMs: number, nowMs: number): number {
  return Math.max(0, Math.ceil(idleSeconds - (nowMs - lastActivityMs) / 1000));
}

/** When to warn: the last minute, or the last quarter of very short timeouts. */
export function warnAt(idleSeconds: number): number {
  return Math.min(60, Math.floor(idleSeconds / 4));
}

/**
 * Automatic logoff (HIPAA 164.312(a)(2)(iii)) made visible: warns before the server's idle timeout ends the
 * session and offers to stay signed in; at zero it returns to sign-in with the inactivity message.
 */
export function IdleWarning({ idleSeconds, lastActivity, onStay, onExpired, onSignOut }: Props) {
  const [left, setLeft] = useState(() => secondsLeft(idleSeconds, lastActivity.current, Date.now()));
  const stayRef = useRef<HTMLButtonElement>(null);
  const expired = useRef(false);

  useEffect(() => {
    const t = window.setInterval(() => {
      const l = secondsLeft(idleSeconds, lastActivity.current, Date.now());
      setLeft(l);
      if (l > 0) expired.current = false;
      if (l <= 0 && !expired.current) {
        expired.current = true;
        onExpired();
      }
    }, 1000);
    return () => window.clearInterval(t);
  }, [idleSeconds, lastActivity, onExpired]);

  const open = left > 0 && left <= warnAt(idleSeconds);
  const dialogRef = useRef<HTMLDialogElement>(null);
  const returnTo = useRef<Element | null>(null);
  // A native modal dialog: the page behind it is inert and focus stays inside until the user answers; then focus
  // goes back where it was (WCAG 2.4.3), so the user carries on where they were.
  useEffect(() => {
    const d = dialogRef.current;
    if (!d) return;
    if (open && !d.open) {
      returnTo.current = document.activeElement;
      d.showModal();
      stayRef.current?.focus();
    } else if (!open && d.open) {
      d.close();
      const back = returnTo.current;
      returnTo.current = null;
      if (back instanceof HTMLElement && back.isConnected) back.focus();
    }
  }, [open]);

  const mm = Math.floor(left / 60);
  const ss = String(left % 60).padStart(2, '0');
  return (
    <dialog
      ref={dialogRef}
      className="modal"
      role="alertdialog"
      // The title and text are rendered only while open: no reference to absent elements in between.
      aria-labelledby={open ? 'idle-title' : undefined}
      aria-describedby={open ? 'idle-desc' : undefined}
      onCancel={(e) => {
        // Escape means "I am here".
        e.preventDefault();
        void onStay();
      }}
    >
      {open && (
        <>
          <h2 id="idle-title">Are you still working?</h2>
          <p id="idle-desc">
            For privacy you will be signed out in{' '}
            <strong>
              {mm}:{ss}
            </strong>{' '}
            because of inactivity.
          </p>
          <div className="form-actions row">
            <button ref={stayRef} type="button" className="btn btn-primary" onClick={() => void onStay()}>
              Stay signed in
            </button>
            <button type="button" className="btn" onClick={onSignOut}>
              Sign out now
            </button>
          </div>
        </>
      )}
    </dialog>
  );
}
