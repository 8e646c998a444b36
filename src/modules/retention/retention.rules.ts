/**
 * Retention of the legal health record as pure rules: a rule set (one jurisdiction's periods by document type and the
 * patient's age), and when a document becomes eligible for destruction under it. No database, clock or environment:
 * `today` is always a parameter (YYYY-MM-DD, UTC).
 *
 * Sources: CMS Conditions of Participation 42 CFR 482.24(b)(1) (hospital records kept at least 5 years); state laws
 * that set longer periods, usually counted from the last encounter (discharge) or from the date of service, with
 * minors' records kept until the age of majority plus some years (AHIMA, "Retention and Destruction of Health
 * Information", 2013 practice brief). A rule set is data the HIM director keeps; nothing here is any state's law.
 */
import { z } from 'zod';
import { invalid } from '../../core/errors.js';

/** What a period is counted from: the patient's last encounter (discharge, else admission) or the document's service date. */
export const RetentionAnchor = { lastEncounter: 'last_encounter', serviceDate: 'service_date' } as const;
export type RetentionAnchor = (typeof RetentionAnchor)[keyof typeof RetentionAnchor];

export const RetentionRuleSchema = z.object({
  /** The document type it governs; null: every type without a rule of its own. */
  typeCode: z
    .string()
    .regex(/^[A-Z0-9_-]{1,20}$/, 'a document type code')
    .nullable(),
  /** Years after the anchor for adults; null: kept permanently. */
  adultYears: z.number().int().min(0).max(100).nullable(),
  anchor: z.enum([RetentionAnchor.lastEncounter, RetentionAnchor.serviceDate]),
  /** Minors at the time of service: kept at least until the age of majority plus these years; null: as adults. */
  minorYearsAfterMajority: z.number().int().min(0).max(50).nullable(),
});
export type RetentionRule = z.infer<typeof RetentionRuleSchema>;

export const RuleSetSchema = z
  .object({
    name: z.string().trim().min(3).max(200),
    jurisdiction: z.string().trim().min(2).max(60),
    description: z.string().trim().max(2000).default(''),
    ageOfMajority: z.number().int().min(14).max(25),
    rules: z.array(RetentionRuleSchema).min(1).max(100),
  })
  .superRefine((s, ctx) => {
    if (!s.rules.some((r) => r.typeCode === null))
      ctx.addIssue({ code: 'custom', path: ['rules'], message: 'one rule must cover every other type (typeCode null)' });
    const codes = s.rules.map((r) => r.typeCode ?? '*');
    if (new Set(codes).size !== codes.length) ctx.addIssue({ code: 'custom', path: ['rules'], message: 'one rule per document type' });
  });
export type RuleSetInput = z.input<typeof RuleSetSchema>;

export interface RuleSet {
  id: string;
  name: string;
  ageOfMajority: number;
  rules: RetentionRule[];
}

/** `date` plus `years` calendar years; 29 February becomes 28 February in a common year. */
export function addYears(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const year = y + years;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const day = m === 2 && d === 29 && !leap ? 28 : d;
  return `${String(year).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

const later = (a: string, b: string) => (a > b ? a : b);

/** What the rules need to know of one document and its patient (dates as YYYY-MM-DD). */
export interface RetentionFacts {
  typeCode: string;
  serviceOn: string;
  dateOfBirth: string | null;
  /** The patient's last encounter (discharge, else admission), if any. */
  lastEncounterOn: string | null;
}

export interface Eligibility {
  eligible: boolean;
  /** The first day it may be destroyed; null when it is kept permanently or cannot be told. */
  eligibleOn: string | null;
  minor: boolean;
  /** The rule and its dates, in words (for the list and the certificate). */
  explanation: string;
}

/** The rule that governs a document type: its own, else the rule for every other type. */
export function ruleFor(set: RuleSet, typeCode: string): RetentionRule | undefined {
  return set.rules.find((r) => r.typeCode === typeCode) ?? set.rules.find((r) => r.typeCode === null);
}

/**
 * When a document may be destroyed under the rule set: the adult period from its anchor, and for a patient who was a
 * minor on the date of service the later of that and the age of majority plus the minors' years. A patient whose date
 * of birth is unknown cannot be told not to have been a minor, so the document is kept.
 */
export function retentionEligibility(set: RuleSet, f: RetentionFacts, today: string): Eligibility {
  const rule = ruleFor(set, f.typeCode);
  const scope = rule?.typeCode ? `${rule.typeCode} documents` : 'all types';
  if (!rule || rule.adultYears === null)
    return { eligible: false, eligibleOn: null, minor: false, explanation: `${set.name}, ${scope}: kept permanently` };
  if (f.dateOfBirth === null)
    return {
      eligible: false,
      eligibleOn: null,
      minor: false,
      explanation: `${set.name}, ${scope}: date of birth unknown, so it cannot be told whether the patient was a minor; kept`,
    };
  const anchorOn = rule.anchor === RetentionAnchor.lastEncounter ? later(f.lastEncounterOn ?? f.serviceOn, f.serviceOn) : f.serviceOn;
  const anchorWords = rule.anchor === RetentionAnchor.lastEncounter ? 'the last encounter' : 'the date of service';
  const adultOn = addYears(anchorOn, rule.adultYears);
  const adultWords = `${rule.adultYears} years after ${anchorWords} (${anchorOn}): ${adultOn}`;
  const majorityOn = addYears(f.dateOfBirth, set.ageOfMajority);
  const minor = f.serviceOn < majorityOn;
  let eligibleOn = adultOn;
  let words = `adult, ${adultWords}`;
  if (minor && rule.minorYearsAfterMajority !== null) {
    const minorOn = addYears(majorityOn, rule.minorYearsAfterMajority);
    eligibleOn = later(adultOn, minorOn);
    words =
      `minor at service (age of majority ${set.ageOfMajority} on ${majorityOn}): the later of ${adultWords} ` +
      `and majority + ${rule.minorYearsAfterMajority} years: ${minorOn}`;
  } else if (minor) words = `minor at service, no minors' rule: ${adultWords}`;
  return {
    eligible: today >= eligibleOn,
    eligibleOn,
    minor,
    explanation: `${set.name}, ${scope}: ${words}; eligible from ${eligibleOn}`,
  };
}

/** The shortest adult period of a rule set: no document younger than this can be eligible (a cheap first filter). */
export function shortestYears(set: RuleSet): number | null {
  const years = set.rules.map((r) => r.adultYears).filter((y): y is number => y !== null);
  return years.length ? Math.min(...years) : null;
}

export const BatchStatus = { draft: 'draft', approved: 'approved', completed: 'completed' } as const;
export type BatchStatus = (typeof BatchStatus)[keyof typeof BatchStatus];

export const ItemOutcome = { pending: 'pending', destroyed: 'destroyed', skipped: 'skipped' } as const;

/** How content is destroyed by default: the blob store's AES-256-GCM ciphertext deleted (see src/modules/documents). */
export const DEFAULT_DESTRUCTION_METHOD =
  'Crypto-erase / secure delete: the encrypted content blob (AES-256-GCM) deleted from the document store, pages and search index removed; metadata kept as a tombstone';

export const NewBatchSchema = z.object({
  ruleSetId: z.string().min(1).max(64).nullish(),
  documentIds: z.array(z.string().min(1).max(64)).min(1, 'select at least one document').max(5000),
  note: z.string().trim().max(2000).nullish(),
});
export type NewBatch = z.input<typeof NewBatchSchema>;

export const ExecuteSchema = z.object({ method: z.string().trim().min(5).max(500).nullish() });

/** Parses input at a service edge: a clear error naming the field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const i = r.error.issues[0]!;
  throw invalid(`${i.path.join('.') || 'input'}: ${i.message}`);
}
