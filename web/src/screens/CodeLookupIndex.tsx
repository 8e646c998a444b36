import { useEffect, useRef, useState, type Dispatch, type RefObject, type SetStateAction } from 'react';
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

/** Copies the trimmed "starts with" text into `debounced` 200 ms after the last keystroke. */
function useDebouncedStart(startsWith: string, setDebounced: Dispatch<SetStateAction<string>>) {
  useEffect(() => {
    const t = setTimeout(() => setDebounced(startsWith.trim()), 200);
    return () => clearTimeout(t);
  }, [startsWith, setDebounced]);
}

/**
 * Loads the level of the index at `path`, opening a lone main term and going back to the top for an unknown path.
 * The setters and the ref in the dependencies are stable, so the effect runs exactly when kind, path, filter or date change.
 */
function useIndexLoad({
  kind,
  path,
  debounced,
  date,
  releaseRef,
  setLoad,
  setPath,
  setNotice,
}: {
  kind: IndexKind;
  path: string[];
  debounced: string;
  date: string;
  releaseRef: RefObject<(r: string | null) => void>;
  setLoad: Dispatch<SetStateAction<Load>>;
  setPath: Dispatch<SetStateAction<string[]>>;
  setNotice: Dispatch<SetStateAction<string | null>>;
}) {
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
  }, [kind, path, debounced, date, releaseRef, setLoad, setPath, setNotice]);
}

/** The browser's state: which index, the path of terms, the filters, what was loaded, and the ways to move. */
function useIndexBrowse(date: string, onRelease: (r: string | null) => void) {
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

  useDebouncedStart(startsWith, setDebounced);
  useIndexLoad({ kind, path, debounced, date, releaseRef, setLoad, setPath, setNotice });

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
  const chooseKind = (k: IndexKind) => {
    setKind(k);
    setStartsWith('');
    setDebounced('');
    go([]);
  };

  return {
    kind,
    path,
    startsWith,
    setStartsWith,
    filter,
    setFilter,
    debounced,
    load,
    notice,
    headingRef,
    go,
    followSee,
    followSeeAlso,
    chooseKind,
  };
}

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
  const b = useIndexBrowse(date, onRelease);
  const { kind, path, filter, debounced, load, go, followSee, followSeeAlso } = b;

  const data = load.state === 'ok' ? load.data : null;
  const isTable = kind === 'drug' || kind === 'neoplasm';
  const f = filter.trim().toLowerCase();
  const children = data ? (f && path.length > 0 ? data.children.filter((c) => c.title.toLowerCase().includes(f)) : data.children) : [];
  const openCode = (printed: string) => onOpen({ system: 'cm', code: openableCode(printed) });

  return (
    <div className="index-browser" data-testid="index-browser">
      <KindPicker kind={kind} onChoose={b.chooseKind} />
      <IndexFilters
        kind={kind}
        path={path}
        startsWith={b.startsWith}
        setStartsWith={b.setStartsWith}
        filter={filter}
        setFilter={b.setFilter}
      />
      <IndexPath kind={kind} path={path} go={go} headingRef={b.headingRef} />
      <IndexStatus kind={kind} load={load} notice={b.notice} date={date} onDateChange={onDateChange} />

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
          <TermList terms={children} path={path} go={go} openCode={openCode} onSee={followSee} onSeeAlso={followSeeAlso} />
        ))}
      {data && data.children.length >= LIMIT && <LimitNote data={data} atTop={path.length === 0} />}
    </div>
  );
}

function KindPicker({ kind, onChoose }: { kind: IndexKind; onChoose: (k: IndexKind) => void }) {
  return (
    <div className="segmented" role="radiogroup" aria-label="Index or table">
      {kinds.map((k) => (
        <button
          key={k}
          type="button"
          role="radio"
          aria-checked={kind === k}
          className={kind === k ? 'selected' : undefined}
          onClick={() => onChoose(k)}
        >
          {indexKindLabels[k]}
        </button>
      ))}
    </div>
  );
}

function IndexFilters({
  kind,
  path,
  startsWith,
  setStartsWith,
  filter,
  setFilter,
}: {
  kind: IndexKind;
  path: string[];
  startsWith: string;
  setStartsWith: (s: string) => void;
  filter: string;
  setFilter: (s: string) => void;
}) {
  return (
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
  );
}

/** The breadcrumb of the path and the (screen-reader) heading that takes focus on each move. */
function IndexPath({
  kind,
  path,
  go,
  headingRef,
}: {
  kind: IndexKind;
  path: string[];
  go: (p: string[]) => void;
  headingRef: RefObject<HTMLHeadingElement | null>;
}) {
  return (
    <>
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
      <h2 className="sr-only" tabIndex={-1} ref={headingRef}>
        {path.length ? path.join(', ') : `${indexKindLabels[kind]} main terms`}
      </h2>
    </>
  );
}

/** The notice, the source (or a warning that it is not the code set in force), loading and errors. */
function IndexStatus({
  kind,
  load,
  notice,
  date,
  onDateChange,
}: {
  kind: IndexKind;
  load: Load;
  notice: string | null;
  date: string;
  onDateChange: (d: string) => void;
}) {
  const data = load.state === 'ok' ? load.data : null;
  return (
    <>
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
    </>
  );
}

/** The terms of one level of an index (not a table): entered when they have subterms, with codes and see links. */
function TermList({
  terms,
  path,
  go,
  openCode,
  onSee,
  onSeeAlso,
}: {
  terms: IndexTermView[];
  path: string[];
  go: (p: string[]) => void;
  openCode: (printed: string) => void;
  onSee: (t: IndexTermView) => void;
  onSeeAlso: (text: string) => void;
}) {
  return (
    <ul className="index-terms">
      {terms.map((t) => (
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
          <SeeLinks t={t} onSee={onSee} onSeeAlso={onSeeAlso} />
        </li>
      ))}
    </ul>
  );
}

function LimitNote({ data, atTop }: { data: IndexBrowseResult; atTop: boolean }) {
  return (
    <p className="msg msg-info small">
      {atTop
        ? `Showing the first ${LIMIT} main terms: type more letters in “Main term starts with” to narrow.`
        : `The server lists at most ${LIMIT} subterms per term: subterms after “${data.children[data.children.length - 1]?.title ?? ''}” are not shown here. Use Search (e.g. “neoplasm thyroid”) for those.`}
    </p>
  );
}
