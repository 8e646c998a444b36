import type { IndexKind, IndexTermView } from '../codes-api.js';
import { tableCode, tableColumns } from '../code-lookup.js';

/** The pieces of the Alphabetic Index and Tables browser (CodeLookupIndex): code chips, see/see-also links, table rows. */
export function Codes({ codes, onOpen }: { codes: (string | null)[]; onOpen: (code: string) => void }) {
  const list = codes.map(tableCode).filter((c): c is string => c !== null);
  if (list.length === 0) return null;
  return (
    <span className="index-codes">
      {list.map((c, i) => (
        <button
          key={`${c}${i}`}
          type="button"
          className="code-chip code-link"
          onClick={() => onOpen(c)}
          title={c.endsWith('-') ? `${c} — more characters needed; open to see them` : `Open ${c}`}
        >
          {c}
        </button>
      ))}
    </span>
  );
}

export function SeeLinks({
  t,
  onSee,
  onSeeAlso,
}: {
  t: IndexTermView;
  onSee: (t: IndexTermView) => void;
  onSeeAlso: (text: string) => void;
}) {
  return (
    <>
      {t.see && (
        <span className="index-see">
          {' '}
          — <em>see</em>{' '}
          <button type="button" className="btn-link" onClick={() => onSee(t)}>
            {t.see}
          </button>
        </span>
      )}
      {t.seeAlso && (
        <span className="index-see">
          {' '}
          — <em>see also</em>{' '}
          <button type="button" className="btn-link" onClick={() => onSeeAlso(t.seeAlso!)}>
            {t.seeAlso}
          </button>
        </span>
      )}
    </>
  );
}

export function TableRows({
  columns,
  self,
  rows,
  onOpen,
  onEnter,
  onSee,
  caption,
  kind,
}: {
  columns: string[];
  self?: IndexTermView | undefined;
  rows: IndexTermView[];
  onOpen: (code: string) => void;
  onEnter: (t: IndexTermView) => void;
  onSee?: (t: IndexTermView) => void;
  caption: string;
  kind: IndexKind;
}) {
  const cols = tableColumns(kind, columns);
  const grouped = cols.some((c) => c.group);
  const groups: { group: string | null; span: number }[] = [];
  for (const c of cols) {
    const last = groups[groups.length - 1];
    if (last && last.group === c.group && c.group) last.span++;
    else groups.push({ group: c.group, span: 1 });
  }
  const row = (t: IndexTermView, isSelf: boolean) => (
    <tr key={isSelf ? 'self' : t.id} className={isSelf ? 'index-row-self' : undefined}>
      <th scope="row" className="index-row-head">
        {t.hasSubterms && !isSelf ? (
          <button type="button" className="btn-link" onClick={() => onEnter(t)} aria-label={`${t.title}: show subterms`}>
            {t.title} ›
          </button>
        ) : (
          t.title
        )}{' '}
        {t.nemod && <span className="muted">{t.nemod}</span>}
        {t.see && onSee && (
          <span className="index-see">
            {' '}
            — <em>see</em>{' '}
            <button type="button" className="btn-link" onClick={() => onSee(t)}>
              {t.see}
            </button>
          </span>
        )}
      </th>
      {cols.map((c, i) => {
        const code = tableCode(t.codes[i]);
        return (
          <td key={c.full}>
            {code ? (
              <button
                type="button"
                className="code-chip code-link"
                onClick={() => onOpen(code)}
                aria-label={`${t.title}, ${c.full}: ${code}`}
              >
                {code}
              </button>
            ) : (
              <span className="muted" title="no code">
                —
              </span>
            )}
          </td>
        );
      })}
    </tr>
  );
  return (
    <div className="table-scroll index-table">
      <table className="data-table compact">
        <caption className="sr-only">{caption}</caption>
        <thead>
          {grouped && (
            <tr className="group-row">
              <td />
              {groups.map((g, i) =>
                g.group ? (
                  <th key={i} scope="colgroup" colSpan={g.span}>
                    {g.group}
                  </th>
                ) : (
                  <td key={i} colSpan={g.span} />
                ),
              )}
            </tr>
          )}
          <tr>
            <th scope="col">{kind === 'drug' ? 'Substance' : 'Site'}</th>
            {cols.map((c) => (
              <th scope="col" key={c.full} title={c.full}>
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {self && row(self, true)}
          {rows.map((t) => row(t, false))}
        </tbody>
      </table>
    </div>
  );
}
