import { useEffect, useRef, useState } from 'react';
import { ApiError } from '../api.js';
import { codesApi, type IndexBrowseResult, type IndexKind, type IndexTermView } from '../codes-api.js';
import { indexKindLabels, openableCode, seeAlsoStart, tableCode } from '../code-lookup.js';
import { Loading } from '../components/Messages.js';
import { CodeLookupError } from '../components/CodeLookupError.js';
import type { CodeTarget } from './CodeLookupDetails.js';
import { Codes, SeeLinks, TableRows } from './CodeLookupIndexParts.js';

const kinds: IndexKind[] = ['index', 'eindex', 'drug', 'neoplasm'];
const LIMIT = 500;

type Load = { state: 'loading' } | { state: 'ok'; data: IndexBrowseResult } | { state: 'error'; error: unknown };

/**
 * The Alphabetic Index, External Cause Index, Drug and Neoplasm tables as in the book: main terms (filtered by
 * their first letters), subterms level by level, "see" and "see also" followed, codes that open their details.
 */
export function CodeLookupIndex({
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
  const [kind, setKind] = useState<IndexKind>('index');
  const [path, setPath] = useState<string[]>([]);
  const [startsWith, setStartsWith] = useState('');
  const [filter, setFilter] = useState('');
  const [debounced, setDebounced] = useState('');
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [notice, setNotice] = useState<string | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const releaseRef = useRef(onRelease);
  releaseRef.current = onRelease;

  useEffect(() => {
    const t = setTimeout(() => setDebounced(startsWith.trim()), 200);
    return () => clearTimeout(t);
  }, [startsWith]);

  useEffect(() => {
    const ctl = new AbortController();
    setLoad((l) => (l.state === 'ok' ? l : { state: 'loading' }));
    const atTop = path.length === 0;
    codesApi.index({ kind, path, date, limit: LIMIT, ...(atTop && debounced ? { startsWith: debounced } : {}) }, ctl.signal).then(
      (data) => {
        // A table with one main term (the Neoplasm Table's "Neoplasm, neoplastic"): open it, the sites are what coders scan.
        const only = data.children[0];
        if (atTop && !debounced && data.children.length === 1 && only?.hasSubterms) {
          setPath([only.title]);
          return;
        }
        setLoad({ state: 'ok', data });
        releaseRef.current(`${data.source}${data.current ? '' : ' (older than the code set in force)'}`);
      },
      (error: unknown) => {
        if (error instanceof DOMException && error.name === 'AbortError') return;
        if (error instanceof ApiError && error.status === 404 && path.length > 0) {
          setNotice(`“${path.join(' › ')}” is not a term of the ${indexKindLabels[kind]}.`);
          setPath([]);
          return;
        }
        setLoad({ state: 'error', error });
        releaseRef.current(null);
      },
    );
    return () => ctl.abort();
  }, [kind, path, debounced, date]);

  const go = (p: string[], opts: { keepNotice?: boolean } = {}) => {
    setPath(p);
    setFilter('');
    if (!opts.keepNotice) setNotice(null);
    headingRef.current?.focus();
  };
  const followSee = (t: IndexTermView) => {
    if (t.seeTarget) go(t.seeTarget);
    else if (t.see) {
      setStartsWith(seeAlsoStart(t.see));
      go([]);
    }
  };
  const followSeeAlso = (text: string) => {
    setStartsWith(seeAlsoStart(text));
    go([]);
  };

  const data = load.state === 'ok' ? load.data : null;
  const isTable = kind === 'drug' || kind === 'neoplasm';
  const f = filter.trim().toLowerCase();
  const children = data ? (f && path.length > 0 ? data.children.filter((c) => c.title.toLowerCase().includes(f)) : data.children) : [];
  const openCode = (printed: string) => onOpen({ system: 'cm', code: openableCode(printed) });

  return (
    <div className="index-browser" data-testid="index-browser">
      <div className="segmented" role="radiogroup" aria-label="Index or table">
        {kinds.map((k) => (
          <button
            key={k}
            type="button"
            role="radio"
            aria-checked={kind === k}
            className={kind === k ? 'selected' : undefined}
            onClick={() => {
              setKind(k);
              setStartsWith('');
              setDebounced('');
              go([]);
            }}
          >
            {indexKindLabels[k]}
          </button>
        ))}
      </div>

      <div className="index-filters">
        {path.length === 0 ? (
          <label className="field">
            Main term starts with
            <input
              type="search"
              value={startsWith}
              onChange={(e) => setStartsWith(e.target.value)}
              placeholder={kind === 'drug' ? 'e.g. Acetaminophen' : kind === 'eindex' ? 'e.g. Fall' : 'e.g. Failure'}
              autoComplete="off"
            />
          </label>
        ) : (
          <label className="field">
            Filter subterms
            <input
              type="search"
              value={filter}
              onChange={(e) => setFilter(e.target.value)}
              placeholder="words in the subterm"
              autoComplete="off"
            />
          </label>
        )}
      </div>

      <nav aria-label="Index path" className="index-path">
        <ol>
          <li>
            {path.length ? (
              <button type="button" className="btn-link" onClick={() => go([])}>
                {indexKindLabels[kind]}
              </button>
            ) : (
              <strong>{indexKindLabels[kind]}</strong>
            )}
          </li>
          {path.map((p, i) => (
            <li key={i}>
              {i < path.length - 1 ? (
                <button type="button" className="btn-link" onClick={() => go(path.slice(0, i + 1))}>
                  {p}
                </button>
              ) : (
                <strong>{p}</strong>
              )}
            </li>
          ))}
        </ol>
      </nav>
      <h3 className="sr-only" tabIndex={-1} ref={headingRef}>
        {path.length ? path.join(', ') : `${indexKindLabels[kind]} main terms`}
      </h3>

      {notice && (
        <div className="msg msg-info" role="status">
          {notice}
        </div>
      )}
      {data && !data.current && (
        <div className="msg msg-warning" role="note">
          This {indexKindLabels[kind]} is from <strong>{data.source}</strong>, not from the code set in force on {date}. Check the current
          index before relying on a path.
        </div>
      )}
      {data && data.current && <p className="muted small">Source: {data.source}</p>}
      {load.state === 'loading' && <Loading label="Loading the index…" />}
      {load.state === 'error' && <CodeLookupError error={load.error} date={date} onDateChange={onDateChange} />}

      {data?.term && (!isTable || data.term.see || data.term.seeAlso) && (
        <div className="index-term-head">
          <strong>{data.term.title}</strong> {data.term.nemod && <span className="muted">{data.term.nemod}</span>}{' '}
          {!isTable && <Codes codes={data.term.codes} onOpen={openCode} />}
          <SeeLinks t={data.term} onSee={followSee} onSeeAlso={followSeeAlso} />
        </div>
      )}
      {data && children.length === 0 && load.state === 'ok' && (
        <p className="muted">
          {path.length === 0 && debounced
            ? `No main term starts with “${debounced}”.`
            : f
              ? 'No subterm matches the filter.'
              : 'No subterms.'}
        </p>
      )}
      {data &&
        children.length > 0 &&
        (isTable ? (
          <TableRows
            columns={data.columns}
            self={data.term && data.term.codes.some((c) => tableCode(c)) ? data.term : undefined}
            rows={children}
            onOpen={openCode}
            onEnter={(t) => go([...path, t.title])}
            onSee={followSee}
            caption={path.length ? `Subterms of ${path.join(', ')}` : 'Main terms'}
            kind={kind}
          />
        ) : (
          <ul className="index-terms">
            {children.map((t) => (
              <li key={t.id}>
                {t.hasSubterms ? (
                  <button
                    type="button"
                    className="btn-link index-term"
                    onClick={() => go([...path, t.title])}
                    aria-label={`${t.title}: show subterms`}
                  >
                    {t.title} ›
                  </button>
                ) : (
                  <span className="index-term">{t.title}</span>
                )}{' '}
                {t.nemod && <span className="muted">{t.nemod}</span>} <Codes codes={t.codes} onOpen={openCode} />
                <SeeLinks t={t} onSee={followSee} onSeeAlso={followSeeAlso} />
              </li>
            ))}
          </ul>
        ))}
      {data && data.children.length >= LIMIT && (
        <p className="msg msg-info small">
          {path.length === 0
            ? `Showing the first ${LIMIT} main terms: type more letters in “Main term starts with” to narrow.`
            : `The server lists at most ${LIMIT} subterms per term: subterms after “${data.children[data.children.length - 1]?.title ?? ''}” are not shown here. Use Search (e.g. “neoplasm thyroid”) for those.`}
        </p>
      )}
    </div>
  );
}
