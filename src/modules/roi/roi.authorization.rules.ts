/**
 * Is a written authorization valid? The core elements and required statements of a HIPAA authorization
 * (45 CFR 164.508(b)(2)-(3), (c)(1)-(3)) and of a 42 CFR Part 2 consent (42 CFR 2.31), as pure rules shared by the
 * web app (the request's check), the service (a release waits for a valid authorization) and the CLI
 * (`custodian roi check-authorization`). No database, clock or environment: the date of the check is an input.
 *
 * An authorization is "defective" and not valid (164.508(b)(2)) when it has passed its expiration date or event,
 * has not been filled out completely as to an element of (c), is known by the entity to have been revoked, violates
 * the compound-authorization rule of (b)(3), or contains material information known to be false. Revocation and
 * known falsity are facts of the entity's file, not of the form: the service checks revocation itself.
 */
import { z } from 'zod';

/** The defect codes, each with the paragraph that makes it one. Sorted output uses code-point order. */
export const AuthorizationDefect = {
  /** 164.508(c)(1)(i): a specific and meaningful description of the information; 2.31(a)(3) for Part 2. */
  missingDescription: 'missing_description',
  /** 164.508(c)(1)(ii): the name or other specific identification of who may make the disclosure; 2.31(a)(2). */
  missingDiscloser: 'missing_discloser',
  /** 164.508(c)(1)(iii): the name or other specific identification of the recipient; 2.31(a)(4). */
  missingRecipient: 'missing_recipient',
  /** 164.508(c)(1)(iv): each purpose; "at the request of the individual" suffices only when the individual initiated it. */
  missingPurpose: 'missing_purpose',
  /** 164.508(c)(1)(v): an expiration date or an expiration event; 2.31(a)(7). */
  missingExpiration: 'missing_expiration',
  /** 164.508(b)(2)(i): the expiration date has passed (a date equal to the day of the check is still in force). */
  expired: 'expired',
  /** 164.508(c)(1)(vi): the signature of the individual (or representative); 2.31(a)(8). */
  missingSignature: 'missing_signature',
  /** 164.508(c)(1)(vi): the date of the signature; 2.31(a)(9). */
  missingSignatureDate: 'missing_signature_date',
  /** 164.508(b)(2)(v), (c)(1)(vi): a signature dated after the day of the check is material information known to be false. */
  signedInFuture: 'signed_in_future',
  /** 164.508(c)(1)(vi): signed by a personal representative, a description of the representative's authority. */
  missingRepresentativeAuthority: 'missing_representative_authority',
  /** 164.508(c)(2)(i): the right to revoke in writing, with the exceptions and how to revoke, or a reference to the notice; 2.31(a)(6). */
  missingRevocationStatement: 'missing_revocation_statement',
  /** 164.508(c)(2)(ii): whether treatment, payment, enrollment or eligibility may be conditioned on signing. */
  missingConditioningStatement: 'missing_conditioning_statement',
  /** 164.508(c)(2)(iii): the information may be redisclosed by the recipient and no longer protected. */
  missingRedisclosureStatement: 'missing_redisclosure_statement',
  /** 164.508(c)(3): written in plain language. */
  notPlainLanguage: 'not_plain_language',
  /** 164.508(b)(3): a compound authorization not allowed by (b)(3)(i)-(iii). */
  invalidCompound: 'invalid_compound',
  /** 42 CFR 2.31(a)(3): how much and what kind of SUD information, with an explicit description of the SUD information. */
  part2MissingSudDescription: 'part2_missing_sud_description',
} as const;
export type AuthorizationDefect = (typeof AuthorizationDefect)[keyof typeof AuthorizationDefect];
export const authorizationDefects = Object.values(AuthorizationDefect) as [AuthorizationDefect, ...AuthorizationDefect[]];

/** The answer for a line that is not JSON, not an object, has no id, or no usable date of the check. */
export const UNREADABLE = 'unreadable';

/** The four required statements of 164.508(c)(2), as ticked on the form. */
export interface AuthorizationStatements {
  rightToRevoke?: boolean | null;
  revocationHowTo?: boolean | null;
  conditioning?: boolean | null;
  redisclosure?: boolean | null;
}

/**
 * An authorization as read from the form. Missing fields and nulls mean "not present on the form"; so does a
 * blank text, a date that is not a calendar date, and a value of the wrong kind.
 */
export interface AuthorizationForm {
  id: string | number;
  /** YYYY-MM-DD: the day of the check. */
  checkedOn: string;
  description?: string | null;
  discloser?: string | null;
  recipient?: string | null;
  purpose?: string | null;
  initiatedByPatient?: boolean | null;
  expirationDate?: string | null;
  expirationEvent?: string | null;
  signatureDate?: string | null;
  signedBy?: 'patient' | 'representative' | null;
  representativeAuthority?: string | null;
  statements?: AuthorizationStatements | null;
  psychotherapyNotes?: boolean | null;
  combinedWith?: readonly string[] | null;
  part2?: boolean | null;
  part2SudDescription?: string | null;
  plainLanguage?: boolean | null;
}

export interface AuthorizationResult {
  id: string | number | null;
  valid: boolean;
  defects: string[];
}

const isoDate = /^\d{4}-\d{2}-\d{2}$/;

/** A YYYY-MM-DD string that names a real calendar day (2026-02-30 does not). */
export function isCalendarDate(s: unknown): s is string {
  if (typeof s !== 'string' || !isoDate.test(s)) return false;
  const t = Date.parse(`${s}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().startsWith(s);
}

const present = (s: unknown): s is string => typeof s === 'string' && s.trim() !== '';
const ticked = (b: unknown): boolean => b === true;
const words = (s: string): string =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

/**
 * 164.508(c)(1)(iv): "The statement 'at the request of the individual' is a sufficient description of the purpose
 * when an individual initiates the authorization and does not, or elects not to, provide a statement of the purpose."
 */
const AT_REQUEST = new Set([
  'at the request of the individual',
  'at the request of the patient',
  'at the individual s request',
  'at the patient s request',
]);

/**
 * 164.508(c)(1)(v): "The statement 'end of the research study,' 'none,' or similar language is sufficient if the
 * authorization is for a use or disclosure of protected health information for research" — and only then.
 */
const NO_EXPIRATION = new Set([
  'none',
  'n a',
  'na',
  'never',
  'no expiration',
  'does not expire',
  'no expiration date',
  'indefinite',
  'indefinitely',
]);

const isResearch = (a: AuthorizationForm): boolean =>
  (present(a.purpose) && /\bresearch\b/i.test(a.purpose)) || (a.combinedWith ?? []).some((d) => /research/i.test(d));

const isPsychotherapyAuthorization = (doc: string): boolean => /psychotherapy/i.test(doc) && /authori[sz]ation/i.test(doc);
const isConsentToTreat = (doc: string): boolean => /consent/i.test(doc) && /treat/i.test(doc);
const isResearchPermission = (doc: string): boolean => /research/i.test(doc);
const isAuthorization = (doc: string): boolean => /authori[sz]ation/i.test(doc);

/**
 * 164.508(b)(3): an authorization may not be combined with any other document to create a compound authorization,
 * except (i) research: with any other written permission for the same or another research study (consent to
 * participate included); (ii) an authorization for psychotherapy notes only with another authorization for
 * psychotherapy notes; (iii) other authorizations with one another. A consent to treat is never an allowed partner.
 */
export function isInvalidCompound(psychotherapyNotes: boolean, combinedWith: readonly string[]): boolean {
  for (const doc of combinedWith) {
    if (isConsentToTreat(doc)) return true;
    if (psychotherapyNotes) {
      if (!isPsychotherapyAuthorization(doc)) return true; // (b)(3)(ii)
    } else {
      if (isPsychotherapyAuthorization(doc)) return true; // (b)(3)(ii): the other one may only join psychotherapy notes
      if (!isAuthorization(doc) && !isResearchPermission(doc)) return true; // (b)(3): no other document
    }
  }
  return false;
}

/** The defects of the purpose element, 164.508(c)(1)(iv). */
function purposeDefect(a: AuthorizationForm): boolean {
  if (!present(a.purpose)) return true;
  return AT_REQUEST.has(words(a.purpose)) && !ticked(a.initiatedByPatient);
}

/** The expiration element, 164.508(c)(1)(v), and expiry, 164.508(b)(2)(i). */
function expirationDefects(a: AuthorizationForm): AuthorizationDefect[] {
  const date = isCalendarDate(a.expirationDate) ? a.expirationDate : null;
  const event = present(a.expirationEvent) && (isResearch(a) || !NO_EXPIRATION.has(words(a.expirationEvent))) ? a.expirationEvent : null;
  if (date === null && event === null) return [AuthorizationDefect.missingExpiration];
  // ISO dates compare as text; the expiration day itself is still in force.
  return date !== null && date < a.checkedOn ? [AuthorizationDefect.expired] : [];
}

/** The signature element, 164.508(c)(1)(vi). */
function signatureDefects(a: AuthorizationForm): AuthorizationDefect[] {
  const out: AuthorizationDefect[] = [];
  const signedBy = a.signedBy === 'patient' || a.signedBy === 'representative' ? a.signedBy : null;
  const dated = isCalendarDate(a.signatureDate) ? a.signatureDate : null;
  if (signedBy === null) out.push(AuthorizationDefect.missingSignature);
  else if (dated === null) out.push(AuthorizationDefect.missingSignatureDate);
  if (dated !== null && dated > a.checkedOn) out.push(AuthorizationDefect.signedInFuture);
  if (signedBy === 'representative' && !present(a.representativeAuthority)) out.push(AuthorizationDefect.missingRepresentativeAuthority);
  return out;
}

/** The required statements, 164.508(c)(2)(i)-(iii). */
function statementDefects(s: AuthorizationStatements | null | undefined): AuthorizationDefect[] {
  const st = s !== null && typeof s === 'object' ? s : {};
  const out: AuthorizationDefect[] = [];
  // (c)(2)(i): the right to revoke AND either how to revoke (with the exceptions) or a reference to the notice.
  if (!ticked(st.rightToRevoke) || !ticked(st.revocationHowTo)) out.push(AuthorizationDefect.missingRevocationStatement);
  if (!ticked(st.conditioning)) out.push(AuthorizationDefect.missingConditioningStatement);
  if (!ticked(st.redisclosure)) out.push(AuthorizationDefect.missingRedisclosureStatement);
  return out;
}

/**
 * The defects of one authorization, sorted and without repeats; empty when it is valid. `a.checkedOn` must be a
 * calendar date (see `readAuthorizationLine`, which answers `unreadable` otherwise).
 */
export function authorizationDefectsOf(a: AuthorizationForm): AuthorizationDefect[] {
  const defects = new Set<AuthorizationDefect>();
  if (!present(a.description)) defects.add(AuthorizationDefect.missingDescription);
  if (!present(a.discloser)) defects.add(AuthorizationDefect.missingDiscloser);
  if (!present(a.recipient)) defects.add(AuthorizationDefect.missingRecipient);
  if (purposeDefect(a)) defects.add(AuthorizationDefect.missingPurpose);
  for (const d of expirationDefects(a)) defects.add(d);
  for (const d of signatureDefects(a)) defects.add(d);
  for (const d of statementDefects(a.statements)) defects.add(d);
  if (!ticked(a.plainLanguage)) defects.add(AuthorizationDefect.notPlainLanguage);
  const combined = Array.isArray(a.combinedWith) ? a.combinedWith.filter((d): d is string => typeof d === 'string') : [];
  if (isInvalidCompound(ticked(a.psychotherapyNotes), combined)) defects.add(AuthorizationDefect.invalidCompound);
  if (ticked(a.part2) && !present(a.part2SudDescription)) defects.add(AuthorizationDefect.part2MissingSudDescription);
  return [...defects].sort();
}

/** The result of checking one authorization. */
export function checkAuthorization(a: AuthorizationForm): AuthorizationResult {
  const defects = authorizationDefectsOf(a);
  return { id: a.id, valid: defects.length === 0, defects };
}

const unreadable = (id: string | number | null): AuthorizationResult => ({ id, valid: false, defects: [UNREADABLE] });

/** An id as given: a non-empty string or a finite number. */
const idOf = (v: unknown): string | number | null =>
  (typeof v === 'string' && v !== '') || (typeof v === 'number' && Number.isFinite(v)) ? v : null;

/**
 * Checks one line of JSON: not JSON, not an object, or no id gives `unreadable` (with the id when there is one).
 * The day of the check is the line's `checkedOn`; a line without one is checked on `today` (the day the check
 * runs), and a `checkedOn` that is not a calendar date makes the line unreadable.
 */
export function checkAuthorizationLine(line: string, today: string): AuthorizationResult {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return unreadable(null);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return unreadable(null);
  const raw = value as Record<string, unknown>;
  const id = idOf(raw.id);
  if (id === null) return unreadable(null);
  const checkedOn = raw.checkedOn === undefined || raw.checkedOn === null ? today : raw.checkedOn;
  if (!isCalendarDate(checkedOn)) return unreadable(id);
  return checkAuthorization({ ...(raw as Partial<AuthorizationForm>), id, checkedOn });
}

/** The authorization as the web app and the service take it (zod at the edge; the same fields as the CLI). */
export const AuthorizationFormSchema = z.object({
  description: z.string().max(4000).nullish(),
  discloser: z.string().max(500).nullish(),
  recipient: z.string().max(500).nullish(),
  purpose: z.string().max(1000).nullish(),
  initiatedByPatient: z.boolean().nullish(),
  expirationDate: z.string().max(10).nullish(),
  expirationEvent: z.string().max(500).nullish(),
  signatureDate: z.string().max(10).nullish(),
  signedBy: z.enum(['patient', 'representative']).nullish(),
  representativeAuthority: z.string().max(500).nullish(),
  statements: z
    .object({
      rightToRevoke: z.boolean().nullish(),
      revocationHowTo: z.boolean().nullish(),
      conditioning: z.boolean().nullish(),
      redisclosure: z.boolean().nullish(),
    })
    .nullish(),
  psychotherapyNotes: z.boolean().nullish(),
  combinedWith: z.array(z.string().max(100)).max(20).nullish(),
  part2: z.boolean().nullish(),
  part2SudDescription: z.string().max(1000).nullish(),
  plainLanguage: z.boolean().nullish(),
});
export type AuthorizationFormInput = z.infer<typeof AuthorizationFormSchema>;
