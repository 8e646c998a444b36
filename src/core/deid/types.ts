/**
 * The categories of identifier the de-identifier tags, one per kind of HIPAA Safe Harbor identifier,
 * 45 CFR 164.514(b)(2)(i)(A)-(R). Each replaced span becomes `[CATEGORY]`.
 */
export const PHI_CATEGORIES = [
  'NAME', // (A) names
  'ADDRESS', // (B) geographic subdivisions smaller than a state: street, city, county
  'ZIP', // (B) ZIP codes
  'DATE', // (C) all elements of dates except the year
  'AGE', // (C) ages over 89
  'PHONE', // (D)
  'FAX', // (E)
  'EMAIL', // (F)
  'SSN', // (G)
  'MRN', // (H) medical record numbers
  'HEALTHPLAN', // (I) health plan beneficiary numbers
  'ACCOUNT', // (J)
  'LICENSE', // (K) certificate and license numbers
  'VEHICLE', // (L) vehicle identifiers and serial numbers, license plates
  'DEVICE', // (M) device identifiers and serial numbers
  'URL', // (N)
  'IP', // (O)
  'BIOMETRIC', // (P) biometric identifiers
  'PHOTO', // (Q) full-face photographs and comparable images
  'ID', // (R) any other unique identifying number, characteristic or code
] as const;
export type PhiCategory = (typeof PHI_CATEGORIES)[number];

/** One identifier found in a text: [start, end) in UTF-16 code units. */
export interface PhiSpan {
  start: number;
  end: number;
  category: PhiCategory;
}
