/** Rows of the claims tables as the assembly rules read them. */
import type { BillingProvider, X12Address } from '../../core/x12/build-837-types.js';
import type { BillingProviderTable } from '../../db/schema-claims.js';
import type { CoverageForClaim, EncounterForClaim } from './claims-assemble.rules.js';
import type { CoverageRow, EncounterClaimRow } from './claims.repository.js';

function address(
  line1: string | null,
  line2: string | null,
  city: string | null,
  state: string | null,
  zip: string | null,
): X12Address | null {
  if (!line1 || !city || !state || !zip) return null;
  return { line1, line2, city, state, zip };
}

export function toCoverage(r: CoverageRow): CoverageForClaim {
  return {
    id: r.id,
    benefitOrder: r.benefit_order,
    relationship: r.relationship,
    payer: { name: r.payer_name, payerId: r.payer_code, claimFilingIndicator: r.claim_filing_indicator },
    subscriber: {
      lastOrOrgName: r.subscriber_family_name,
      firstName: r.subscriber_given_name,
      middleName: r.subscriber_middle_name,
      memberId: r.member_id,
      groupNumber: r.group_number,
      groupName: r.group_name,
      dateOfBirth: r.subscriber_date_of_birth,
      sex: r.subscriber_sex,
      address: address(
        r.subscriber_address_line1,
        r.subscriber_address_line2,
        r.subscriber_city,
        r.subscriber_state,
        r.subscriber_postal_code,
      ),
    },
  };
}

export function toEncounter(e: EncounterClaimRow): EncounterForClaim {
  return {
    id: e.id,
    accountNumber: e.account_number,
    type: e.type,
    admitAt: e.admit_at,
    dischargeAt: e.discharge_at,
    dischargeStatus: e.discharge_status,
    admissionType: e.admission_type,
    admissionSource: e.admission_source,
    mrn: e.mrn,
    patient: {
      familyName: e.family_name,
      givenName: e.given_name,
      middleName: e.middle_name,
      dateOfBirth: e.date_of_birth,
      sex: e.sex,
      address: address(e.address_line1, e.address_line2, e.city, e.state, e.postal_code),
    },
    attending: e.attending_npi ? { lastOrOrgName: e.attending_family ?? '', firstName: e.attending_given, npi: e.attending_npi } : null,
  };
}

export function toBillingProvider(b: BillingProviderTable): BillingProvider {
  const payTo = address(b.pay_to_address_line1, b.pay_to_address_line2, b.pay_to_city, b.pay_to_state, b.pay_to_postal_code);
  return {
    name: b.name,
    npi: b.npi,
    taxonomy: b.taxonomy,
    taxId: b.tax_id,
    address: { line1: b.address_line1, line2: b.address_line2, city: b.city, state: b.state, zip: b.postal_code },
    payToAddress: payTo,
  };
}
