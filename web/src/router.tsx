/**
 * A small client router on the History API (no hash). Paths carry ids only (a patient's random UUID), never
 * names, MRNs or search words: URLs end up in browser history, proxy logs and referrers (HIPAA minimum necessary).
 */
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type AnchorHTMLAttributes,
  type MouseEvent,
  type ReactNode,
} from 'react';

export interface Location {
  pathname: string;
  search: string;
}

interface RouterValue {
  location: Location;
  /** `force`: the page already took care of its unsaved work; do not ask the leave guard. */
  navigate: (to: string, opts?: { replace?: boolean; force?: boolean }) => void;
}

const RouterContext = createContext<RouterValue | null>(null);

/**
 * The question a page asks before the user leaves it (unsaved work), or null. One page at a time sets it with
 * `useLeaveGuard`; in-app navigation and the Back button ask it with confirm(), closing the tab with beforeunload.
 */
let leaveQuestion: string | null = null;

/** True when nothing holds the user on the page, or the user confirmed leaving it. */
function mayLeave(): boolean {
  return leaveQuestion === null || window.confirm(leaveQuestion);
}

/**
 * While `question` is not null, leaving the page (a link, Back, reload, closing the tab) asks the user first.
 */
export function useLeaveGuard(question: string | null): void {
  useEffect(() => {
    if (question === null) return;
    leaveQuestion = question;
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      // The browser asks with its own words; preventDefault is the standard way to make it ask.
      e.preventDefault();
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => {
      if (leaveQuestion === question) leaveQuestion = null;
      window.removeEventListener('beforeunload', onBeforeUnload);
    };
  }, [question]);
}

function current(): Location {
  return { pathname: window.location.pathname, search: window.location.search };
}

export function Router({ children }: { children: ReactNode }) {
  const [location, setLocation] = useState<Location>(current);
  const shown = useRef<Location>(location);
  useEffect(() => {
    const onPop = () => {
      if (!mayLeave()) {
        // Stay: put the page the user is on back at the top of the history.
        window.history.pushState(null, '', `${shown.current.pathname}${shown.current.search}`);
        return;
      }
      leaveQuestion = null;
      shown.current = current();
      setLocation(shown.current);
    };
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const navigate = useCallback((to: string, opts: { replace?: boolean; force?: boolean } = {}) => {
    if (!opts.force && !mayLeave()) return;
    leaveQuestion = null;
    if (opts.replace) window.history.replaceState(null, '', to);
    else window.history.pushState(null, '', to);
    shown.current = current();
    setLocation(shown.current);
    window.scrollTo(0, 0);
  }, []);
  const value = useMemo(() => ({ location, navigate }), [location, navigate]);
  return <RouterContext.Provider value={value}>{children}</RouterContext.Provider>;
}

export function useRouter(): RouterValue {
  const r = useContext(RouterContext);
  if (!r) throw new Error('useRouter outside <Router>');
  return r;
}

/**
 * Matches a path against a pattern like `/patients/:id`; returns the decoded parameters or null.
 * A trailing slash on the path is ignored.
 */
export function matchPath(pattern: string, pathname: string): Record<string, string> | null {
  const p = pattern.split('/').filter(Boolean);
  const s = pathname.replace(/\/+$/, '').split('/').filter(Boolean);
  if (p.length !== s.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    const seg = p[i]!;
    const val = s[i]!;
    if (seg.startsWith(':')) {
      try {
        params[seg.slice(1)] = decodeURIComponent(val);
      } catch {
        return null;
      }
    } else if (seg !== val) return null;
  }
  return params;
}

type LinkProps = AnchorHTMLAttributes<HTMLAnchorElement> & { to: string };

/** An anchor that navigates in the app (plain clicks) and still opens in a new tab on modified clicks. */
export function Link({ to, onClick, ...rest }: LinkProps) {
  const { navigate } = useRouter();
  const handle = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
  return <a href={to} onClick={handle} {...rest} />;
}
