/**
 * A patient's right to amend their record, 45 CFR 164.526, as pure rules: the 60-day clock and its one 30-day
 * extension, the states a request moves through, the four grounds on which a request may be denied, and the text of
 * the written denial. No database, clock or environment: `today` is always a parameter (a YYYY-MM-DD date, UTC).
 *
 * - 164.526(b)(2)(i): act on the request no later than 60 days after receipt.
 * - 164.526(b)(2)(ii): one extension of no more than 30 days, if within the 60 days the individual is given a written
 *   statement of the reasons for the delay and the date by which the entity will complete its action.
 * - 164.526(a)(2): grounds for denial.
 * - 164.526(c): accepting: amend (append or link), tell the individual, and tell the persons the individual names and
 *   those the entity knows have the information and may rely on it.
 * - 164.526(d): denying: a written denial in plain language (basis, the right to file a statement of disagreement,
 *   the right to have the request and denial go with future disclosures, how to complain); the statement of
 *   disagreement and the entity's rebuttal are appended or linked to the record and go with later disclosures.
 */
import { z } from 'zod';
import { invalid } from '../../core/errors.js';

export const AmendmentStatus = { open: 'open', accepted: 'accepted', denied: 'denied' } as const;
export type AmendmentStatus = (typeof AmendmentStatus)[keyof typeof AmendmentStatus];
export const amendmentStatuses = Object.values(AmendmentStatus) as [AmendmentStatus, ...AmendmentStatus[]];

export const ReceivedVia = ['mail', 'in_person', 'fax', 'email', 'portal', 'phone'] as const;
export type ReceivedVia = (typeof ReceivedVia)[number];

/** The grounds of 164.526(a)(2), in its order. */
export const DenialBasis = {
  notCreatedByEntity: 'not_created_by_entity',
  notInDesignatedRecordSet: 'not_in_designated_record_set',
  notAvailableForInspection: 'not_available_for_inspection',
  accurateAndComplete: 'accurate_and_complete',
} as const;
export type DenialBasis = (typeof DenialBasis)[keyof typeof DenialBasis];
export const denialBases = Object.values(DenialBasis) as [DenialBasis, ...DenialBasis[]];

/** Each ground in the plain language the denial letter uses, with its paragraph. */
export const denialBasisText: Readonly<Record<DenialBasis, string>> = {
  not_created_by_entity:
    'The information was not created by us, and its originator is still available to act on your request (45 CFR 164.526(a)(2)(i)).',
  not_in_designated_record_set: 'The information is not part of your designated record set (45 CFR 164.526(a)(2)(ii)).',
  not_available_for_inspection:
    'The information is not information you have a right to inspect under 45 CFR 164.524 (45 CFR 164.526(a)(2)(iii)).',
  accurate_and_complete: 'The information is accurate and complete (45 CFR 164.526(a)(2)(iv)).',
};

/** Days to act (164.526(b)(2)(i)) and the one extension's longest length (164.526(b)(2)(ii)). */
export const DAYS_TO_ACT = 60;
export const EXTENSION_DAYS = 30;
/** The list marks a request "due soon" this many days before its due date. */
export const DUE_SOON_DAYS = 7;

const DAY_MS = 86_400_000;
const isoDate = /^\d{4}-\d{2}-\d{2}$/;

/** A YYYY-MM-DD date that exists on the calendar. */
export const DateSchema = z
  .string()
  .regex(isoDate, 'a date as YYYY-MM-DD')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'no such date');

/** `date` plus `days` calendar days. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `a` to `b` (negative when b is earlier). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);
}

/** Today's date (UTC) of an instant. */
export const dateOf = (d: Date): string => d.toISOString().slice(0, 10);

/** The date by which the entity must act: 60 days after receipt. */
export const dueDateOf = (receivedOn: string): string => addDays(receivedOn, DAYS_TO_ACT);

export interface ClockFacts {
  status: string;
  receivedOn: string;
  dueOn: string;
  extendedDueOn: string | null;
  decidedOn: string | null;
}

export type ClockState = 'on_time' | 'due_soon' | 'overdue' | 'decided' | 'decided_late';

/** Where a request stands on its clock today: the date that counts (extended or not), days left, and its state. */
export function amendmentClock(r: ClockFacts, today: string): { dueOn: string; daysLeft: number; state: ClockState } {
  const dueOn = r.extendedDueOn ?? r.dueOn;
  if (r.status !== AmendmentStatus.open) {
    const late = r.decidedOn !== null && r.decidedOn > dueOn;
    return { dueOn, daysLeft: 0, state: late ? 'decided_late' : 'decided' };
  }
  const daysLeft = daysBetween(today, dueOn);
  return { dueOn, daysLeft, state: daysLeft < 0 ? 'overdue' : daysLeft <= DUE_SOON_DAYS ? 'due_soon' : 'on_time' };
}

/**
 * Why the request cannot be extended now, or null: only an open request, only once, with the patient told in writing
 * on or before the original due date (within the 60 days) and not before the request was received, and the new date
 * no more than 30 days after the original one.
 */
export function extensionProblem(
  r: { status: string; receivedOn: string; dueOn: string; extendedDueOn: string | null },
  e: { noticeOn: string; newDueOn: string },
): string | null {
  if (r.status !== AmendmentStatus.open) return `a request that was ${r.status} cannot be extended`;
  if (r.extendedDueOn !== null) return 'the time to act may be extended only once (45 CFR 164.526(b)(2)(ii))';
  if (e.noticeOn < r.receivedOn) return 'noticeOn: the notice cannot come before the request was received';
  if (e.noticeOn > r.dueOn)
    return `noticeOn: the patient must be told of the delay within the 60 days, by ${r.dueOn} (45 CFR 164.526(b)(2)(ii)(A))`;
  if (e.newDueOn <= r.dueOn) return 'newDueOn: the new date must come after the original due date';
  if (e.newDueOn > addDays(r.dueOn, EXTENSION_DAYS))
    return `newDueOn: an extension is at most 30 days, to ${addDays(r.dueOn, EXTENSION_DAYS)} (45 CFR 164.526(b)(2)(ii))`;
  return null;
}

/** Why a decision cannot be recorded, or null: only an open request, decided on a day between receipt and today. */
export function decisionProblem(r: { status: string; receivedOn: string }, decidedOn: string, today: string): string | null {
  if (r.status !== AmendmentStatus.open) return `this request was already ${r.status}`;
  if (decidedOn < r.receivedOn) return 'decidedOn: the decision cannot come before the request was received';
  if (decidedOn > today) return 'decidedOn: cannot be in the future';
  return null;
}

const text = (max: number) => z.string().trim().min(1).max(max);

export const NewAmendmentSchema = z.object({
  patientId: z.string().min(1).max(64),
  documentIds: z.array(z.string().min(1).max(64)).max(50).default([]),
  information: text(4000),
  requestedChange: text(8000),
  reason: z.string().trim().max(4000).nullish(),
  receivedOn: DateSchema,
  receivedVia: z.enum(ReceivedVia),
});
export type NewAmendment = z.input<typeof NewAmendmentSchema>;

export const ExtendSchema = z.object({
  reason: z.string().trim().min(10, 'say in a sentence why more time is needed').max(2000),
  noticeOn: DateSchema,
  /** Default: the original due date + 30 days. */
  newDueOn: DateSchema.nullish(),
});
export type ExtendInput = z.input<typeof ExtendSchema>;

export const RecipientSchema = z.object({
  recipient: text(300),
  kind: z.enum(['person', 'organisation']),
  identifiedBy: z.enum(['patient', 'entity']),
});
export type RecipientInput = z.input<typeof RecipientSchema>;

export const AcceptSchema = z
  .object({
    /** The amended document: a new version of kind amendment with this text is added to it ... */
    documentId: z.string().min(1).max(64),
    amendmentText: z.string().trim().min(1).max(20000).nullish(),
    /** ... or an amendment version already added to it (uploaded through the documents screen) is linked. */
    version: z.number().int().min(1).nullish(),
    decidedOn: DateSchema.nullish(),
    notify: z.array(RecipientSchema).max(100).default([]),
  })
  .refine((a) => (a.amendmentText ? 1 : 0) + (a.version ? 1 : 0) === 1, {
    error: 'give either amendmentText (a new amendment version) or version (an existing one)',
    path: ['amendmentText'],
  });
export type AcceptInput = z.input<typeof AcceptSchema>;

export const DenySchema = z.object({
  basis: z.enum(denialBases),
  explanation: z.string().trim().min(10, 'explain the denial in plain language').max(8000),
  decidedOn: DateSchema.nullish(),
  /** Where and to whom a complaint may be made (164.526(d)(1)(iv)); a default names the privacy officer. */
  complaintContact: z.string().trim().max(1000).nullish(),
});
export type DenyInput = z.input<typeof DenySchema>;

export const DisagreementSchema = z.object({ text: z.string().trim().min(1).max(20000), receivedOn: DateSchema });
export const RebuttalSchema = z.object({ text: z.string().trim().min(1).max(20000) });
export const NotifiedSchema = z.object({ notifiedOn: DateSchema });

/** Parses input at a service edge: a clear error naming the field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const i = r.error.issues[0]!;
  throw invalid(`${i.path.join('.') || 'input'}: ${i.message}`);
}

const DEFAULT_COMPLAINT_CONTACT =
  'the Privacy Officer of this facility, or the Secretary of the U.S. Department of Health and Human Services (Office for Civil Rights)';

/** The written denial (164.526(d)(1)): basis, the right to disagree and how, future disclosures, complaints. Plain text. */
export function denialLetterText(d: {
  receivedOn: string;
  decidedOn: string;
  basis: DenialBasis;
  explanation: string;
  complaintContact?: string | null | undefined;
}): string {
  return [
    'Denial of your request to amend your health record (45 CFR 164.526(d))',
    '',
    `We received your request on ${d.receivedOn}. On ${d.decidedOn} we denied it, in whole.`,
    '',
    `Why: ${denialBasisText[d.basis]}`,
    d.explanation,
    '',
    'You may send us a written statement disagreeing with this denial and saying why. We will keep it with your record,',
    'and it, this denial, and any rebuttal we prepare will go with any later disclosure of the information.',
    'If you do not send a statement of disagreement, you may ask that your request and this denial go with any later',
    'disclosure of the information.',
    '',
    `You may complain to ${d.complaintContact?.trim() || DEFAULT_COMPLAINT_CONTACT}.`,
  ].join('\n');
}
