/**
 * Roles and the permission table. Deny by default: a role has exactly the permissions listed here.
 * HIPAA 164.308(a)(4) (information access management) and the minimum-necessary standard (164.502(b)):
 * each role gets what its work needs. The administrator manages users and the system but has no routine
 * access to patient records.
 */
export const Role = {
  administrator: 'administrator',
  himDirector: 'him_director',
  coder: 'coder',
  himClerk: 'him_clerk',
  physician: 'physician',
  auditor: 'auditor',
} as const;
export type Role = (typeof Role)[keyof typeof Role];
export const roles: readonly Role[] = Object.values(Role);

export const roleTitles: Record<Role, string> = {
  administrator: 'Administrator',
  him_director: 'HIM director',
  coder: 'Coder',
  him_clerk: 'HIM clerk',
  physician: 'Physician',
  auditor: 'Auditor',
};

export const Permission = {
  patientSearch: 'patient:search',
  patientRead: 'patient:read',
  patientWrite: 'patient:write',
  patientRestrict: 'patient:restrict',
  encounterRead: 'encounter:read',
  encounterWrite: 'encounter:write',
  codesRead: 'codes:read',
  grouperRun: 'grouper:run',
  codingWrite: 'coding:write',
  codingRead: 'coding:read',
  codingAssign: 'coding:assign',
  codingAudit: 'coding:audit',
  queryWrite: 'query:write',
  reportsRead: 'reports:read',
  /** The analysts' read-only SQL console (src/modules/reports): raw reads across records, audited. */
  reportsSql: 'reports:sql',
  queryAnswer: 'query:answer',
  auditRead: 'audit:read',
  auditVerify: 'audit:verify',
  breakGlassReview: 'break-glass:review',
  userAdmin: 'user:admin',
  interfaceAdmin: 'interface:admin',
  mpiMerge: 'mpi:merge',
  /** Ask HIM for a patient's record (clinicians; src/modules/charts). */
  chartRequest: 'chart:request',
  /** Work the chart request queue and track paper charts: check-out, check-in, locations, boxes, labels. */
  chartTrack: 'chart:track',
  /** The legal health record (src/modules/documents): read documents and their content. */
  documentRead: 'document:read',
  /** File documents and add versions. */
  documentWrite: 'document:write',
  /** Sign (authenticate) a document as author or co-signer. */
  documentSign: 'document:sign',
  /** Read documents under a confidentiality flag without breaking the glass. */
  documentSensitive: 'document:sensitive',
  /** Document types, legal holds, misfile moves, destruction. */
  documentAdmin: 'document:admin',
  /** See background jobs and their progress (ids and counts, no PHI). */
  jobRead: 'job:read',
  /** Patients' requests to amend their record (45 CFR 164.526): log, extend, accept, deny, notify (src/modules/amendments). */
  amendmentManage: 'amendment:manage',
  /** Retention rule sets, the destruction-eligible list, destruction batches and certificates (src/modules/retention). */
  retentionManage: 'retention:manage',
  /** Chart completion: the analyst's worklist, deficiency analysis, manual deficiencies, waive and reassign (src/modules/completion). */
  completionAnalyse: 'completion:analyse',
  /** The physician's completion inbox: their deficiencies, sign, dispute (src/modules/completion). */
  completionComplete: 'completion:complete',
  /** The facility's completion rules (medical staff bylaws): days, notices, suspension threshold. */
  completionSettings: 'completion:settings',
  /** Release of information (src/modules/roi): requests, authorization checks, packets, disclosures, accounting. */
  roiManage: 'roi:manage',
  /** See the schedule: calendars, appointments, the front-desk list (src/modules/scheduling). */
  scheduleRead: 'schedule:read',
  /** Book, reschedule, cancel, check in; resources, templates, the waitlist (src/modules/scheduling). */
  scheduleManage: 'schedule:manage',
  /** Research extracts: cohorts, de-identified extracts, the extract log (src/modules/research). */
  researchExtract: 'research:extract',
  /** Claims (src/modules/claims): payers, coverages, chargemaster, charges, building, scrubbing and releasing 837s. */
  claimManage: 'claim:manage',
  /** Dictate reports and review and sign their transcriptions (src/modules/transcription). */
  transcriptionDictate: 'transcription:dictate',
  /** The transcription queue: claim a dictation, edit its draft against the audio, send it for signature. */
  transcriptionEdit: 'transcription:edit',
} as const;
export type Permission = (typeof Permission)[keyof typeof Permission];

const P = Permission;
const table: Record<Role, readonly Permission[]> = {
  administrator: [P.userAdmin, P.interfaceAdmin, P.codesRead, P.grouperRun, P.jobRead],
  him_director: [
    P.patientSearch,
    P.patientRead,
    P.patientRestrict,
    P.encounterRead,
    P.codesRead,
    P.grouperRun,
    P.auditRead,
    P.breakGlassReview,
    P.mpiMerge,
    P.codingRead,
    P.codingAssign,
    // Coding quality is the director's to review: the audit list, re-abstraction and agreement (not blind: the
    // director also reads the coder's abstract).
    P.codingAudit,
    P.queryWrite,
    P.reportsRead,
    P.reportsSql,
    P.chartTrack,
    P.documentRead,
    P.documentWrite,
    P.documentSensitive,
    P.documentAdmin,
    P.jobRead,
    P.amendmentManage,
    P.retentionManage,
    P.completionAnalyse,
    P.completionSettings,
    P.roiManage,
    P.scheduleRead,
    P.scheduleManage,
    P.researchExtract,
    P.claimManage,
    P.transcriptionEdit,
  ],
  coder: [
    P.patientSearch,
    P.patientRead,
    P.encounterRead,
    P.codesRead,
    P.grouperRun,
    P.codingWrite,
    P.codingRead,
    P.codingAssign,
    P.queryWrite,
    P.documentRead,
  ],
  him_clerk: [
    P.patientSearch,
    P.patientRead,
    P.patientWrite,
    P.encounterRead,
    P.encounterWrite,
    P.codesRead,
    P.mpiMerge,
    P.chartTrack,
    P.documentRead,
    P.documentWrite,
    P.jobRead,
    P.amendmentManage,
    P.completionAnalyse,
    P.roiManage,
    P.scheduleRead,
    P.scheduleManage,
    P.transcriptionEdit,
  ],
  physician: [
    P.patientSearch,
    P.patientRead,
    P.encounterRead,
    P.codesRead,
    P.queryAnswer,
    P.chartRequest,
    P.documentRead,
    P.documentWrite,
    P.documentSign,
    P.completionComplete,
    P.scheduleRead,
    P.transcriptionDictate,
  ],
  auditor: [
    P.patientSearch,
    P.patientRead,
    P.encounterRead,
    P.codesRead,
    P.auditRead,
    P.auditVerify,
    P.breakGlassReview,
    P.codingAudit,
    P.reportsRead,
    P.reportsSql,
    P.documentRead,
  ],
};
const sets = new Map<string, ReadonlySet<Permission>>(Object.entries(table).map(([r, ps]) => [r, new Set(ps)]));

/** True when the role holds the permission. Unknown roles hold nothing. */
export function roleHas(role: string, permission: Permission): boolean {
  return sets.get(role)?.has(permission) ?? false;
}

/**
 * What a route or service requires: one permission, or any one of several (a view that both the staff who use
 * it and the administrator who maintains it may open). Written `Permission.x` or `anyOf(Permission.x, Permission.y)`.
 */
export type PermissionRule = Permission | { readonly anyOf: readonly Permission[] };

/** The rule "any one of these permissions". */
export function anyOf(...permissions: [Permission, ...Permission[]]): PermissionRule {
  return { anyOf: permissions };
}

/** True when the role meets the rule: holds the permission, or any one of the listed permissions. */
export function roleMeets(role: string, rule: PermissionRule): boolean {
  return typeof rule === 'string' ? roleHas(role, rule) : rule.anyOf.some((p) => roleHas(role, p));
}

/** The permissions of a rule, as a list. */
export function permissionsOfRule(rule: PermissionRule): readonly Permission[] {
  return typeof rule === 'string' ? [rule] : rule.anyOf;
}

export function permissionsOf(role: string): Permission[] {
  return [...(sets.get(role) ?? [])];
}

export function isRole(v: string): v is Role {
  return (roles as readonly string[]).includes(v);
}

/** Roles that must use a second factor (TOTP) to sign in. */
export const rolesRequiringMfa: ReadonlySet<Role> = new Set([Role.administrator]);

/** Who is acting, from where and why: carried from the request into every service call and audit event. */
export interface Actor {
  userId: string;
  username: string;
  role: Role;
  sessionId?: string;
  ip?: string | null;
  userAgent?: string | null;
  /** HL7 PurposeOfUse: TREAT, HPAYMT, HOPERAT, HRESCH, PATRQT, ... defaults to HOPERAT (operations). */
  purposeOfUse?: string;
  /**
   * Work of the system itself (an interface, a batch job, the CLI): set only by `systemActor`, never for a signed-in
   * user. The record-access step lets it keep restricted records (it does not show them to anyone) and audits it.
   */
  system?: boolean;
}

/** An actor for work done by the system itself (CLI, interfaces), audited under this name. */
export function systemActor(name: string): Actor {
  return { userId: 'system', username: name, role: Role.administrator, purposeOfUse: 'HOPERAT', system: true };
}
