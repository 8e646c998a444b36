/**
 * The billing work lists' shared state (claims worklist, denials): a filter of select boxes, the payers to choose
 * from, and the list fetched again whenever the filter changes.
 */
import { useCallback, useEffect, useState } from 'react';
import { billingApi, type Payer } from '../billing-api.js';

/** `fetch` must be a stable function (declared at module level), or the list would be fetched on every render. */
export function usePayerFilteredList<F extends Record<string, string>, T>(initial: F, fetch: (filter: F) => Promise<{ items: T[] }>) {
  const [filter, setFilter] = useState(initial);
  const [payers, setPayers] = useState<Payer[]>([]);
  const [items, setItems] = useState<T[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(() => fetch(filter).then((r) => setItems(r.items), setError), [fetch, filter]);
  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => {
    billingApi.payers().then((r) => setPayers(r.items), setError);
  }, []);
  /** The change handler of the select box for one filter field. */
  const set = (k: keyof F) => (e: { target: { value: string } }) => setFilter((f) => ({ ...f, [k]: e.target.value }));
  return { filter, set, payers, items, error, load };
}
