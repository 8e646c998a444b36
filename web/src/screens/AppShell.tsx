import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { Loading } from '../components/Messages.js';
import { Link, matchPath, useRouter } from '../router.js';
import { useSession } from '../session.js';
import { roleTitle } from '../roles.js';
import { canUse, homePath, navItems, visibleNav } from '../nav.js';
import { useWorkListShortcut } from '../work-list.js';
import { PatientSearchPage, type SearchState } from './PatientSearchPage.js';
import { PatientSummaryPage } from './PatientSummaryPage.js';
import { AuditLogPage } from './AuditLogPage.js';
import { UsersAdminPage } from './UsersAdminPage.js';
import { CodingWorklistPage } from './CodingWorklistPage.js';
import { AbstractingPage } from './AbstractingPage.js';
import { OutpatientCodingPage } from './OutpatientCodingPage.js';
import { CodingSummaryPage } from './CodingSummaryPage.js';
import { QueriesPage } from './QueriesPage.js';
import { CodingReportsPage } from './CodingReportsPage.js';
import { CodingAuditListPage, CodingAuditPage } from './CodingAuditPage.js';
import { ComingSoonPage, NoAccessPage, NotFoundPage } from './StaticPages.js';
import { RegisterPatientPage } from './RegisterPatientPage.js';
import { EditPatientPage } from './EditPatientPage.js';
import { DuplicatesPage } from './DuplicatesPage.js';
import { Hl7MessagesPage } from './Hl7MessagesPage.js';
import { MpiModelPage } from './MpiModelPage.js';
import { CodeLookupPage } from './CodeLookupPage.js';
import { ChartRequestsPage } from './ChartRequestsPage.js';
import { CompletionPage } from './CompletionPage.js';
import { CompletionReportsPage } from './CompletionReportsPage.js';
import { TranscriptionQueuePage } from './TranscriptionQueuePage.js';
import { TranscriptionEditorPage } from './TranscriptionEditorPage.js';
import { DictatePage } from './DictatePage.js';
import { CompletionInboxPage } from './CompletionInboxPage.js';
import { ScanQaPage } from './ScanQaPage.js';
import { AmendmentsPage } from './AmendmentsPage.js';
import { RoiQueuePage } from './RoiQueuePage.js';
import { ClaimsWorklistPage, ReleaseBatchPage } from './BillingPages.js';
import { BillingClaimPage } from './BillingClaimPage.js';
import { BillingRemittancePage } from './BillingRemittancePage.js';
import { ArAgeingPage, DenialsPage } from './BillingReceivablesPage.js';
import { RoiReportsPage } from './RoiReportsPage.js';
import { DashboardPage } from './DashboardPage.js';
import { HimIndexesPage } from './HimIndexesPage.js';
import { SqlConsolePage } from './SqlConsolePage.js';
import { RoiRequestPage } from './RoiRequestPage.js';
import { RetentionPage } from './RetentionPage.js';
import { ChartTrackingPage } from './ChartTrackingPage.js';
import { ChartLabelPage } from './ChartLabelPage.js';
import { PatientChartPage } from './PatientChartPage.js';
import { DocumentViewerPage } from './DocumentViewerPage.js';
import { DocumentSearchPage } from './DocumentSearchPage.js';

// The calendar (FullCalendar) loads with its screen, not with the app's first page.
const SchedulingPage = lazy(() => import('./SchedulingPage.js').then((m) => ({ default: m.SchedulingPage })));

const emptySearch: SearchState = { text: '', submitted: null, items: null };

/** Header, navigation and the page for the current route. */
export function AppShell() {
  const { session, signOut } = useSession();
  const { location, navigate } = useRouter();
  const mainRef = useRef<HTMLElement>(null);
  const first = useRef(true);
  // The last patient search lives here, in memory only, so "back to results" works without PHI in the URL.
  const [search, setSearch] = useState<SearchState>(emptySearch);
  const nav = visibleNav(session.permissions);
  const path = location.pathname;
  useWorkListShortcut();

  useEffect(() => {
    if (path === '/' || path === '') navigate(homePath(session.permissions), { replace: true });
    else if (path === '/admin') navigate('/admin/users', { replace: true });
  }, [path, navigate, session.permissions]);

  // Move focus to the new page for keyboard and screen-reader users.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    mainRef.current?.focus();
  }, [path]);

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to main content
      </a>
      <header className="topbar">
        <Link to={homePath(session.permissions)} className="brand">
          <span className="brand-mark" aria-hidden="true">
            C
          </span>{' '}
          Custodian
        </Link>
        <div className="topbar-user">
          <span className="user-name">{session.user.displayName}</span>
          <span className="role-badge">{roleTitle(session.user.role)}</span>
          <button type="button" className="btn btn-quiet" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <div className="shell-body">
        <nav className="sidenav" aria-label="Main">
          <ul>
            {nav.map((item) => {
              const active = path === item.path || path.startsWith(`${item.path}/`);
              return (
                <li key={item.path}>
                  <Link to={item.path} aria-current={active ? 'page' : undefined} className={active ? 'active' : undefined}>
                    {item.label}
                    {!item.available && <span className="soon-tag">soon</span>}
                  </Link>
                </li>
              );
            })}
          </ul>
        </nav>
        <main id="main" ref={mainRef} tabIndex={-1} className="content">
          <Page path={path} search={search} setSearch={setSearch} permissions={session.permissions} />
        </main>
      </div>
    </div>
  );
}

function Page({
  path,
  search,
  setSearch,
  permissions,
}: {
  path: string;
  search: SearchState;
  setSearch: (s: SearchState) => void;
  permissions: string[];
}) {
  const allowed = (p: string) => {
    const item = navItems.find((i) => i.path === p);
    return item ? canUse(permissions, item.anyOf) : false;
  };
  if (path === '/' || path === '/admin') return null;
  if (matchPath('/patients', path))
    return allowed('/patients') ? <PatientSearchPage state={search} onChange={setSearch} /> : <NoAccessPage />;
  const pid = matchPath('/patients/:id', path);
  if (pid) return permissions.includes('patient:read') ? <PatientSummaryPage key={pid.id} id={pid.id!} /> : <NoAccessPage />;
  const chart = matchPath('/patients/:id/chart', path);
  if (chart) return permissions.includes('document:read') ? <PatientChartPage key={chart.id} id={chart.id!} /> : <NoAccessPage />;
  if (matchPath('/documents', path)) return allowed('/documents') ? <DocumentSearchPage /> : <NoAccessPage />;
  const doc = matchPath('/documents/:id', path);
  if (doc) return allowed('/documents') ? <DocumentViewerPage key={doc.id} id={doc.id!} /> : <NoAccessPage />;
  const edit = matchPath('/patients/:id/edit', path);
  if (edit) return permissions.includes('patient:write') ? <EditPatientPage key={edit.id} id={edit.id!} /> : <NoAccessPage />;
  if (matchPath('/register', path)) return allowed('/register') ? <RegisterPatientPage /> : <NoAccessPage />;
  if (matchPath('/mpi/duplicates', path)) return allowed('/mpi/duplicates') ? <DuplicatesPage /> : <NoAccessPage />;
  if (matchPath('/interfaces/hl7', path)) return allowed('/interfaces/hl7') ? <Hl7MessagesPage /> : <NoAccessPage />;
  if (matchPath('/mpi/model', path)) return allowed('/mpi/model') ? <MpiModelPage /> : <NoAccessPage />;
  if (matchPath('/coding', path)) return allowed('/coding') ? <CodingWorklistPage /> : <NoAccessPage />;
  const summary = matchPath('/coding/encounters/:id/summary', path);
  if (summary) return permissions.includes('coding:read') ? <CodingSummaryPage key={summary.id} id={summary.id!} /> : <NoAccessPage />;
  const outpatient = matchPath('/coding/encounters/:id/outpatient', path);
  if (outpatient)
    return permissions.includes('coding:read') ? <OutpatientCodingPage key={outpatient.id} id={outpatient.id!} /> : <NoAccessPage />;
  const enc = matchPath('/coding/encounters/:id', path);
  if (enc) return permissions.includes('coding:read') ? <AbstractingPage key={enc.id} id={enc.id!} /> : <NoAccessPage />;
  if (matchPath('/coding-audit', path)) return allowed('/coding-audit') ? <CodingAuditListPage /> : <NoAccessPage />;
  const audit = matchPath('/coding-audit/:id', path);
  if (audit) return allowed('/coding-audit') ? <CodingAuditPage key={audit.id} id={audit.id!} /> : <NoAccessPage />;
  if (matchPath('/queries', path)) return allowed('/queries') ? <QueriesPage /> : <NoAccessPage />;
  if (matchPath('/chart-requests', path)) return allowed('/chart-requests') ? <ChartRequestsPage /> : <NoAccessPage />;
  if (matchPath('/chart-completion', path)) return allowed('/chart-completion') ? <CompletionPage /> : <NoAccessPage />;
  if (matchPath('/completion-reports', path)) return allowed('/completion-reports') ? <CompletionReportsPage /> : <NoAccessPage />;
  if (matchPath('/completion-inbox', path)) return allowed('/completion-inbox') ? <CompletionInboxPage /> : <NoAccessPage />;
  if (matchPath('/transcription', path)) return allowed('/transcription') ? <TranscriptionQueuePage /> : <NoAccessPage />;
  const dictation = matchPath('/transcription/:id', path);
  if (dictation) return allowed('/transcription') ? <TranscriptionEditorPage key={dictation.id} id={dictation.id!} /> : <NoAccessPage />;
  if (matchPath('/dictate', path)) return allowed('/dictate') ? <DictatePage /> : <NoAccessPage />;
  if (matchPath('/scan-qa', path)) return allowed('/scan-qa') ? <ScanQaPage /> : <NoAccessPage />;
  if (matchPath('/scheduling', path))
    return allowed('/scheduling') ? (
      <Suspense fallback={<Loading />}>
        <SchedulingPage />
      </Suspense>
    ) : (
      <NoAccessPage />
    );
  if (matchPath('/chart-tracking', path)) return allowed('/chart-tracking') ? <ChartTrackingPage /> : <NoAccessPage />;
  const label = matchPath('/chart-tracking/label/:id', path);
  if (label) return allowed('/chart-tracking') ? <ChartLabelPage key={label.id} id={label.id!} /> : <NoAccessPage />;
  if (matchPath('/amendments', path)) return allowed('/amendments') ? <AmendmentsPage /> : <NoAccessPage />;
  if (matchPath('/roi', path)) return allowed('/roi') ? <RoiQueuePage /> : <NoAccessPage />;
  if (matchPath('/roi-reports', path)) return allowed('/roi-reports') ? <RoiReportsPage /> : <NoAccessPage />;
  const roiReq = matchPath('/roi/requests/:id', path);
  if (roiReq) return allowed('/roi') ? <RoiRequestPage key={roiReq.id} id={roiReq.id!} /> : <NoAccessPage />;
  if (path.startsWith('/billing') && !allowed('/billing')) return <NoAccessPage />;
  if (matchPath('/billing', path)) return <ClaimsWorklistPage />;
  if (matchPath('/billing/release', path)) return <ReleaseBatchPage />;
  if (matchPath('/billing/remittance', path)) return <BillingRemittancePage />;
  if (matchPath('/billing/denials', path)) return <DenialsPage />;
  if (matchPath('/billing/ar', path)) return <ArAgeingPage />;
  const claim = matchPath('/billing/claims/:id', path);
  if (claim) return <BillingClaimPage key={claim.id} id={claim.id!} />;
  if (matchPath('/retention', path)) return allowed('/retention') ? <RetentionPage /> : <NoAccessPage />;
  if (matchPath('/reports', path)) return allowed('/reports') ? <CodingReportsPage /> : <NoAccessPage />;
  if (matchPath('/dashboard', path)) return allowed('/dashboard') ? <DashboardPage /> : <NoAccessPage />;
  if (matchPath('/indexes', path)) return allowed('/indexes') ? <HimIndexesPage /> : <NoAccessPage />;
  if (matchPath('/sql-console', path)) return allowed('/sql-console') ? <SqlConsolePage /> : <NoAccessPage />;
  if (matchPath('/codes', path)) return allowed('/codes') ? <CodeLookupPage /> : <NoAccessPage />;
  if (matchPath('/audit', path)) return allowed('/audit') ? <AuditLogPage /> : <NoAccessPage />;
  if (matchPath('/admin/users', path)) return allowed('/admin/users') ? <UsersAdminPage /> : <NoAccessPage />;
  const item = navItems.find((i) => !i.available && matchPath(i.path, path));
  if (item) return allowed(item.path) ? <ComingSoonPage item={item} /> : <NoAccessPage />;
  if (path === '/welcome') return <ComingSoonPage item={null} />;
  return <NotFoundPage />;
}
