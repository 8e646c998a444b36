/**
 * The application's capabilities and who sees them. An item shows when the user's role holds any of its
 * permissions (GET /api/auth/session -> permissions); the server checks again on every call.
 * Capabilities not built yet lean on the nearest existing permission of the roles that will use them.
 */
export interface NavItem {
  path: string;
  label: string;
  anyOf: readonly string[];
  /** Built in this release; the others show a "coming in a later release" page. */
  available: boolean;
  /** What the capability will do, for the placeholder page. */
  purpose: string;
}

export const navItems: readonly NavItem[] = [
  {
    path: '/patients',
    label: 'Patients',
    anyOf: ['patient:search'],
    available: true,
    purpose: 'Find a patient by name, MRN or date of birth and open the summary.',
  },
  {
    path: '/register',
    label: 'Register patient',
    anyOf: ['patient:write'],
    available: true,
    purpose: 'Register a patient after checking the master patient index for an existing record.',
  },
  {
    path: '/mpi/duplicates',
    label: 'Duplicate records',
    anyOf: ['mpi:merge'],
    available: true,
    purpose: 'Potential duplicate records side by side; merge and unmerge.',
  },
  {
    path: '/documents',
    label: 'Documents',
    anyOf: ['document:read'],
    available: true,
    purpose: 'Search the text of the legal health record (native and OCR) and open documents in the viewer.',
  },
  {
    path: '/coding',
    label: 'Coding worklist',
    anyOf: ['coding:read'],
    available: true,
    purpose: 'Discharged, not final billed (DNFB) encounters waiting for coding, with ICD-10-CM/PCS abstracting and the MS-DRG grouper.',
  },
  {
    path: '/coding-audit',
    label: 'Coding audit',
    anyOf: ['coding:audit'],
    available: true,
    purpose: 'Blind re-abstraction of final-coded encounters and code-level agreement with the coder.',
  },
  {
    path: '/queries',
    label: 'Queries',
    anyOf: ['query:write', 'query:answer'],
    available: true,
    purpose: 'Compliant physician queries (AHIMA/ACDIS 2022): ask, answer and track clarification of documentation.',
  },
  {
    path: '/chart-requests',
    label: 'Chart requests',
    anyOf: ['chart:request', 'chart:track'],
    available: true,
    purpose: 'Ask HIM for a record; the HIM queue by the time each is needed, fulfilled electronically or by pulling the paper chart.',
  },
  {
    path: '/scheduling',
    label: 'Scheduling',
    anyOf: ['schedule:read', 'schedule:manage'],
    available: true,
    purpose:
      'Day and week calendars per provider, room or equipment: book (first available, waitlist), drag to reschedule, check in, no-show, cancel.',
  },
  {
    path: '/chart-tracking',
    label: 'Chart tracking',
    anyOf: ['chart:track'],
    available: true,
    purpose: 'Paper charts by barcode: check-out and check-in by scan, movement history, overdue list, off-site boxes, labels.',
  },
  {
    path: '/scan-qa',
    label: 'Scan QA',
    anyOf: ['document:write'],
    available: true,
    purpose: 'Scanned pages the inbox could not file: thumbnails and reasons, index by hand or discard; barcoded cover sheets.',
  },
  {
    path: '/amendments',
    label: 'Amendment requests',
    anyOf: ['amendment:manage'],
    available: true,
    purpose:
      "Patients' requests to amend their record (45 CFR 164.526): the 60-day clock and its one extension, accept or deny, statements of disagreement and rebuttals, the overdue list.",
  },
  {
    path: '/retention',
    label: 'Retention',
    anyOf: ['retention:manage'],
    available: true,
    purpose:
      'Retention rule sets by state, document type and age; documents eligible for destruction; destruction batches and certificates.',
  },
  {
    path: '/chart-completion',
    label: 'Chart completion',
    anyOf: ['completion:analyse'],
    available: true,
    purpose: 'Deficiency analysis after discharge, assignment to the responsible physician, delinquency tracking (42 CFR 482.24(c)).',
  },
  {
    path: '/completion-reports',
    label: 'Completion reports',
    anyOf: ['completion:analyse', 'reports:read'],
    available: true,
    purpose:
      'Outstanding deficiencies by type and age, the delinquency rate by month against The Joint Commission 50% flag, physician scorecards; CSV and XLSX.',
  },
  {
    path: '/completion-inbox',
    label: 'Completion inbox',
    anyOf: ['completion:complete'],
    available: true,
    purpose: 'Your chart deficiencies, oldest first: sign, dispute, or upload the missing document.',
  },
  {
    path: '/transcription',
    label: 'Transcription',
    anyOf: ['transcription:edit', 'transcription:dictate'],
    available: true,
    purpose: 'Dictations by work type, STAT and due time: edit the recognized draft against the audio, send for signature, sign.',
  },
  {
    path: '/dictate',
    label: 'Dictate',
    anyOf: ['transcription:dictate'],
    available: true,
    purpose: 'Record a report in the browser or upload the audio; speech recognition makes the draft.',
  },
  {
    path: '/roi',
    label: 'Release of information',
    anyOf: ['roi:manage'],
    available: true,
    purpose:
      'Requests with their clocks, authorizations (45 CFR 164.508), right of access (164.524), release packets and the accounting of disclosures (164.528).',
  },
  {
    path: '/roi-reports',
    label: 'ROI reports',
    anyOf: ['roi:manage', 'reports:read'],
    available: true,
    purpose: 'Turnaround by requester type, backlog and breaches of the clocks, volumes, denials and revenue; CSV and XLSX.',
  },
  {
    path: '/billing',
    label: 'Billing',
    anyOf: ['claim:manage'],
    available: true,
    purpose:
      'Claims from final-coded encounters (837I/837P) with their scrub edits, release batches, acknowledgements (999/277CA), remittance (835) posting, denials and A/R.',
  },
  {
    path: '/dashboard',
    label: 'Director dashboard',
    anyOf: ['reports:read'],
    available: true,
    purpose:
      'DNFB accounts, charges and days by reason and by day, coding backlog and throughput, top MS-DRGs, case mix index, queries, MPI duplicates and ROI turnaround; every figure opens the encounters behind it.',
  },
  {
    path: '/indexes',
    label: 'HIM indexes',
    anyOf: ['reports:read'],
    available: true,
    purpose: 'The disease, procedure and physician indexes of final-coded discharges over a date range, searchable by code range.',
  },
  {
    path: '/sql-console',
    label: 'SQL console',
    anyOf: ['reports:sql'],
    available: true,
    purpose: 'Read-only SQL for analysts: one SELECT, 5-second limit, 1,000 rows; every statement audited.',
  },
  {
    path: '/reports',
    label: 'Reports',
    anyOf: ['reports:read'],
    available: true,
    purpose: 'DNFB dollars and days, coder productivity, chart delinquency and disclosure reports.',
  },
  {
    path: '/audit',
    label: 'Audit log',
    anyOf: ['audit:read'],
    available: true,
    purpose: 'Who looked at or changed what, when and from where (HIPAA 164.312(b)).',
  },
  {
    path: '/admin/users',
    label: 'Administration',
    anyOf: ['user:admin'],
    available: true,
    purpose: 'User accounts, roles, second factor and lockouts.',
  },
  {
    path: '/interfaces/hl7',
    label: 'HL7 messages',
    anyOf: ['interface:admin'],
    available: true,
    purpose: 'The HL7 v2 message log: status, errors, raw text and reprocessing.',
  },
  {
    path: '/mpi/model',
    label: 'Matching model',
    anyOf: ['mpi:merge', 'interface:admin'],
    available: true,
    purpose:
      "The MPI matcher's weights per field, how it scores the pairs clerks resolved, its fits; fit it to the stored patients or go back to the default.",
  },
  {
    path: '/codes',
    label: 'Code lookup',
    anyOf: ['codes:read'],
    available: true,
    purpose:
      "The encoder: search ICD-10-CM and ICD-10-PCS, browse the indexes and tables, build PCS codes, check an encounter's codes for the discharge date.",
  },
];

/** True when the permission list grants any of the required permissions. */
export function canUse(permissions: readonly string[], anyOf: readonly string[]): boolean {
  return anyOf.some((p) => permissions.includes(p));
}

/** The navigation items a user with these permissions sees. */
export function visibleNav(permissions: readonly string[]): NavItem[] {
  return navItems.filter((i) => canUse(permissions, i.anyOf));
}

/**
 * Where each role's own work is, by the permission that marks the role: a coder's worklist, a physician's query
 * inbox, the HIM director's reports (coding:assign without coding:write), an auditor's coding audits. The first that
 * applies wins.
 */
const workHome: readonly { permission: string; path: string }[] = [
  { permission: 'coding:write', path: '/coding' },
  { permission: 'query:answer', path: '/queries' },
  { permission: 'coding:assign', path: '/reports' },
  { permission: 'coding:audit', path: '/coding-audit' },
];

/** Where to land after sign-in: the role's own work, else the first capability the role can use that is built. */
export function homePath(permissions: readonly string[]): string {
  const own = workHome.find((w) => permissions.includes(w.permission) && visibleNav(permissions).some((i) => i.path === w.path));
  return own?.path ?? visibleNav(permissions).find((i) => i.available)?.path ?? '/welcome';
}
