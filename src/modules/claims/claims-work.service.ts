/**
 * The biller's worklists over HTTP and the web screens (issue 20): claims across patients with their scrub findings
 * (the claim edit worklist), one claim with its lines, postings, acknowledgements and denial work, final-coded
 * encounters not yet billed, and working a denial (a note, an appeal, a corrected claim sent, a write-off, closing
 * or reopening it). Lists go through `openList`: a restricted record the user has not opened shows its claim or
 * encounter id only, last, and only in a list not filtered by what it hides (payer, findings). One claim opens its
 * record (`claim:manage`); each step on a denial is audited with its patient.
 */
import path from 'node:path';
import { repoRoot } from '../../config/config.js';
import { conflict, invalid, isDomainError, notFound } from '../../core/errors.js';
import { isoNow } from '../../core/shared/clock.js';
import { newId } from '../../core/shared/ids.js';
import type { Claim837 } from '../../core/x12/build-837-types.js';
import { Permission, scopeDetail, type Actor } from '../access/index.js';
import { AuditAction, recordAudit } from '../audit/index.js';
import { ClaimStatus } from './claims-assemble.rules.js';
import { remittanceOf } from './claims-receivables.service.js';
import { requireClaimWork } from './claims-remit.service.js';
import type { ScrubFinding } from './claims-scrub.rules.js';
import type { ClaimsDeps } from './claims.service.js';
import * as repo from './claims-work.repository.js';
import { locateClaim } from './claims.repository.js';
import { renderCms1500, renderCms1500Batch, renderUb04, renderUb04Batch } from './claims-forms.js';
import { listClaimIds } from './claims.repository.js';

const listUse = { permission: Permission.claimManage, resourceType: 'claim' } as const;
const LIST_LIMIT = 500;

export const ScrubFilter = { errors: 'errors', warnings: 'warnings', clean: 'clean', rejected: 'rejected' } as const;
export type ScrubFilter = (typeof ScrubFilter)[keyof typeof ScrubFilter];

export interface ClaimListFilter {
  status?: string | undefined;
  kind?: string | undefined;
  payerId?: string | undefined;
  /** errors / warnings: claims with scrub findings of that severity; clean: none; rejected: the last 999/277CA rejected it. */
  scrub?: ScrubFilter | undefined;
}

export interface ClaimListItem {
  claimId: string;
  restricted: boolean;
  /** The rest is null for a restricted record the user has not opened. */
  status: string | null;
  kind: string | null;
  patientControlNumber: string | null;
  accountNumber: string | null;
  mrn: string | null;
  payerId: string | null;
  payerName: string | null;
  totalCents: number | null;
  statementFrom: string | null;
  statementTo: string | null;
  drg: string | null;
  errors: number | null;
  warnings: number | null;
  rejected: boolean | null;
  releasedAt: string | null;
}

const hiddenClaim = (claimId: string): ClaimListItem => ({
  claimId,
  restricted: true,
  status: null,
  kind: null,
  patientControlNumber: null,
  accountNumber: null,
  mrn: null,
  payerId: null,
  payerName: null,
  totalCents: null,
  statementFrom: null,
  statementTo: null,
  drg: null,
  errors: null,
  warnings: null,
  rejected: null,
  releasedAt: null,
});

/** The claim edit worklist: claims with payer and scrub counts, newest change first, filtered. */
export async function listClaims(deps: ClaimsDeps, actor: Actor, f: ClaimListFilter = {}): Promise<ClaimListItem[]> {
  await requireClaimWork(deps, actor, 'claim');
  const list = await deps.records.openList(actor, listUse);
  const rows = await repo.listClaimRows(deps.db, list, f, LIST_LIMIT);
  const rejected = await repo.rejectedAmong(
    deps.db,
    rows.map((r) => r.id),
  );
  // A hidden row may not be found by what it hides: payer and findings filters leave it out.
  const hiddenAllowed = !f.payerId && !f.scrub;
  const shown: ClaimListItem[] = [];
  const hidden: ClaimListItem[] = [];
  for (const r of rows) {
    if (!list.showsDetails({ patientId: r.patient_id, restricted: r.restricted })) {
      if (hiddenAllowed) hidden.push(hiddenClaim(r.id));
      continue;
    }
    const findings = JSON.parse(r.findings) as ScrubFinding[];
    const errors = findings.filter((x) => x.severity === 'error').length;
    const warnings = findings.length - errors;
    const isRejected = rejected.has(r.id);
    if (f.scrub === 'errors' && errors === 0) continue;
    if (f.scrub === 'warnings' && warnings === 0) continue;
    if (f.scrub === 'clean' && findings.length > 0) continue;
    if (f.scrub === 'rejected' && !isRejected) continue;
    shown.push({
      claimId: r.id,
      restricted: Boolean(r.restricted),
      status: r.status,
      kind: r.kind,
      patientControlNumber: r.patient_control_number,
      accountNumber: r.account_number,
      mrn: r.mrn,
      payerId: r.payer_id,
      payerName: r.payer_name,
      totalCents: r.total_cents,
      statementFrom: r.statement_from,
      statementTo: r.statement_to,
      drg: r.drg,
      errors,
      warnings,
      rejected: isRejected,
      releasedAt: r.released_at,
    });
  }
  hidden.sort((a, b) => (a.claimId < b.claimId ? -1 : 1));
  return [...shown, ...hidden];
}

/** One claim as the biller works it: header, lines, scrub findings, postings, acknowledgements and denial work. */
export async function claimDetail(deps: ClaimsDeps, actor: Actor, id: string) {
  await requireClaimWork(deps, actor, 'claim');
  const loc = await locateClaim(deps.db, id);
  if (!loc) throw notFound('claim');
  const scope = await deps.records.open(actor, { patientId: loc.patient_id }, { ...listUse, mode: 'read', resourceId: id });
  const row = await repo.findClaimDetail(deps.db, scope, id);
  if (!row) throw notFound('claim');
  const data = JSON.parse(row.data) as Claim837;
  const lines =
    data.kind === '837I'
      ? data.lines.map((l) => ({
          revenueCode: l.revenueCode,
          procedureCode: l.hcpcs ?? null,
          modifiers: l.modifiers ?? [],
          units: l.units,
          chargeCents: l.chargeCents,
          serviceDate: l.serviceDate ?? null,
        }))
      : data.lines.map((l) => ({
          revenueCode: null,
          procedureCode: l.procedureCode,
          modifiers: l.modifiers ?? [],
          units: l.units,
          chargeCents: l.chargeCents,
          serviceDate: l.serviceDate,
        }));
  const remittance = await remittanceOf(deps, scope, id);
  const work = await repo.listDenialWork(deps.db, scope, id);
  return {
    id: row.id,
    encounterId: row.encounter_id,
    accountNumber: row.account_number,
    encounterType: row.encounter_type,
    kind: row.kind,
    status: row.status,
    patientControlNumber: row.patient_control_number,
    payerId: row.payer_id,
    payerName: row.payer_name,
    benefitOrder: row.benefit_order,
    totalCents: row.total_cents,
    statementFrom: row.statement_from,
    statementTo: row.statement_to,
    drg: row.drg,
    principalDx: data.principalDx.code,
    otherDx: data.otherDx.map((d) => d.code),
    findings: JSON.parse(row.findings) as ScrubFinding[],
    interchangeControlNumber: row.interchange_control_number,
    releasedAt: row.released_at,
    lines,
    ...remittance,
    denialWork: work.map((w) => ({
      id: w.id,
      action: w.action,
      status: w.status,
      note: w.note,
      amountCents: w.amount_cents,
      by: w.created_by,
      at: w.created_at,
    })),
  };
}
export type ClaimDetail = Awaited<ReturnType<typeof claimDetail>>;

/** Final-coded encounters without a claim (ready to build), oldest final coding first. */
export async function unbilledEncounters(deps: ClaimsDeps, actor: Actor) {
  await requireClaimWork(deps, actor, 'claim');
  const list = await deps.records.openList(actor, listUse);
  const rows = await repo.listUnbilledEncounters(deps.db, list, LIST_LIMIT);
  const shown = [];
  const hidden = [];
  for (const r of rows) {
    if (!list.showsDetails({ patientId: r.patient_id, restricted: r.restricted }))
      hidden.push({
        encounterId: r.id,
        restricted: true,
        mrn: r.mrn,
        accountNumber: null,
        type: null,
        patientName: null,
        dischargeAt: null,
        drg: null,
      });
    else
      shown.push({
        encounterId: r.id,
        restricted: Boolean(r.restricted),
        mrn: r.mrn,
        accountNumber: r.account_number,
        type: r.type,
        patientName: `${r.family_name}, ${r.given_name}`,
        dischargeAt: r.discharge_at,
        drg: r.final_drg,
      });
  }
  return [...shown, ...hidden];
}

export const DenialAction = {
  note: 'note',
  appeal: 'appeal',
  resubmit: 'resubmit',
  writeOff: 'write_off',
  close: 'close',
  reopen: 'reopen',
} as const;
export type DenialAction = (typeof DenialAction)[keyof typeof DenialAction];

/** The denial's work status after each step (a note keeps the status it had). */
const STATUS_AFTER: Record<Exclude<DenialAction, 'note'>, string> = {
  appeal: 'appealed',
  resubmit: 'resubmitted',
  write_off: 'written_off',
  close: 'closed',
  reopen: 'open',
};

export interface DenialStep {
  action: DenialAction;
  note: string;
  /** write_off: the amount written off, at most the claim's open balance. */
  amountCents?: number | undefined;
}

/**
 * A step on a denied claim: the claim must be released and have a posting in force. A write-off lowers the claim's
 * A/R balance by its amount (at most the balance left). A corrected claim (`resubmit`) is recorded here; building
 * the replacement claim (frequency 7) is not done yet.
 */
export async function workDenial(deps: ClaimsDeps, actor: Actor, claimId: string, step: DenialStep) {
  await requireClaimWork(deps, actor, 'claim');
  const note = step.note.trim();
  if (note.length < 5) throw invalid('note: say in at least 5 characters what was done');
  const loc = await locateClaim(deps.db, claimId);
  if (!loc) throw notFound('claim');
  const scope = await deps.records.open(actor, { patientId: loc.patient_id }, { ...listUse, mode: 'write', resourceId: claimId });
  const row = await repo.findClaimDetail(deps.db, scope, claimId);
  if (!row) throw notFound('claim');
  if (row.status !== ClaimStatus.released) throw conflict('only a released claim that the payer answered can be worked as a denial');
  const { postings } = await remittanceOf(deps, scope, claimId);
  const inForce = postings.filter((p) => p.kind !== 'reversal' && !p.reversedByPostingId);
  if (inForce.length === 0) throw conflict('no remittance is posted to this claim: there is no denial to work');
  const work = await repo.listDenialWork(deps.db, scope, claimId);
  const current = work.at(-1)?.status ?? 'open';
  let amount: number | null = null;
  if (step.action === 'write_off') {
    const posted = postings.reduce(
      (s, p) => s + p.paidCents + p.contractualCents + p.patientResponsibilityCents + p.otherAdjustmentCents,
      0,
    );
    const writtenOff = work.reduce((s, w) => s + (w.action === 'write_off' ? (w.amount_cents ?? 0) : 0), 0);
    const balance = row.total_cents - posted - writtenOff;
    amount = step.amountCents ?? balance;
    if (!Number.isInteger(amount) || amount <= 0) throw invalid('amountCents: a write-off is a positive amount in cents');
    if (amount > balance) throw invalid(`amountCents: the claim's open balance is ${String(balance)} cents; a write-off cannot exceed it`);
  } else if (step.amountCents !== undefined) throw invalid('amountCents: only a write-off carries an amount');
  const status = step.action === 'note' ? current : STATUS_AFTER[step.action];
  const id = newId();
  const at = isoNow(deps.clock);
  await deps.db.transaction().execute(async (trx) => {
    await repo.insertDenialWork(trx, {
      id,
      claim_id: claimId,
      action: step.action,
      status,
      note,
      amount_cents: amount,
      created_by: actor.userId,
      created_at: at,
    });
    await recordAudit(trx, deps.audit, scope.actor, {
      action: step.action === 'write_off' ? AuditAction.writeOff : AuditAction.workDenial,
      resourceType: 'claim',
      resourceId: claimId,
      patientId: scope.patientId,
      outcome: 'success',
      detail: scopeDetail(scope, { step: step.action, status, ...(amount !== null ? { amountCents: amount } : {}) }),
    });
  });
  return { id, claimId, action: step.action, status, amountCents: amount, at };
}

/** Payers (reference data, for the worklist filters). */
export async function listPayers(deps: ClaimsDeps, actor: Actor) {
  await requireClaimWork(deps, actor, 'payer');
  return (await repo.listPayers(deps.db)).map((p) => ({
    id: p.id,
    name: p.name,
    payerId: p.payer_code,
    claimFilingIndicator: p.claim_filing_indicator,
  }));
}

/** Where the red form backgrounds are (../shared/corpora/forms; UB04_Red.gif). */
export const FORMS_DIR = path.resolve(repoRoot, '..', 'shared', 'corpora', 'forms');

/**
 * The claim as a paper form PDF: UB-04 for an 837I, CMS-1500 (08/05) for an 837P, on the red form (`form`) or the
 * data alone for pre-printed forms (`data`). Opens the record (an audited read).
 */
export async function claimFormPdf(deps: ClaimsDeps, actor: Actor, id: string, mode: 'form' | 'data'): Promise<Uint8Array> {
  await requireClaimWork(deps, actor, 'claim');
  const loc = await locateClaim(deps.db, id);
  if (!loc) throw notFound('claim');
  const scope = await deps.records.open(
    actor,
    { patientId: loc.patient_id },
    { ...listUse, mode: 'read', resourceId: id, detail: { form: 'ub04' } },
  );
  const row = await repo.findClaimDetail(deps.db, scope, id);
  if (!row) throw notFound('claim');
  const data = JSON.parse(row.data) as Claim837;
  const createdOn = deps.clock.now().toISOString().slice(0, 10);
  const background = (file: string) => (mode === 'form' ? { backgroundPath: path.join(FORMS_DIR, file) } : {});
  if (data.kind === '837I') return renderUb04(data, { ...background('UB04_Red.gif'), createdOn });
  return renderCms1500(data, { ...background('HCFA1500_Red.gif'), createdOn });
}

/**
 * Every claim of one kind and status (statement through date in [from, to]) as paper forms in one PDF, for the CLI:
 * UB-04 for 837I, CMS-1500 for 837P. Each claim opens its record (audited); one that cannot be opened is reported
 * and the others go on.
 */
export async function claimFormsBatch(
  deps: ClaimsDeps,
  actor: Actor,
  f: { kind: '837I' | '837P'; status: string; from?: string | undefined; to?: string | undefined; mode: 'form' | 'data' },
): Promise<{ pdf: Uint8Array | null; claims: string[]; refused: { claimId: string; code: string }[] }> {
  await requireClaimWork(deps, actor, 'claim');
  const list = await deps.records.openList(actor, listUse);
  const ids = await listClaimIds(deps.db, list, { kind: f.kind, status: f.status, from: f.from, to: f.to });
  const data: Claim837[] = [];
  const claims: string[] = [];
  const refused: { claimId: string; code: string }[] = [];
  for (const c of ids) {
    try {
      const scope = await deps.records.open(
        actor,
        { patientId: c.patient_id },
        { ...listUse, mode: 'read', resourceId: c.id, detail: { form: true } },
      );
      const row = await repo.findClaimDetail(deps.db, scope, c.id);
      if (!row) throw notFound('claim');
      data.push(JSON.parse(row.data) as Claim837);
      claims.push(c.id);
    } catch (e) {
      if (!isDomainError(e)) throw e;
      refused.push({ claimId: c.id, code: e.code });
    }
  }
  if (data.length === 0) return { pdf: null, claims, refused };
  const createdOn = deps.clock.now().toISOString().slice(0, 10);
  const file = f.kind === '837I' ? 'UB04_Red.gif' : 'HCFA1500_Red.gif';
  const opts = { ...(f.mode === 'form' ? { backgroundPath: path.join(FORMS_DIR, file) } : {}), createdOn };
  const pdf =
    f.kind === '837I'
      ? await renderUb04Batch(
          data.filter((d) => d.kind === '837I'),
          opts,
        )
      : await renderCms1500Batch(
          data.filter((d) => d.kind === '837P'),
          opts,
        );
  return { pdf, claims, refused };
}
