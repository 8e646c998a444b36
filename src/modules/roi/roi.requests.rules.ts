/**
 * What a release-of-information request needs before anything goes out, as pure rules: the legal basis by requester
 * type, what must be on file (authorization, court order, satisfactory assurance, Part 2 consent), what is held back
 * (psychotherapy notes, Part 2 records, sensitive categories), whether minimum necessary applies, and whether the
 * disclosure goes into the accounting of disclosures. Sources, 45 CFR unless said otherwise:
 *
 * - 164.506(c): treatment, payment, health care operations (TPO) need no authorization.
 * - 164.502(a)(1)(i), 164.524: the individual's own access; 164.502(g): a personal representative is treated as the individual.
 * - 164.508(a)(1): any other use or disclosure needs a valid authorization; (a)(2): psychotherapy notes need one of
 *   their own, except where required by law (164.512(a)), which includes a court order (164.103 "required by law").
 * - 164.512(b) public health, (e) judicial proceedings, (f) law enforcement, (i) research, (l) workers' compensation.
 * - 164.512(e)(1)(i): a court order — only what the order expressly authorizes; (e)(1)(ii): a subpoena without a
 *   court order only with satisfactory assurance (notice to the individual (A) or a qualified protective order (B))
 *   or the individual's authorization.
 * - 164.502(b), 164.514(d): minimum necessary, except for treatment, to the individual, under an authorization, and
 *   as required by law (164.502(b)(2)).
 * - 164.528(a)(1): disclosures left out of an accounting (TPO, to the individual, under an authorization, ...).
 * - 42 CFR 2.12, 2.31, 2.33: Part 2 SUD records only with the patient's written consent (or an exception: 2.23 the
 *   patient's own access, 2.51 medical emergency, 2.52 research, 2.64 court order under subpart E — a subpoena
 *   alone never suffices, 2.61); 2.32: each disclosure with consent carries the redisclosure notice.
 */

/** Who asks. */
export const RequesterType = {
  patient: 'patient',
  personalRepresentative: 'personal_representative',
  attorney: 'attorney',
  insurer: 'insurer',
  providerTreatment: 'provider_treatment',
  payerPayment: 'payer_payment',
  ssaDisability: 'ssa_disability',
  workersComp: 'workers_comp',
  lawEnforcement: 'law_enforcement',
  courtOrder: 'court_order',
  subpoena: 'subpoena',
  publicHealth: 'public_health',
  researchWaiver: 'research_waiver',
} as const;
export type RequesterType = (typeof RequesterType)[keyof typeof RequesterType];
export const requesterTypes = Object.values(RequesterType) as [RequesterType, ...RequesterType[]];

/** The legal basis of a disclosure to each requester type. */
export type DisclosureBasis =
  | 'individual_access'
  | 'treatment_payment_operations'
  | 'authorization'
  | 'court_order'
  | 'subpoena'
  | 'law_enforcement'
  | 'public_health'
  | 'research_waiver'
  | 'workers_comp';

/** Sensitive categories of a document (its confidentiality flags) that a release holds back unless covered. */
export const SensitiveCategory = ['part2', 'psychotherapy_notes', 'hiv', 'behavioral_health', 'reproductive_health', 'genetic'] as const;
export type SensitiveCategory = (typeof SensitiveCategory)[number];

export interface RequestTypeRule {
  basis: DisclosureBasis;
  /** A 164.508 authorization is needed (a subpoena may instead have satisfactory assurance). */
  needsAuthorization: boolean;
  /** 164.502(b): minimum necessary applies. */
  minimumNecessary: boolean;
  /** 164.528(a)(1): the disclosure is listed in the patient's accounting of disclosures. */
  accountable: boolean;
  /** The paragraph the rule follows. */
  citation: string;
}

/** What each requester type needs, table-driven. */
export const REQUEST_TYPE_RULES: Readonly<Record<RequesterType, RequestTypeRule>> = {
  patient: {
    basis: 'individual_access',
    needsAuthorization: false,
    minimumNecessary: false,
    accountable: false,
    citation: '45 CFR 164.524(a)(1); 164.502(b)(2)(ii); 164.528(a)(1)(ii)',
  },
  personal_representative: {
    basis: 'individual_access',
    needsAuthorization: false,
    minimumNecessary: false,
    accountable: false,
    citation: '45 CFR 164.502(g); 164.524(a)(1)',
  },
  provider_treatment: {
    basis: 'treatment_payment_operations',
    needsAuthorization: false,
    minimumNecessary: false,
    accountable: false,
    citation: '45 CFR 164.506(c)(2); 164.502(b)(2)(i); 164.528(a)(1)(i)',
  },
  payer_payment: {
    basis: 'treatment_payment_operations',
    needsAuthorization: false,
    minimumNecessary: true,
    accountable: false,
    citation: '45 CFR 164.506(c)(1), (3); 164.502(b); 164.528(a)(1)(i)',
  },
  attorney: {
    basis: 'authorization',
    needsAuthorization: true,
    minimumNecessary: false,
    accountable: false,
    citation: '45 CFR 164.508(a)(1); 164.502(b)(2)(iii); 164.528(a)(1)(iv)',
  },
  insurer: {
    basis: 'authorization',
    needsAuthorization: true,
    minimumNecessary: false,
    accountable: false,
    citation: '45 CFR 164.508(a)(1); 164.528(a)(1)(iv)',
  },
  ssa_disability: {
    basis: 'authorization',
    needsAuthorization: true,
    minimumNecessary: false,
    accountable: false,
    citation: '45 CFR 164.508(a)(1) (form SSA-827); 164.528(a)(1)(iv)',
  },
  workers_comp: {
    basis: 'workers_comp',
    needsAuthorization: false,
    minimumNecessary: true,
    accountable: true,
    citation: '45 CFR 164.512(l); 164.502(b); 164.528(a)(1)',
  },
  law_enforcement: {
    basis: 'law_enforcement',
    needsAuthorization: false,
    minimumNecessary: true,
    accountable: true,
    citation: '45 CFR 164.512(f)(1)(ii); 164.514(d)(3)(iii)(A); 164.528(a)(1)',
  },
  court_order: {
    basis: 'court_order',
    needsAuthorization: false,
    minimumNecessary: false,
    accountable: true,
    citation: '45 CFR 164.512(e)(1)(i); 164.502(b)(2)(v); 164.528(a)(1)',
  },
  subpoena: {
    basis: 'subpoena',
    needsAuthorization: false,
    minimumNecessary: true,
    accountable: true,
    citation: '45 CFR 164.512(e)(1)(ii); 164.502(b); 164.528(a)(1)',
  },
  public_health: {
    basis: 'public_health',
    needsAuthorization: false,
    minimumNecessary: true,
    accountable: true,
    citation: '45 CFR 164.512(b); 164.514(d)(3)(iii)(A); 164.528(a)(1)',
  },
  research_waiver: {
    basis: 'research_waiver',
    needsAuthorization: false,
    minimumNecessary: true,
    accountable: true,
    citation: '45 CFR 164.512(i)(1)(i), (i)(2); 164.528(a)(1), (b)(4)',
  },
};

/** What is on file for a request, as the specialist recorded it. */
export interface RequestFacts {
  requesterType: RequesterType;
  /** A 164.508 authorization on file, its check, what it covers. */
  authorization?: {
    valid: boolean;
    revoked: boolean;
    psychotherapyNotes: boolean;
    /** A Part 2 consent meeting 42 CFR 2.31 (an authorization with `part2` and its SUD description). */
    part2: boolean;
    /** Sensitive categories the authorization names specifically. */
    coversCategories: readonly SensitiveCategory[];
  } | null;
  /** 164.512(e)(1)(ii)(A)-(B): notice to the individual or a qualified protective order, for a subpoena. */
  satisfactoryAssurance?: boolean;
  /** A court order (164.512(e)(1)(i)) or, for law enforcement, a warrant or the 164.512(f)(1)(ii) process, on file. */
  legalDocumentOnFile?: boolean;
  /** 42 CFR 2.64: a court order under Part 2 subpart E authorizing the disclosure of SUD records. */
  part2CourtOrder?: boolean;
  /** 164.512(i)(1)(i), (i)(2): the IRB or privacy board's waiver documentation. */
  irbWaiverOnFile?: boolean;
  /** Sensitive categories a court order names expressly (164.512(e)(1)(i): only what it expressly authorizes). */
  orderCoversCategories?: readonly SensitiveCategory[];
}

/** Why a request cannot be released yet (empty: it may go). */
export const ReleaseBlocker = {
  authorizationMissing: 'authorization_missing',
  authorizationInvalid: 'authorization_invalid',
  authorizationRevoked: 'authorization_revoked',
  subpoenaWithoutAssurance: 'subpoena_without_assurance',
  legalDocumentMissing: 'legal_document_missing',
  irbWaiverMissing: 'irb_waiver_missing',
} as const;
export type ReleaseBlocker = (typeof ReleaseBlocker)[keyof typeof ReleaseBlocker];

/** The blockers of a request, with the paragraph of each. */
export function releaseBlockers(f: RequestFacts): { code: ReleaseBlocker; citation: string }[] {
  const rule = REQUEST_TYPE_RULES[f.requesterType];
  const out: { code: ReleaseBlocker; citation: string }[] = [];
  const auth = f.authorization ?? null;
  if (auth?.revoked === true) out.push({ code: ReleaseBlocker.authorizationRevoked, citation: '45 CFR 164.508(b)(5)' });
  if (rule.needsAuthorization) {
    if (auth === null) out.push({ code: ReleaseBlocker.authorizationMissing, citation: '45 CFR 164.508(a)(1)' });
    else if (!auth.valid) out.push({ code: ReleaseBlocker.authorizationInvalid, citation: '45 CFR 164.508(b)(2)' });
  }
  const validAuth = auth !== null && auth.valid && !auth.revoked;
  switch (rule.basis) {
    case 'subpoena':
      if (f.satisfactoryAssurance !== true && !validAuth)
        out.push({ code: ReleaseBlocker.subpoenaWithoutAssurance, citation: '45 CFR 164.512(e)(1)(ii)' });
      break;
    case 'court_order':
    case 'law_enforcement':
      if (f.legalDocumentOnFile !== true)
        out.push({
          code: ReleaseBlocker.legalDocumentMissing,
          citation: rule.basis === 'court_order' ? '45 CFR 164.512(e)(1)(i)' : '45 CFR 164.512(f)(1)(ii)',
        });
      break;
    case 'research_waiver':
      if (f.irbWaiverOnFile !== true) out.push({ code: ReleaseBlocker.irbWaiverMissing, citation: '45 CFR 164.512(i)(1)(i), (i)(2)' });
      break;
    default:
      break;
  }
  return out;
}

/** Why a document's category is held back, or null when it may go. */
export function heldBackReason(f: RequestFacts, category: SensitiveCategory): string | null {
  const rule = REQUEST_TYPE_RULES[f.requesterType];
  const auth =
    f.authorization !== null && f.authorization !== undefined && f.authorization.valid && !f.authorization.revoked ? f.authorization : null;
  const individual = rule.basis === 'individual_access';
  if (category === 'psychotherapy_notes') {
    // 164.524(a)(1)(i): no right of access to psychotherapy notes; 164.508(a)(2): their own authorization, except as
    // required by law (a court order).
    if (rule.basis === 'court_order' && (f.orderCoversCategories ?? []).includes(category)) return null;
    if (auth?.psychotherapyNotes === true && !individual) return null;
    return individual
      ? '45 CFR 164.524(a)(1)(i): psychotherapy notes are outside the right of access'
      : '45 CFR 164.508(a)(2): psychotherapy notes need their own authorization';
  }
  if (category === 'part2') {
    if (individual) return null; // 42 CFR 2.23: the patient's own access needs no consent
    if (rule.basis === 'court_order' && f.part2CourtOrder === true) return null; // 42 CFR 2.64
    if (auth?.part2 === true) return null; // 42 CFR 2.31, 2.33
    return rule.basis === 'subpoena' || rule.basis === 'court_order'
      ? '42 CFR 2.61, 2.64: Part 2 records need a Part 2 consent or a court order under subpart E; a subpoena alone does not suffice'
      : '42 CFR 2.12, 2.31: Part 2 records need a written Part 2 consent';
  }
  // Other sensitive categories: the individual and treatment receive them; anyone else only when the authorization
  // or order names them specifically (164.508(c)(1)(i) "specific and meaningful"; 164.512(e)(1)(i) "expressly").
  if (individual || rule.basis === 'treatment_payment_operations') return null;
  if (auth?.coversCategories.includes(category) === true) return null;
  if (rule.basis === 'court_order' && (f.orderCoversCategories ?? []).includes(category)) return null;
  return `45 CFR 164.508(c)(1)(i), 164.512(e)(1)(i): ${category.replace(/_/g, ' ')} information is released only when specifically covered`;
}

/** 42 CFR 2.32: every disclosure of Part 2 records (other than to the patient) carries the redisclosure notice. */
export function needsPart2Notice(requesterType: RequesterType, releasesPart2: boolean): boolean {
  return releasesPart2 && REQUEST_TYPE_RULES[requesterType].basis !== 'individual_access';
}

/** The notice of 42 CFR 2.32(a)(1), the short form. */
export const PART2_REDISCLOSURE_NOTICE =
  'This record which has been disclosed to you is protected by Federal confidentiality rules (42 CFR part 2). ' +
  'These rules prohibit you from using or disclosing this record, or testimony that describes the information ' +
  'contained in this record, in any civil, criminal, administrative, or legislative proceedings by any Federal, ' +
  'State, or local authority, against the patient, unless authorized by the consent of the patient, except as ' +
  'provided at 42 CFR 2.12(c)(5) or as authorized by a court in accordance with 42 CFR 2.64 or 2.65. In addition, ' +
  'the Federal rules prohibit you from making any other use or disclosure of this record unless at least one of ' +
  'the following applies: (A) Further use or disclosure is expressly permitted by the written consent of the ' +
  'individual whose information is being disclosed in this record or as otherwise permitted by 42 CFR part 2. ' +
  '(B) You are a covered entity or business associate and have received the record for treatment, payment, or ' +
  'health care operations, or (C) You have received the record from a covered entity or business associate as ' +
  'permitted by 45 CFR part 164, subparts A and E. A general authorization for the release of medical or other ' +
  'information is NOT sufficient to meet the required elements of written consent to further use or redisclose ' +
  'the record (see 42 CFR 2.31).';

/** 164.524(a)(2)-(3): grounds to deny access, unreviewable ((a)(2)) or reviewable ((a)(3), with (a)(4) review). */
export const DENIAL_GROUNDS = {
  psychotherapy_notes_or_litigation: { reviewable: false, citation: '45 CFR 164.524(a)(1)(i)-(ii), (a)(2)(i)' },
  correctional_institution: { reviewable: false, citation: '45 CFR 164.524(a)(2)(ii)' },
  research_in_progress: { reviewable: false, citation: '45 CFR 164.524(a)(2)(iii)' },
  privacy_act: { reviewable: false, citation: '45 CFR 164.524(a)(2)(iv)' },
  confidential_source: { reviewable: false, citation: '45 CFR 164.524(a)(2)(v)' },
  endangers_life_or_safety: { reviewable: true, citation: '45 CFR 164.524(a)(3)(i)' },
  harm_to_person_referenced: { reviewable: true, citation: '45 CFR 164.524(a)(3)(ii)' },
  harm_by_representative: { reviewable: true, citation: '45 CFR 164.524(a)(3)(iii)' },
  /** Third-party requests: nothing on file allows the disclosure (164.508(a)(1), 164.512). */
  no_valid_basis: { reviewable: false, citation: '45 CFR 164.502(a), 164.508(a)(1)' },
} as const;
export type DenialGround = keyof typeof DENIAL_GROUNDS;
export const denialGrounds = Object.keys(DENIAL_GROUNDS) as [DenialGround, ...DenialGround[]];

/** 164.524(d)(2): the written denial — basis, review rights where they exist, how to complain. */
export function denialLetterText(ground: DenialGround, explanation: string): string {
  const g = DENIAL_GROUNDS[ground];
  const review = g.reviewable
    ? 'You may ask that this denial be reviewed by a licensed health care professional who did not take part in the ' +
      'original decision (45 CFR 164.524(a)(4)). Write to the Health Information Management department to ask for a review.'
    : 'This denial is not subject to review (45 CFR 164.524(a)(2)).';
  return [
    `Your request has been denied. Basis: ${explanation} (${g.citation}).`,
    review,
    'You may complain to us (Privacy Officer, Health Information Management) or to the Secretary of the U.S. ' +
      'Department of Health and Human Services, Office for Civil Rights (45 CFR 164.524(d)(2)(iii)).',
  ].join('\n\n');
}
