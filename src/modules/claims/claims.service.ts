/**
 * Claims: reference data (payers, the facility's billing provider, the chargemaster), a patient's coverages and an
 * encounter's charges, building a claim from a final-coded encounter (scrubbed on every build: `ready` when clean,
 * `draft` with its findings otherwise), and the 837 export of every ready claim of one kind in one interchange. Every
 * use of patient data opens the record through the record-access step (`claim:manage`); each change is audited in
 * its transaction.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { conflict, invalid, notFound, isDomainError } from '../../core/errors.js';
import { isoNow, type Clock } from '../../core/shared/clock.js';
import { newId } from '../../core/shared/ids.js';
import type { CodeEditor } from '../../core/mce/index.js';
import { buildInterchange837, type ClaimBuildResult, type EnvelopeOptions } from '../../core/x12/envelope.js';
import type { Claim837, ClaimProvider, Submission } from '../../core/x12/build-837-types.js';
import type { Database } from '../../db/schema.js';
import { Permission, requirePermission, scopeDetail, type Actor, type RecordAccess, type RecordScope } from '../access/index.js';
import { AuditAction, recordAudit, type AuditLog } from '../audit/index.js';
import { BLOCKING_MCE_EDITS, finalAbstractOfEncounter } from '../coding/index.js';
import {
  assembleInstitutionalClaim,
  assembleProfessionalClaim,
  ClaimStatus,
  type ClaimKind,
  type ClaimSource,
  type PriorPayment,
} from './claims-assemble.rules.js';
import { isClean, scrubClaim, type CodeProblem, type ScrubFinding } from './claims-scrub.rules.js';
import { linesToMatch, loadEarlierPayers, withLineAdjudications } from './claims-cob.service.js';
import * as repo from './claims.repository.js';
import type { X12Parties } from './claims-x12-parties.js';
import { toBillingProvider, toCoverage, toEncounter } from './claims.views.js';

export interface ClaimsDeps {
  db: Kysely<Database>;
  clock: Clock;
  audit: AuditLog;
  records: RecordAccess;
  /** ICD-10 validation on a date (the codes module's loaded sets); null when code sets are not available. */
  checkCodes: ((date: string, diagnoses: string[], procedures: string[]) => CodeProblem[]) | null;
  /** The Medicare Code Editor, loaded on first use. */
  codeEditor: () => Promise<CodeEditor | null>;
  /** The 837 interchange parties from the server's configuration (CUSTODIAN_X12_*); a release may override the ids. */
  x12?: X12Parties;
}

const use = (mode: 'read' | 'write', resourceId?: string) => ({
  permission: Permission.claimManage,
  mode,
  resourceType: 'claim',
  ...(resourceId ? { resourceId } : {}),
});

async function audit(
  deps: ClaimsDeps,
  trx: Kysely<Database>,
  scope: RecordScope,
  action: AuditAction,
  resourceType: string,
  id: string,
  detail?: Record<string, unknown>,
) {
  await recordAudit(trx, deps.audit, scope.actor, {
    action,
    resourceType,
    resourceId: id,
    patientId: scope.patientId,
    outcome: 'success',
    detail: scopeDetail(scope, detail),
  });
}

async function requireClaims(deps: ClaimsDeps, actor: Actor, type: string): Promise<void> {
  if (!actor.system) await requirePermission(deps, actor, Permission.claimManage, { type });
}

export interface ClaimView {
  id: string;
  encounterId: string;
  kind: ClaimKind;
  status: ClaimStatus;
  patientControlNumber: string;
  totalCents: number;
  drg: string | null;
  findings: ScrubFinding[];
}

const viewOf = (r: {
  id: string;
  encounter_id: string;
  kind: string;
  status: string;
  patient_control_number: string;
  total_cents: number;
  drg: string | null;
  findings: string;
}): ClaimView => ({
  id: r.id,
  encounterId: r.encounter_id,
  kind: r.kind as ClaimKind,
  status: r.status as ClaimStatus,
  patientControlNumber: r.patient_control_number,
  totalCents: r.total_cents,
  drg: r.drg,
  findings: JSON.parse(r.findings) as ScrubFinding[],
});

export interface BuildClaimInput {
  kind: ClaimKind;
  /** Order of benefits of the coverage billed (1 primary, 2 secondary, ...); default 1. */
  benefitOrder?: number;
  /** What earlier payers paid, for a secondary or tertiary claim. */
  priorPayments?: PriorPayment[];
}

async function loadSource(
  deps: ClaimsDeps,
  scope: RecordScope,
  input: BuildClaimInput,
): Promise<{ source: ClaimSource; coverageId: string }> {
  const e = await repo.findEncounterForClaim(deps.db, scope);
  if (!e) throw notFound('encounter');
  const coded = await finalAbstractOfEncounter(deps.db, scope);
  if (!coded) throw invalid('encounter is not final-coded: a claim is built from the final-coded abstract');
  const billing = await repo.findBillingProvider(deps.db, e.facility_id);
  if (!billing) throw invalid("no billing provider is set up for the encounter's facility");
  const on = (e.discharge_at ?? e.admit_at).slice(0, 10);
  const coverages = (await repo.listCoverages(deps.db, scope, on)).map(toCoverage);
  const order = input.benefitOrder ?? 1;
  const dest = coverages.find((c) => c.benefitOrder === order);
  if (!dest) throw invalid(`the patient has no coverage with order of benefits ${String(order)} on the date of service`);
  const charges = (await repo.listCharges(deps.db, scope)).map((c) => ({
    component: c.component as 'facility' | 'professional',
    revenueCode: c.revenue_code,
    hcpcs: c.hcpcs,
    modifiers: JSON.parse(c.modifiers) as string[],
    units: c.units,
    amountCents: c.amount_cents,
    serviceDate: c.service_date,
    diagnosisPointers: JSON.parse(c.diagnosis_pointers) as number[],
  }));
  const opId = coded.data.procedures[0]?.operatingProviderId;
  const op = opId ? await repo.findProvider(deps.db, opId) : undefined;
  const operating: ClaimProvider | null = op?.npi ? { lastOrOrgName: op.family_name, firstName: op.given_name, npi: op.npi } : null;
  return {
    coverageId: dest.id,
    source: {
      kind: input.kind,
      encounter: toEncounter(e),
      abstract: coded.data,
      drg: coded.finalDrg,
      billingProvider: toBillingProvider(billing),
      coverages,
      destinationOrder: order,
      priorPayments: input.priorPayments ?? [],
      charges,
      operating,
    },
  };
}

/** Scrubs a claim with the code sets and the MCE the deps give. */
export async function scrub(deps: ClaimsDeps, claim: Claim837): Promise<ScrubFinding[]> {
  return scrubClaim(claim, {
    today: deps.clock.now().toISOString().slice(0, 10),
    checkCodes: deps.checkCodes,
    mce: claim.kind === '837I' ? await deps.codeEditor() : null,
    blockingMceEdits: BLOCKING_MCE_EDITS,
  });
}

/** A corrected claim (replacement 7 or void 8) built in place of a released one: what was sent is kept. */
export interface Correction {
  frequencyCode: '7' | '8';
  /** The payer's claim control number (CLP07) of the claim corrected: 2300 REF*F8. */
  originalClaimNumber: string;
  /** For a void: the claim as sent, with the frequency and REF*F8 changed (nothing is re-read). */
  voidOf?: Claim837;
}

/** A submission a corrected claim took the place of (`claims.prior_submissions`). */
export interface PriorSubmission {
  frequencyCode: string;
  interchangeControlNumber: string | null;
  transactionControlNumber: string | null;
  releasedAt: string | null;
  totalCents: number;
  payerClaimControlNumber: string | null;
  supersededAt: string;
}

/**
 * Builds (or rebuilds, while not released) the claim of a final-coded encounter for one kind and payer, scrubs it
 * and stores it: `ready` when the scrubber finds no error, else `draft` with the findings for the biller. A claim to a
 * second or later payer carries what the earlier payers decided (2320 CAS/AMT, 2430 per line) from their postings in
 * force, unless `priorPayments` are given. A rebuilt replacement keeps its frequency and REF*F8.
 */
export async function buildClaim(deps: ClaimsDeps, actor: Actor, encounterId: string, input: BuildClaimInput): Promise<ClaimView> {
  const scope = await deps.records.open(actor, { encounterId }, use('write'));
  return buildClaimInScope(deps, actor, scope, input);
}

/** `buildClaim` on an opened record; `correction` builds a replacement or void of the released claim. */
export async function buildClaimInScope(
  deps: ClaimsDeps,
  actor: Actor,
  scope: RecordScope,
  input: BuildClaimInput,
  correction?: Correction,
): Promise<ClaimView> {
  const { source, coverageId } = await loadSource(deps, scope, input);
  const before = await repo.findClaimOfEncounter(deps.db, scope, input.kind, coverageId);
  let claim: Claim837 =
    correction?.voidOf ?? (input.kind === '837I' ? assembleInstitutionalClaim(source) : assembleProfessionalClaim(source));
  if (claim.lines.length === 0) throw invalid(`the encounter has no ${input.kind === '837I' ? 'facility' : 'professional'} charges`);
  if (!correction?.voidOf && source.destinationOrder > 1 && !input.priorPayments) {
    const earlier = await loadEarlierPayers(deps.db, scope, input.kind, source.coverages, source.destinationOrder, linesToMatch(claim));
    const assembled = input.kind === '837I' ? assembleInstitutionalClaim : assembleProfessionalClaim;
    claim = withLineAdjudications(assembled({ ...source, priorPayments: earlier.priorPayments }), earlier.lineAdjudications);
  }
  const carried = correction ?? carriedCorrection(before);
  if (carried) claim = { ...claim, frequencyCode: carried.frequencyCode, originalClaimNumber: carried.originalClaimNumber };
  const findings = await scrub(deps, claim);
  const status = isClean(findings) ? ClaimStatus.ready : ClaimStatus.draft;
  const now = isoNow(deps.clock);
  return deps.db.transaction().execute(async (trx) => {
    const existing = await repo.findClaimOfEncounter(trx, scope, input.kind, coverageId);
    if (correction && existing?.status !== ClaimStatus.released) throw conflict('only a released claim is replaced or voided');
    if (!correction && existing?.status === ClaimStatus.released)
      throw conflict('the claim was released: send a replacement claim instead of rebuilding it');
    const prior = JSON.parse(existing?.prior_submissions ?? '[]') as PriorSubmission[];
    if (correction && existing)
      prior.push({
        frequencyCode: (JSON.parse(existing.data) as Claim837).frequencyCode,
        interchangeControlNumber: existing.interchange_control_number,
        transactionControlNumber: existing.transaction_control_number,
        releasedAt: existing.released_at,
        totalCents: existing.total_cents,
        payerClaimControlNumber: correction.originalClaimNumber,
        supersededAt: now,
      });
    const row = {
      patient_id: scope.patientId,
      id: existing?.id ?? newId(),
      encounter_id: scope.encounterId ?? '',
      kind: input.kind,
      coverage_id: coverageId,
      status,
      patient_control_number: claim.patientControlNumber,
      total_cents: claim.totalChargeCents,
      statement_from: claim.kind === '837I' ? claim.statementFrom : minDate(claim.lines.map((l) => l.serviceDate)),
      statement_to: claim.kind === '837I' ? claim.statementTo : maxDate(claim.lines.map((l) => l.serviceDate)),
      drg: claim.kind === '837I' ? (claim.drg ?? null) : null,
      data: JSON.stringify(claim),
      findings: JSON.stringify(findings),
      interchange_control_number: null,
      transaction_control_number: null,
      released_at: null,
      created_by: existing?.created_by ?? actor.userId,
      created_at: existing?.created_at ?? now,
      updated_at: now,
      prior_submissions: JSON.stringify(prior),
    };
    if (existing) await repo.updateClaim(trx, scope, existing.id, row);
    else await repo.insertClaim(trx, scope, row);
    await audit(deps, trx, scope, existing ? AuditAction.update : AuditAction.create, 'claim', row.id, {
      kind: input.kind,
      status,
      frequency: claim.frequencyCode,
      errors: findings.filter((f) => f.severity === 'error').length,
    });
    return viewOf(row);
  });
}

/** A replacement or void not yet released keeps its frequency and REF*F8 when it is rebuilt. */
function carriedCorrection(existing: { data: string; prior_submissions: string } | undefined): Correction | undefined {
  if (!existing || existing.prior_submissions === '[]') return undefined;
  const d = JSON.parse(existing.data) as Claim837;
  if ((d.frequencyCode === '7' || d.frequencyCode === '8') && d.originalClaimNumber)
    return { frequencyCode: d.frequencyCode, originalClaimNumber: d.originalClaimNumber };
  return undefined;
}

const minDate = (d: string[]): string => d.reduce((a, b) => (b < a ? b : a));
const maxDate = (d: string[]): string => d.reduce((a, b) => (b > a ? b : a));

/** One claim, through the record-access step. */
export async function getClaim(deps: ClaimsDeps, actor: Actor, id: string): Promise<ClaimView> {
  const loc = await repo.locateClaim(deps.db, id);
  if (!loc) throw notFound('claim');
  const scope = await deps.records.open(actor, { patientId: loc.patient_id }, use('read', id));
  const row = await repo.findClaim(deps.db, scope, id);
  if (!row) throw notFound('claim');
  return viewOf(row);
}

export interface ExportInput {
  kind: ClaimKind;
  status?: ClaimStatus;
  from?: string;
  to?: string;
  sender: { qualifier: string; id: string };
  receiver: { qualifier: string; id: string };
  submission: Submission;
  usage: 'P' | 'T';
}

export interface ExportResult {
  /** The interchange, or null when no claim went. */
  text: string | null;
  interchangeControlNumber: string | null;
  claims: { claimId: string; patientControlNumber: string | null; ok: boolean; error?: { code: string; message: string } }[];
}

/**
 * Writes every claim of one kind and status (default `ready`) in the date range into one interchange with a fresh
 * control number; the claims that went are marked released with their control numbers. A claim that cannot be
 * opened (a restricted record without a grant) or written is reported and the others go on.
 */
export async function exportClaims(
  deps: ClaimsDeps,
  actor: Actor,
  input: ExportInput,
  /** Writes the interchange (a file, a clearinghouse upload) before the claims are committed as released. */
  deliver?: (text: string) => Promise<void>,
): Promise<ExportResult> {
  await requireClaims(deps, actor, 'claim');
  const list = await deps.records.openList(actor, { permission: Permission.claimManage, resourceType: 'claim' });
  const ids = await repo.listClaimIds(deps.db, list, {
    kind: input.kind,
    status: input.status ?? ClaimStatus.ready,
    from: input.from,
    to: input.to,
  });
  const out: ExportResult['claims'] = [];
  const opened: { scope: RecordScope; id: string; claim: Claim837 }[] = [];
  for (const c of ids) {
    try {
      const scope = await deps.records.open(actor, { patientId: c.patient_id }, use('write', c.id));
      const row = await repo.findClaim(deps.db, scope, c.id);
      if (!row) throw notFound('claim');
      opened.push({ scope, id: c.id, claim: JSON.parse(row.data) as Claim837 });
    } catch (e) {
      if (!isDomainError(e)) throw e;
      out.push({ claimId: c.id, patientControlNumber: null, ok: false, error: { code: e.code, message: e.message } });
    }
  }
  if (opened.length === 0) return { text: null, interchangeControlNumber: null, claims: out };
  return deps.db.transaction().execute(async (trx) => {
    const control = await repo.nextControlNumber(trx, `isa:${input.sender.qualifier}:${input.sender.id}`);
    const envelope: EnvelopeOptions = {
      sender: input.sender,
      receiver: input.receiver,
      interchangeControlNumber: control,
      usage: input.usage,
      createdAt: deps.clock.now(),
      submission: input.submission,
    };
    const built = buildInterchange837(
      input.kind,
      opened.map((o) => o.claim),
      envelope,
    );
    const now = isoNow(deps.clock);
    for (const r of built.results) await recordResult(deps, trx, opened, r, built.interchangeControlNumber, now, out);
    if (built.text) {
      // Delivered inside the transaction: if writing fails, no claim is marked released and the number is not used.
      if (deliver) await deliver(built.text);
      await repo.insertInterchange(trx, {
        id: newId(),
        kind: input.kind,
        sender_id: input.sender.id,
        interchange_control_number: built.interchangeControlNumber,
        claim_count: built.results.filter((r) => r.ok).length,
        refused_count: out.filter((r) => !r.ok).length,
        sha256: createHash('sha256').update(built.text).digest('hex'),
        created_by: actor.userId,
        created_at: now,
      });
    }
    return { text: built.text, interchangeControlNumber: built.text ? built.interchangeControlNumber : null, claims: out };
  });
}

async function recordResult(
  deps: ClaimsDeps,
  trx: Kysely<Database>,
  opened: { scope: RecordScope; id: string }[],
  r: ClaimBuildResult,
  isa13: string,
  now: string,
  out: ExportResult['claims'],
): Promise<void> {
  const o = opened[r.index];
  if (!o) return;
  if (!r.ok) {
    out.push({ claimId: o.id, patientControlNumber: r.patientControlNumber, ok: false, ...(r.error ? { error: r.error } : {}) });
    return;
  }
  await repo.updateClaim(trx, o.scope, o.id, {
    status: ClaimStatus.released,
    interchange_control_number: isa13,
    transaction_control_number: r.transactionControlNumber ?? null,
    released_at: now,
    updated_at: now,
  });
  await audit(deps, trx, o.scope, AuditAction.export, 'claim', o.id, { interchange: isa13 });
  out.push({ claimId: o.id, patientControlNumber: r.patientControlNumber, ok: true });
}
