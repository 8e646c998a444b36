import type { MceEditName } from './mce-edits.js';

/** What a readable edit message may say about the claim. */
export interface MessageContext {
  readonly code?: string;
  readonly ageYears?: number;
  readonly sex?: string;
  readonly dischargeStatus?: number;
  readonly lengthOfStay?: number;
  /** age group of an AGE_CONFLICT (Newborn, Pediatric, Maternity, Adult) with its limits */
  readonly ageGroup?: string;
  readonly minAge?: number;
  readonly maxAge?: number;
  readonly dischargeDate?: string;
}

const SEX_WORD: Record<string, string> = { M: 'male', F: 'female', U: 'of unknown sex' };

/** A one-sentence explanation of an edit for a coder; never includes PHI beyond the claim's own codes. */
export function describeEdit(edit: MceEditName, c: MessageContext): string {
  const code = c.code ?? '';
  switch (edit) {
    case 'INVALID_CODE':
      return `${code} is not a valid ICD-10 code on the discharge date`;
    case 'INVALID_ADMIT_DX':
      return `admitting diagnosis ${code} is not a valid ICD-10-CM code on the discharge date`;
    case 'SEX_CONFLICT':
      return `${code} is used only for the other sex; the patient is ${SEX_WORD[c.sex ?? ''] ?? c.sex ?? ''}`;
    case 'AGE_CONFLICT': {
      const ages = c.minAge === c.maxAge ? `age ${c.minAge ?? ''}` : `ages ${c.minAge ?? ''}-${c.maxAge ?? ''}`;
      const group = (c.ageGroup ?? '').toLowerCase();
      return `${code} is ${group === 'adult' ? 'an' : 'a'} ${group} code (${ages}); the patient is ${c.ageYears ?? ''} years old`;
    }
    case 'QUESTIONABLE_ADMISSION':
      return `${code} is seldom a reason for inpatient admission as principal diagnosis`;
    case 'MANIFESTATION_AS_PDX':
      return `${code} is a manifestation code; code the underlying condition first`;
    case 'NONSPECIFIC_PDX':
      return `${code} is a non-specific principal diagnosis and the patient did not die`;
    case 'E_CODE_AS_PDX':
      return `${code} is an external cause code and cannot be the principal diagnosis`;
    case 'UNACCEPTABLE_PDX':
      return `${code} is not acceptable as principal diagnosis`;
    case 'REQUIRES_SDX':
      return `${code} as principal diagnosis requires a secondary diagnosis`;
    case 'DUPLICATE_OF_PDX':
      return `secondary diagnosis ${code} duplicates the principal diagnosis`;
    case 'MEDICARE_IS_SECONDARY_PAYER':
      return `${code} suggests another payer may be primary to Medicare`;
    case 'WRONG_PROCEDURE_PERFORMED':
      return `${code} reports a wrong procedure performed; the claim needs review`;
    case 'UNSPECIFIED':
      return `${code} is an unspecified code where a more specific code is expected`;
    case 'NONSPECIFIC_OR':
      return `${code} is a non-specific operating room procedure`;
    case 'OPEN_BIOPSY':
      return `${code} is an open biopsy; check whether a closed biopsy was intended`;
    case 'NON_COVERED':
      return `${code} is not covered by Medicare in this context`;
    case 'BILATERAL':
      return `${code} is one of several bilateral lower-extremity procedures with a musculoskeletal principal diagnosis`;
    case 'QUESTIONABLE_OBSTETRIC_ADMISSION':
      return `${code} is a delivery procedure but no secondary diagnosis reports the outcome of delivery`;
    case 'INCONSISTENT_WITH_LENGTH_OF_STAY':
      return `${code} needs a longer stay than the ${c.lengthOfStay ?? ''} day(s) reported`;
    case 'INVALID_AGE':
      return `age ${c.ageYears ?? ''} is outside 0-124 years`;
    case 'INVALID_SEX':
      return `sex "${c.sex ?? ''}" is not valid on the discharge date`;
    case 'INVALID_DISCHARGE_STATUS':
      return `discharge status ${c.dischargeStatus ?? ''} is not a valid patient discharge status code`;
    default:
      return edit.startsWith('LIMITED_COVERAGE')
        ? `${code} has limited Medicare coverage; payment depends on the coverage conditions`
        : `${code} ${edit.toLowerCase().replace(/_/g, ' ')}`;
  }
}

/** Message when the discharge date is missing or outside the release's dates. */
export function describeDischargeDate(date: string | undefined, first: number, last: number): string {
  const fmt = (d: number): string => `${String(d).slice(0, 4)}-${String(d).slice(4, 6)}-${String(d).slice(6, 8)}`;
  return date === undefined
    ? 'the claim has no discharge date; the code editor needs one to choose the codes'
    : `discharge date ${date} is outside ${fmt(first)}..${fmt(last)}, the dates this code editor release covers`;
}
