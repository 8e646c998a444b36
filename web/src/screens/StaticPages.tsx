import { useEffect } from 'react';
import type { NavItem } from '../nav.js';
import { Link } from '../router.js';

export function usePageTitle(title: string): void {
  useEffect(() => {
    // Titles never carry names or MRNs: they end up in browser history.
    document.title = `${title} – Custodian`;
  }, [title]);
}

/** A capability announced in the navigation but not built yet: say so plainly, show no sample data. */
export function ComingSoonPage({ item }: { item: NavItem | null }) {
  usePageTitle(item?.label ?? 'Welcome');
  return (
    <section className="page">
      <h1>{item?.label ?? 'Welcome'}</h1>
      <div className="empty-state">
        <p className="empty-title">Coming in a later release</p>
        {item ? <p>{item.purpose}</p> : <p>Your role has no screens in this release yet.</p>}
        <p className="muted small">This page shows no data until the capability is built; nothing here is a placeholder record.</p>
      </div>
    </section>
  );
}

export function NotFoundPage() {
  usePageTitle('Page not found');
  return (
    <section className="page">
      <h1>Page not found</h1>
      <p>
        There is no page at this address. <Link to="/">Go to the start page</Link>.
      </p>
    </section>
  );
}

export function NoAccessPage() {
  usePageTitle('Not available');
  return (
    <section className="page">
      <h1>Not available for your role</h1>
      <p>Your role does not include this work. If you need it, ask your HIM director or the system administrator.</p>
    </section>
  );
}
