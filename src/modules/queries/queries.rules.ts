/**
 * Compliant query practice as pure rules (AHIMA/ACDIS "Guidelines for Achieving a Compliant Query Practice",
 * 2022 update): query types and when yes/no is allowed, the options a multiple-choice query must offer, clinical
 * indicators, and the wording check run before a query is sent (no payment or quality-score talk, no leading).
 */
import { z } from 'zod';

export const QueryType = { openEnded: 'open_ended', multipleChoice: 'multiple_choice', yesNo: 'yes_no' } as const;
export type QueryType = (typeof QueryType)[keyof typeof QueryType];

/**
 * The purposes for which the 2022 brief allows a yes/no query: substantiating or further specifying a diagnosis
 * already present in the record, establishing cause and effect, resolving conflicting documentation, and
 * determining present on admission. A yes/no query may never introduce a new diagnosis.
 */
export const YesNoPurpose = {
  poa: 'poa_determination',
  causeAndEffect: 'cause_and_effect',
  conflicting: 'conflicting_documentation',
  substantiate: 'substantiate_documented_diagnosis',
} as const;
export type YesNoPurpose = (typeof YesNoPurpose)[keyof typeof YesNoPurpose];
export const yesNoPurposes = Object.values(YesNoPurpose);

export const OTHER_OPTION = 'Other (please specify)';
export const UNDETERMINED_OPTION = 'Clinically undetermined';
/** The choices a yes/no query offers (the brief: include "other" and "clinically undetermined" there too). */
export const YES_NO_OPTIONS = ['Yes', 'No', OTHER_OPTION, UNDETERMINED_OPTION] as const;

export const ClinicalIndicatorSchema = z.object({
  kind: z.enum(['lab', 'vital_sign', 'finding', 'imaging', 'medication', 'treatment', 'document_excerpt']),
  text: z.string().trim().min(2).max(2000),
  /** Where it is in the record: a document id or a description ("ED note 3/1"). */
  source: z.string().trim().max(200).nullable().default(null),
  observedAt: z.string().max(40).nullable().default(null),
});
export type ClinicalIndicator = z.infer<typeof ClinicalIndicatorSchema>;

export const QueryDraftSchema = z.object({
  type: z.enum(['open_ended', 'multiple_choice', 'yes_no']),
  purpose: z
    .enum(['poa_determination', 'cause_and_effect', 'conflicting_documentation', 'substantiate_documented_diagnosis'])
    .nullable()
    .default(null),
  question: z.string().trim().min(10).max(4000),
  options: z.array(z.string().trim().min(1).max(300)).max(12).default([]),
  indicators: z.array(ClinicalIndicatorSchema).max(30).default([]),
});
export type QueryDraft = z.infer<typeof QueryDraftSchema>;
export type QueryDraftInput = z.input<typeof QueryDraftSchema>;

export interface ComplianceProblem {
  rule:
    | 'financial_impact'
    | 'quality_metric'
    | 'leading'
    | 'missing_indicators'
    | 'missing_options'
    | 'missing_other'
    | 'missing_undetermined'
    | 'yes_no_not_allowed'
    | 'options_on_open_ended';
  /** The words at fault, as written (empty for structural problems). */
  phrase: string;
  field: string;
  message: string;
}

interface WordRule {
  rule: 'financial_impact' | 'quality_metric' | 'leading';
  pattern: RegExp;
  message: string;
}

const money = 'A query never mentions payment, reimbursement, DRG or other financial impact';
const quality = 'A query never mentions quality scores, metrics or severity/risk adjustment';
const lead = 'Leading wording: ask what the clinical picture supports without suggesting the answer';

/** Wording the brief forbids. Case-insensitive, whole words; each hit is reported with the text as written. */
export const WORDING_RULES: readonly WordRule[] = [
  { rule: 'financial_impact', pattern: /\b(?:ms-?|apr-?)?drgs?\b/gi, message: money },
  {
    rule: 'financial_impact',
    pattern:
      /\b(?:payments?|pay|paid|payers?|reimburse(?:d|ment|ments)?|revenue|money|dollars?|costs?|financial(?:ly)?|billing|bills?|charges?|case[- ]mix|cmi|relative weight)\b/gi,
    message: money,
  },
  // Upper case only: "30 cc" of fluid is a volume, "CC"/"MCC" the severity designations.
  { rule: 'financial_impact', pattern: /\$\s?\d|\b(?:MCC|CC)s?\b/g, message: money },
  { rule: 'financial_impact', pattern: /\bcomplications? (?:or|and|\/) comorbidit(?:y|ies)\b|\bmajor complication\b/gi, message: money },
  {
    rule: 'quality_metric',
    pattern:
      /\b(?:quality (?:scores?|metrics?|measures?|ratings?|indicators?)|star ratings?|psi-?\d+|patient safety indicators?|hac score|hospital-acquired condition (?:score|penalty)|mortality (?:index|score|rate)|expected mortality|risk[- ]adjust(?:ed|ment)|severity of illness|risk of mortality|readmission penalty|core measures?|scorecard)\b/gi,
    message: quality,
  },
  { rule: 'leading', pattern: /\bplease (?:document|add|include|chart|write|record|confirm|agree|state|note that)\b/gi, message: lead },
  { rule: 'leading', pattern: /\b(?:would|do|don't|wouldn't) you (?:agree|concur|think|consider)\b/gi, message: lead },
  { rule: 'leading', pattern: /\b(?:can|could) you (?:confirm|document|add|agree)\b/gi, message: lead },
  { rule: 'leading', pattern: /\bis it (?:safe|fair|reasonable) to (?:say|assume|conclude)\b/gi, message: lead },
  { rule: 'leading', pattern: /\b(?:consider|recommend|suggest) (?:documenting|adding|coding|a diagnosis of)\b/gi, message: lead },
  {
    rule: 'leading',
    pattern: /\b(?:in order to|so (?:that )?we can|to allow us to|to be able to) (?:code|capture|bill|assign)\b/gi,
    message: lead,
  },
  {
    rule: 'leading',
    pattern:
      /\b(?:the )?patient (?:has|had|is suffering from|meets criteria for) [^.?!,;]{2,60}?[,;:]?\s*please (?:confirm|verify|document)\b/gi,
    message: 'Leading: states the diagnosis and asks the physician to confirm it',
  },
  { rule: 'leading', pattern: /\b(?:clearly|obviously|evidently) (?:has|had|meets)\b/gi, message: lead },
  { rule: 'leading', pattern: /\bshould be (?:documented|coded) as\b/gi, message: lead },
];

function scan(text: string, field: string, out: ComplianceProblem[]): void {
  for (const w of WORDING_RULES) {
    for (const m of text.matchAll(new RegExp(w.pattern.source, w.pattern.flags.includes('g') ? w.pattern.flags : `${w.pattern.flags}g`))) {
      out.push({ rule: w.rule, phrase: m[0], field, message: `${w.message}: "${m[0]}"` });
    }
  }
}

const isOther = (o: string) => /^other\b/i.test(o.trim());
const isUndetermined = (o: string) => /clinically undetermined|unable to determine/i.test(o);

/**
 * Every problem of a query draft; a query is sent only when this is empty. Checks the wording of the question,
 * options and indicator texts, the options a type requires, and that clinical indicators are cited.
 */
export function checkQueryCompliance(q: QueryDraft): ComplianceProblem[] {
  const out: ComplianceProblem[] = [];
  scan(q.question, 'question', out);
  q.options.forEach((o, i) => scan(o, `options.${i}`, out));
  q.indicators.forEach((ind, i) => scan(ind.text, `indicators.${i}.text`, out));
  if (q.indicators.length === 0)
    out.push({
      rule: 'missing_indicators',
      phrase: '',
      field: 'indicators',
      message: 'Cite the clinical indicators from the record (values, findings, document excerpts) that prompt the query',
    });
  if (q.type === QueryType.multipleChoice) {
    const clinical = q.options.filter((o) => !isOther(o) && !isUndetermined(o));
    if (clinical.length < 2)
      out.push({
        rule: 'missing_options',
        phrase: '',
        field: 'options',
        message: 'A multiple-choice query offers at least two clinically reasonable options supported by the indicators',
      });
    if (!q.options.some(isOther))
      out.push({ rule: 'missing_other', phrase: '', field: 'options', message: `A multiple-choice query always offers "${OTHER_OPTION}"` });
    if (!q.options.some(isUndetermined))
      out.push({
        rule: 'missing_undetermined',
        phrase: '',
        field: 'options',
        message: `A multiple-choice query always offers "${UNDETERMINED_OPTION}"`,
      });
  }
  if (q.type === QueryType.yesNo && !q.purpose) {
    out.push({
      rule: 'yes_no_not_allowed',
      phrase: '',
      field: 'purpose',
      message:
        'Yes/no queries are allowed only to determine POA, establish cause and effect, resolve conflicting documentation, or substantiate a diagnosis already documented; use an open-ended or multiple-choice query',
    });
  }
  if (q.type === QueryType.openEnded && q.options.length > 0) {
    out.push({
      rule: 'options_on_open_ended',
      phrase: '',
      field: 'options',
      message: 'An open-ended query has no answer options; use multiple choice to offer options',
    });
  }
  return out;
}

/** The options stored with a query: yes/no queries get the fixed set; open-ended queries none. */
export function optionsFor(q: QueryDraft): string[] {
  if (q.type === QueryType.yesNo) return [...YES_NO_OPTIONS];
  if (q.type === QueryType.openEnded) return [];
  return q.options;
}

/**
 * Whether an answer agrees with the query, for the agreement rate: the physician chose a clinical option (or "Yes")
 * rather than "No", "Other" or "Clinically undetermined"; open-ended answers count as agreement when they
 * document something (free text) — the usual CDI definition of an agreed query.
 */
export function answerAgrees(type: QueryType, choice: string | null, text: string | null): boolean {
  if (type === QueryType.openEnded) return (text ?? '').trim().length > 0 && !isUndetermined(text ?? '');
  if (!choice) return false;
  if (type === QueryType.yesNo) return choice === 'Yes';
  return !isOther(choice) && !isUndetermined(choice);
}

/** Query status: open -> answered, or open -> escalated -> answered | expired. */
export const QueryStatus = { open: 'open', escalated: 'escalated', answered: 'answered', expired: 'expired' } as const;
export type QueryStatus = (typeof QueryStatus)[keyof typeof QueryStatus];

export interface QueryPolicy {
  /** Days after sending when an unanswered query is escalated (to the HIM director / physician advisor). */
  escalateAfterDays: number;
  /** Days after sending when an unanswered query expires (closed unanswered). */
  expireAfterDays: number;
}
export const defaultQueryPolicy: QueryPolicy = Object.freeze({ escalateAfterDays: 3, expireAfterDays: 30 });

/** The status a pending query should have at `now` under the policy (answered and expired queries stay). */
export function agedStatus(status: QueryStatus, sentAt: string, now: Date, policy: QueryPolicy): QueryStatus {
  if (status !== QueryStatus.open && status !== QueryStatus.escalated) return status;
  const days = (now.getTime() - Date.parse(sentAt)) / 86_400_000;
  if (days >= policy.expireAfterDays) return QueryStatus.expired;
  if (days >= policy.escalateAfterDays) return QueryStatus.escalated;
  return status;
}
