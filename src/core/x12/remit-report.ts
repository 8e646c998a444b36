/**
 * The per-file report of `custodian remit parse` (issue 20): one JSON object per file,
 * `{file, transactions: [{payer, payee, paymentAmount, method, trace, claims: [...], providerAdjustments: [...],
 * balanced}], errors: [...]}`. Claim adjustments list the claim-level CAS and then the service-line CAS.
 */
import type { X12Issue } from './read-x12.js';
import { parse835, type Remittance } from './parse-835.js';

export interface RemitReportClaim {
  patientControlNumber: string;
  status: string;
  charge: number;
  paid: number;
  patientResponsibility: number;
  adjustments: { group: string; reason: string; amount: number }[];
}

export interface RemitReportTransaction {
  payer: string;
  payee: string;
  paymentAmount: number;
  method: string;
  trace: string;
  claims: RemitReportClaim[];
  providerAdjustments: { reason: string; amount: number }[];
  balanced: boolean;
}

export interface RemitFileReport {
  file: string;
  transactions: RemitReportTransaction[];
  /** Each names its segment: `{segment: 6, id: "PER", message: "segment 6 (PER): ..."}`. */
  errors: X12Issue[];
}

export function remittanceReport(r: Remittance): RemitReportTransaction {
  return {
    payer: r.payer,
    payee: r.payee,
    paymentAmount: r.paymentAmount,
    method: r.method,
    trace: r.trace,
    claims: r.claims.map((c) => ({
      patientControlNumber: c.patientControlNumber,
      status: c.status,
      charge: c.charge,
      paid: c.paid,
      patientResponsibility: c.patientResponsibility,
      adjustments: [...c.adjustments, ...c.serviceLines.flatMap((l) => l.adjustments)].map(({ group, reason, amount }) => ({
        group,
        reason,
        amount,
      })),
    })),
    providerAdjustments: r.providerAdjustments.map(({ reason, amount }) => ({ reason, amount })),
    balanced: r.balanced,
  };
}

/** Reads one file's text into its report; never throws. */
export function reportRemitFile(file: string, text: string): RemitFileReport {
  const { remittances, errors } = parse835(text);
  return { file, transactions: remittances.map(remittanceReport), errors };
}
