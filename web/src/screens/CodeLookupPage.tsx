import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { codesApi, type CodeSystem, type SearchHit, type SearchResponse } from '../codes-api.js';
import { isIsoDate, localToday, lookupDate } from '../code-lookup.js';
import { CodePicker } from '../components/CodePicker.js';
import { CodeLookupCheck } from './CodeLookupCheck.js';
import { CodeLookupDetails, type CodeTarget } from './CodeLookupDetails.js';
import { CodeLookupIndex } from './CodeLookupIndex.js';
import { CodeLookupOutpatient } from './CodeLookupOutpatient.js';
import { CodeLookupPcsBuilder } from './CodeLookupPcsBuilder.js';
import { usePageTitle } from './StaticPages.js';
import '../code-lookup.css';

const SYSTEM_LABELS = {
  cm: 'ICD-10-CM diagnoses',
  pcs: 'ICD-10-PCS procedures',
  hcpcs: 'HCPCS Level II',
  cpt: 'CPT (licensed)',
} as const;

type Tab = 'search' | 'index' | 'pcs' | 'check';
const tabs: { id: Tab; label: string }[] = [
  { id: 'search', label: 'Search' },
  { id: 'index', label: 'Index and tables' },
  { id: 'pcs', label: 'PCS table builder' },
  { id: 'check', label: 'Encounter check' },
];

/**
 * Code lookup (the encoder): search ICD-10-CM / ICD-10-PCS, browse the indexes and tables, build a PCS code axis by
 * axis, check an encounter's codes — always for the code set in force on the discharge date — with the chosen
 * code's details beside the work. Search words stay in memory (never in the URL).
 */
export function CodeLookupPage() {
  usePageTitle('Code lookup');
  const [entered, setEntered] = useState(localToday);
  // Until the coder enters a date, "today" past the newest loaded release looks up in that release, with a banner.
  const [touched, setTouched] = useState(false);
  const [defaults, setDefaults] = useState<{ defaultDate?: string; notice?: string }>({});
  useEffect(() => {
    const ctl = new AbortController();
    codesApi
      .releases(ctl.signal)
      .then((r) => setDefaults({ defaultDate: r.defaultDate, ...(r.defaultDateNotice ? { notice: r.defaultDateNotice } : {}) }))
      .catch(() => setDefaults({}));
    return () => ctl.abort();
  }, []);
  const setDate = useCallback((d: string) => {
    setTouched(true);
    setEntered(d);
  }, []);
  const { date, banner } = lookupDate(entered, { touched, today: localToday(), ...defaults });
  const [tab, setTab] = useState<Tab>('search');
  const [opened, setOpened] = useState<Set<Tab>>(() => new Set<Tab>(['search']));
  const [system, setSystem] = useState<CodeSystem | 'hcpcs' | 'cpt'>('cm');
  const [releases, setReleases] = useState<Partial<Record<Tab, string | null>>>({});
  const [details, setDetails] = useState<CodeTarget[]>([]);
  const tabRefs = useRef<Record<Tab, HTMLButtonElement | null>>({ search: null, index: null, pcs: null, check: null });
  const detailsRef = useRef<HTMLElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);

  // Keyboard first: arriving on the page, typing searches. (After the shell has moved focus to <main>.)
  useEffect(() => {
    const t = setTimeout(() => searchRef.current?.focus(), 0);
    return () => clearTimeout(t);
  }, []);

  const validDate = isIsoDate(date);
  const current = details[details.length - 1] ?? null;

  const open = useCallback((t: CodeTarget, opts: { focus?: boolean } = {}) => {
    setDetails((d) => {
      const last = d[d.length - 1];
      if (last && last.system === t.system && last.code === t.code) return d;
      return [...d.slice(-19), t];
    });
    if (opts.focus !== false) requestAnimationFrame(() => detailsRef.current?.focus());
  }, []);
  const onPick = useCallback((h: SearchHit) => open({ system: h.system, code: h.code }, { focus: false }), [open]);
  const setRelease = useCallback((t: Tab, r: string | null) => setReleases((x) => (x[t] === r ? x : { ...x, [t]: r })), []);
  const onAnswer = useCallback((a: SearchResponse | null) => setRelease('search', a?.release ?? null), [setRelease]);

  const select = (t: Tab) => {
    setTab(t);
    setOpened((o) => (o.has(t) ? o : new Set(o).add(t)));
  };
  const onTabKey = (e: KeyboardEvent<HTMLButtonElement>) => {
    const i = tabs.findIndex((t) => t.id === tab);
    let n = -1;
    if (e.key === 'ArrowRight') n = (i + 1) % tabs.length;
    else if (e.key === 'ArrowLeft') n = (i - 1 + tabs.length) % tabs.length;
    else if (e.key === 'Home') n = 0;
    else if (e.key === 'End') n = tabs.length - 1;
    if (n < 0) return;
    e.preventDefault();
    const next = tabs[n]!.id;
    select(next);
    tabRefs.current[next]?.focus();
  };

  const release = releases[tab];

  return (
    <section className="page code-lookup">
      <h1>Code lookup</h1>
      <div className="lookup-toolbar">
        <label className="field">
          Discharge / service date
          <input
            type="date"
            value={entered}
            onChange={(e) => setDate(e.target.value)}
            aria-invalid={!validDate}
            aria-describedby="lookup-date-help"
            required
          />
        </label>
        <button
          type="button"
          className="btn"
          onClick={() => {
            setEntered(localToday());
            setTouched(false);
          }}
          disabled={entered === localToday() && !touched}
        >
          Today
        </button>
        {banner && (
          <p className="msg msg-warning" role="status" data-testid="date-banner">
            {banner}
          </p>
        )}
        <p className="help lookup-date-help" id="lookup-date-help">
          {validDate ? 'The date picks the code set in force (fiscal years start 1 October).' : 'Enter a date: it picks the code set.'}
          <br />
          <span data-testid="release-in-force">
            {release ? (
              <>
                Answered by <strong>{release}</strong>
              </>
            ) : (
              '\u00a0'
            )}
          </span>
        </p>
      </div>

      <div role="tablist" aria-label="Ways to look up a code" className="lookup-tabs">
        {tabs.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={`panel-${t.id}`}
            tabIndex={tab === t.id ? 0 : -1}
            ref={(el) => {
              tabRefs.current[t.id] = el;
            }}
            onClick={() => select(t.id)}
            onKeyDown={onTabKey}
          >
            {t.label}
          </button>
        ))}
      </div>

      <div className="lookup-grid">
        <div className="lookup-work">
          <div role="tabpanel" id="panel-search" aria-labelledby="tab-search" hidden={tab !== 'search'}>
            <div className="segmented" role="radiogroup" aria-label="Code set">
              {(['cm', 'pcs', 'hcpcs', 'cpt'] as const).map((s) => (
                <button
                  key={s}
                  type="button"
                  role="radio"
                  aria-checked={system === s}
                  className={system === s ? 'selected' : undefined}
                  onClick={() => setSystem(s)}
                >
                  {SYSTEM_LABELS[s]}
                </button>
              ))}
            </div>
            {system === 'hcpcs' || system === 'cpt' ? (
              <CodeLookupOutpatient key={system} system={system} date={validDate ? date : ''} onDateChange={setDate} />
            ) : (
              <CodePicker
                system={system}
                date={validDate ? date : ''}
                onPick={onPick}
                onAnswer={onAnswer}
                onDateChange={setDate}
                inputRef={searchRef}
              />
            )}
          </div>
          <div role="tabpanel" id="panel-index" aria-labelledby="tab-index" hidden={tab !== 'index'}>
            {opened.has('index') && validDate && (
              <CodeLookupIndex date={date} onOpen={open} onRelease={(r) => setRelease('index', r)} onDateChange={setDate} />
            )}
          </div>
          <div role="tabpanel" id="panel-pcs" aria-labelledby="tab-pcs" hidden={tab !== 'pcs'}>
            {opened.has('pcs') && validDate && (
              <CodeLookupPcsBuilder date={date} onOpen={open} onRelease={(r) => setRelease('pcs', r)} onDateChange={setDate} />
            )}
          </div>
          <div role="tabpanel" id="panel-check" aria-labelledby="tab-check" hidden={tab !== 'check'}>
            {opened.has('check') && (
              <CodeLookupCheck date={date} onOpen={open} onRelease={(r) => setRelease('check', r)} onDateChange={setDate} />
            )}
          </div>
        </div>

        <aside className="lookup-details" aria-label="Code details" tabIndex={-1} ref={detailsRef}>
          {current ? (
            <CodeLookupDetails
              key={`${current.system}${current.code}`}
              target={current}
              date={validDate ? date : localToday()}
              onOpen={open}
              onBack={details.length > 1 ? () => setDetails((d) => d.slice(0, -1)) : undefined}
              onDateChange={setDate}
            />
          ) : (
            <div className="details-empty">
              <p className="empty-title">Code details</p>
              <p className="muted">
                Open a code — <kbd>Enter</kbd> on a search result, or click a code anywhere on this page — to read its title, hierarchy,
                billable status, 7th characters and instructional notes here.
              </p>
            </div>
          )}
        </aside>
      </div>
    </section>
  );
}
