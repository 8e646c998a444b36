import type { ReactNode } from 'react';
import { ApiError } from '../api.js';

/** An error box announced to screen readers. Shows the server's `detail` and, for 5xx, the request id to quote. */
export function ErrorMessage({ error, children }: { error?: unknown; children?: ReactNode }) {
  if (!error && !children) return null;
  let text: ReactNode = children;
  let ref: string | null = null;
  if (!text) {
    if (error instanceof ApiError) {
      text = sentence(error.message);
      if (error.status >= 500 && error.requestId) ref = error.requestId;
    } else text = error instanceof Error ? error.message : String(error);
  }
  return (
    <div className="msg msg-error" role="alert">
      {text}
      {ref && (
        <span className="msg-ref">
          {' '}
          Request id: <code>{ref}</code>
        </span>
      )}
    </div>
  );
}

export function Notice({ children, kind = 'info' }: { children: ReactNode; kind?: 'info' | 'success' | 'warning' }) {
  return (
    <div className={`msg msg-${kind}`} role="status">
      {children}
    </div>
  );
}

/** The server's messages are lower-case fragments ("wrong username or password"); show them as sentences. */
export function sentence(s: string): string {
  const t = s.trim();
  if (!t) return t;
  const first = t[0]!.toUpperCase() + t.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
}

export function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <div className="field-error" id={id}>
      {sentence(message)}
    </div>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="loading" role="status" aria-live="polite">
      {label}
    </div>
  );
}

/** The error to show above a form: null when it is already shown next to one of the form's fields. */
export function formLevelError(error: unknown, fields: readonly string[]): unknown {
  if (error instanceof ApiError && fields.some((f) => f in error.fieldErrors)) return null;
  return error;
}

/**
 * The `aria-describedby` of a field: the ids given, leaving out the ones whose element is not rendered (an error id
 * without an error), so the attribute never points at nothing (WCAG 1.3.1, 4.1.2). Undefined when none is left.
 */
export function describedBy(...ids: (string | false | null | undefined)[]): string | undefined {
  const shown = ids.filter((id): id is string => typeof id === 'string' && id !== '');
  return shown.length ? shown.join(' ') : undefined;
}
