/**
 * UB-04 patient discharge status (form locator 17; 837I CL1-03), NUBC UB-04 Data Specifications Manual.
 * The codes HIM staff meet most often, with the meaning they know them by.
 */
export const dischargeStatusLabels: Readonly<Record<string, string>> = {
  '01': 'Discharged to home or self care',
  '02': 'Discharged/transferred to a short-term general hospital for inpatient care',
  '03': 'Discharged/transferred to a skilled nursing facility (SNF)',
  '04': 'Discharged/transferred to an intermediate care facility (ICF)',
  '05': "Discharged/transferred to a designated cancer center or children's hospital",
  '06': 'Discharged/transferred to home under care of a home health service organization',
  '07': 'Left against medical advice (AMA) or discontinued care',
  '09': 'Admitted as an inpatient to this hospital',
  '20': 'Expired',
  '21': 'Discharged/transferred to court/law enforcement',
  '30': 'Still a patient',
  '43': 'Discharged/transferred to a federal health care facility',
  '50': 'Hospice – home',
  '51': 'Hospice – medical facility (certified) providing hospice level of care',
  '61': 'Discharged/transferred to a hospital-based Medicare-approved swing bed',
  '62': 'Discharged/transferred to an inpatient rehabilitation facility (IRF)',
  '63': 'Discharged/transferred to a Medicare-certified long-term care hospital (LTCH)',
  '64': 'Discharged/transferred to a nursing facility certified under Medicaid but not Medicare',
  '65': 'Discharged/transferred to a psychiatric hospital or psychiatric distinct part unit',
  '66': 'Discharged/transferred to a critical access hospital (CAH)',
  '69': 'Discharged/transferred to a designated disaster alternative care site',
  '70': 'Discharged/transferred to another type of health care institution not defined elsewhere',
};

/** "03 – Discharged/transferred to a skilled nursing facility (SNF)"; unknown codes say so rather than guess. */
export function describeDischargeStatus(code: string | null | undefined): string {
  if (!code) return '';
  const c = code.trim().padStart(2, '0');
  const label = dischargeStatusLabels[c];
  return label ? `${c} – ${label}` : `${c} – code not in the UB-04 list`;
}
