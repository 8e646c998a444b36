import { useEffect, useState } from 'react';
import { codingApi, dotted, type VersionView } from '../coding-api.js';
import { ErrorMessage } from '../components/Messages.js';
import { formatDateTime } from '../format.js';

const kindLabel: Record<string, string> = { draft: 'Draft', final: 'Final coding', reopen: 'Reopened' };

/** One version's changes in words: "+I50.23, -N17.9; PDX I50.23 -> A41.9; POA N179: blank -> Y". */
export function describeChanges(v: VersionView): string {
  const c = v.changes;
  if (!c) return '';
  const parts: string[] = [];
  const codes = [...c.added.map((x) => `+${dotted(x)}`), ...c.removed.map((x) => `−${dotted(x)}`)];
  if (codes.length) parts.push(codes.join(', '));
  if (c.principal)
    parts.push(
      `principal ${c.principal.before ? dotted(c.principal.before) : 'none'} → ${c.principal.after ? dotted(c.principal.after) : 'none'}`,
    );
  if (c.poa.length) parts.push(`POA ${c.poa.join(', ')}`);
  parts.push(...c.other);
  return parts.length ? parts.join('; ') : 'no code changes';
}

/**
 * The abstract's version history: who saved it, when (local time), what changed and the MS-DRG before and after.
 * `stamp` changes whenever the page saved a new version, to fetch the list again.
 */
export function AbstractVersions({ encounterId, stamp }: { encounterId: string; stamp: number }) {
  const [items, setItems] = useState<VersionView[] | null>(null);
  const [all, setAll] = useState(false);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    codingApi.versions(encounterId).then((r) => setItems(r.items), setError);
  }, [encounterId, stamp]);
  const shown = items && !all ? items.slice(0, 8) : items;
  return (
    <section className="section" aria-labelledby="versions-h">
      <h2 id="versions-h">Version history</h2>
      <ErrorMessage error={error} />
      {items?.length === 0 && <p className="muted">No version saved yet.</p>}
      {shown && shown.length > 0 && (
        <table className="data-table" data-testid="versions">
          <thead>
            <tr>
              <th>Version</th>
              <th>What</th>
              <th>Who</th>
              <th>When</th>
              <th>MS-DRG</th>
              <th>Changes</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((v) => (
              <tr key={v.version}>
                <td>{v.version}</td>
                <td>
                  {kindLabel[v.kind] ?? v.kind}
                  {v.reason ? `: ${v.reason}` : ''}
                </td>
                <td>{v.savedByName ?? '—'}</td>
                <td className="nowrap">{formatDateTime(v.savedAt)}</td>
                <td className="nowrap">{v.drgBefore === v.drg ? (v.drg ?? '—') : `${v.drgBefore ?? '—'} → ${v.drg ?? '—'}`}</td>
                <td>{describeChanges(v)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {items && items.length > 8 && (
        <button type="button" className="btn btn-small btn-quiet" onClick={() => setAll((a) => !a)}>
          {all ? 'Show the latest only' : `Show all ${items.length} versions`}
        </button>
      )}
    </section>
  );
}
