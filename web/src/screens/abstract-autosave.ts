/**
 * Autosave of the abstract on screen through the draft API (`PUT .../draft`, a new version each time): a short
 * while after the last change, before a query goes out, before final coding and before moving to the next
 * encounter. Codes are PHI: they are kept on the server, never in the browser's storage.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { codingApi, type AbstractData, type SaveResult } from '../coding-api.js';

export type SaveState = 'saved' | 'pending' | 'saving' | 'failed';

export interface Autosave {
  state: SaveState;
  /** The version the server holds (the expected version of the next save). */
  version: { current: number };
  /** After loading the abstract: what the server holds. */
  reset(data: AbstractData, version: number): void;
  /** Saves now what is on screen if it differs from the server's (or always, with `force`); throws when it fails. */
  flush(opts?: { force?: boolean }): Promise<SaveResult | null>;
}

export const AUTOSAVE_DELAY_MS = 1500;

export function useAutosave(opts: {
  encounterId: string;
  enabled: boolean;
  data: AbstractData | null;
  onSaved(r: SaveResult): void;
  onError(e: unknown): void;
}): Autosave {
  const { encounterId, enabled, data } = opts;
  const [state, setState] = useState<SaveState>('saved');
  const baseline = useRef<AbstractData | null>(null);
  const version = useRef(0);
  const latest = useRef<AbstractData | null>(data);
  latest.current = data;
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const callbacks = useRef(opts);
  callbacks.current = opts;
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const reset = useCallback((d: AbstractData, v: number) => {
    baseline.current = d;
    version.current = v;
    setState('saved');
  }, []);

  const flush = useCallback(
    (o: { force?: boolean } = {}): Promise<SaveResult | null> => {
      if (timer.current) clearTimeout(timer.current);
      timer.current = null;
      const run = async (): Promise<SaveResult | null> => {
        const d = latest.current;
        if (!d || (!o.force && d === baseline.current)) return null;
        setState('saving');
        try {
          const r = await codingApi.saveDraft(encounterId, d, version.current);
          version.current = r.version;
          baseline.current = d;
          setState(latest.current === d ? 'saved' : 'pending');
          callbacks.current.onSaved(r);
          return r;
        } catch (e) {
          setState('failed');
          throw e;
        }
      };
      const p = queue.current.then(run, run);
      queue.current = p.catch(() => undefined);
      return p;
    },
    [encounterId],
  );

  useEffect(() => {
    if (!enabled || !data || data === baseline.current) return;
    setState((s) => (s === 'saving' ? s : 'pending'));
    timer.current = setTimeout(() => {
      flush().catch((e: unknown) => callbacks.current.onError(e));
    }, AUTOSAVE_DELAY_MS);
    return () => {
      if (timer.current) clearTimeout(timer.current);
    };
  }, [enabled, data, flush]);

  return { state, version, reset, flush };
}
