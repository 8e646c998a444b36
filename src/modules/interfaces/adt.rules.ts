import { Hl7Error, Hl7ErrorCode, HL7_NULL, type AdtMessage, type ExtendedId, type PersonName } from '../../core/hl7/index.js';

/**
 * Pure mapping from a typed ADT message to registration data (HL7 v2.8 chapter 3; UHDDS items). Conventions:
 * an empty field means "no change", the HL7 null `""` means "clear the stored value" (v2.5.1 section 2.5.3);
 * identifiers without an assigning authority are scoped to the sending facility; SSNs (CX type SS, PID-19)
 * never become plain identifiers.
 */

/** What each supported trigger does. */
export const AdtAction = {
  admit: 'admit',
  register: 'register',
  preadmit: 'preadmit',
  transfer: 'transfer',
  discharge: 'discharge',
  toInpatient: 'to_inpatient',
  toOutpatient: 'to_outpatient',
  update: 'update',
  cancelAdmit: 'cancel_admit',
  cancelTransfer: 'cancel_transfer',
  cancelDischarge: 'cancel_discharge',
  person: 'person',
  merge: 'merge',
  changeIdentifier: 'change_identifier',
} as const;
export type AdtAction = (typeof AdtAction)[keyof typeof AdtAction];

export const ACTION_OF_TRIGGER: Readonly<Record<string, AdtAction>> = {
  A01: AdtAction.admit,
  A02: AdtAction.transfer,
  A03: AdtAction.discharge,
  A04: AdtAction.register,
  A05: AdtAction.preadmit,
  A06: AdtAction.toInpatient,
  A07: AdtAction.toOutpatient,
  A08: AdtAction.update,
  A11: AdtAction.cancelAdmit,
  A12: AdtAction.cancelTransfer,
  A13: AdtAction.cancelDischarge,
  A28: AdtAction.person,
  A31: AdtAction.person,
  A40: AdtAction.merge,
  A47: AdtAction.changeIdentifier,
};

export interface IdentifierRef {
  system: string;
  value: string;
  type: string | null;
}

/** An identifier's system: the assigning authority (namespace, else universal id), else the sending facility. */
export function identifierRef(cx: ExtendedId, sendingFacility: string): IdentifierRef {
  const aa = cx.assigningAuthority;
  return {
    system: aa?.namespaceId ?? aa?.universalId ?? (sendingFacility || 'UNKNOWN'),
    value: cx.id,
    type: cx.identifierTypeCode ?? null,
  };
}

/** Identifiers of a PID that may be stored as identifiers (not SSNs, not HL7 nulls). */
export function patientIdentifiers(ids: readonly ExtendedId[], sendingFacility: string): IdentifierRef[] {
  const seen = new Set<string>();
  const out: IdentifierRef[] = [];
  for (const cx of ids) {
    if (cx.id === '' || cx.id === HL7_NULL || cx.identifierTypeCode === 'SS') continue;
    const ref = identifierRef(cx, sendingFacility);
    const k = `${ref.system}\u0000${ref.value}`;
    if (!seen.has(k)) {
      seen.add(k);
      out.push(ref);
    }
  }
  return out;
}

/** A field value: undefined = no change, null = clear (HL7 `""`), else the value. */
export function field(v: string | undefined): string | null | undefined {
  if (v === undefined || v === '') return undefined;
  return v === HL7_NULL ? null : v;
}

/** HL7 table 0001 administrative sex to UHDDS sex (M, F, U unknown, X other/non-binary). */
export function mapSex(v: string | undefined): 'M' | 'F' | 'U' | 'X' | undefined {
  if (!v) return undefined;
  const s = v.toUpperCase();
  return s === 'M' || s === 'F' ? s : s === 'O' || s === 'X' ? 'X' : 'U';
}

/** An ISO date (YYYY-MM-DD) from an HL7 date/time at day precision or finer; partial dates give undefined. */
export function isoDateOf(v: string | undefined): string | undefined {
  return v && v.length >= 10 ? v.slice(0, 10) : undefined;
}

/** An ISO UTC instant from an HL7 date/time (offset applied; no offset is read as UTC; a date is its midnight). */
export function isoInstantOf(v: string | undefined): string | undefined {
  if (!v || v.length < 10) return undefined;
  const withTime = v.length === 10 ? `${v}T00:00` : v;
  const hasZone = /[+-]\d{2}:\d{2}$/.test(withTime);
  const ms = Date.parse(hasZone ? withTime : `${withTime}Z`);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** The legal name: the complete repetition (family and given) with name type L, else the first complete one, else the first. */
export function legalName(names: readonly PersonName[]): PersonName | undefined {
  const complete = names.filter((n) => n.family && n.given && n.family !== HL7_NULL);
  return complete.find((n) => n.nameTypeCode === 'L') ?? complete[0] ?? names[0];
}

/** PV1-2 patient class to encounter type; preadmits and unknown classes fall back on the event. */
export function encounterTypeOf(
  patientClass: string | undefined,
  action: AdtAction,
): 'inpatient' | 'outpatient' | 'emergency' | 'observation' {
  if (action === AdtAction.toInpatient) return 'inpatient';
  if (action === AdtAction.toOutpatient) return 'outpatient';
  switch ((patientClass ?? '').toUpperCase()) {
    case 'I':
    case 'B':
      return 'inpatient';
    case 'E':
      return 'emergency';
    case 'O':
    case 'R':
      return 'outpatient';
    default:
      return action === AdtAction.register ? 'outpatient' : 'inpatient';
  }
}

/** The account (visit) number an encounter event needs: PID-18, else PV1-19. */
export function requireAccountNumber(adt: AdtMessage): string {
  const id = adt.accountNumber?.id;
  if (!id || id === HL7_NULL)
    throw new Hl7Error(Hl7ErrorCode.requiredFieldMissing, 'patient account number is required (PID-18 or PV1-19)', {
      segment: 'PV1',
      field: 19,
    });
  return id;
}

/** "given middle family" for next of kin and subscribers. */
export function displayName(n: PersonName | undefined): string | undefined {
  if (!n) return undefined;
  const s = [n.given, n.middle, n.family]
    .filter((x) => x && x !== HL7_NULL)
    .join(' ')
    .trim();
  return s === '' ? undefined : s;
}

export const looksLikeSsn = (v: string | undefined): v is string => v !== undefined && /^\d{3}-?\d{2}-?\d{4}$/.test(v);
export const looksLikeEmail = (v: string | undefined): v is string => v !== undefined && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v);

/** Segments that carry no patient data: shown in full when a restricted record's message is withheld. */
const STRUCTURAL_SEGMENTS = new Set(['MSH', 'EVN', 'MSA', 'ERR', 'FHS', 'FTS', 'BHS', 'BTS']);

/**
 * A raw HL7 v2 message with every segment that may carry patient data reduced to its name (`PID|…`), for showing the
 * message of a restricted record to someone who may not open it. Segment separators (CR, LF) are kept.
 */
export function withholdPatientSegments(raw: string): string {
  return raw
    .split(/(\r\n|\r|\n)/)
    .map((part) => {
      if (/^(\r\n|\r|\n)$/.test(part) || part === '') return part;
      const name = part.slice(0, 3);
      return STRUCTURAL_SEGMENTS.has(name) ? part : `${name}|…withheld (restricted record)…`;
    })
    .join('');
}
