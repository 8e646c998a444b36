import type { Db } from '../../db/database.js';
import { findByIdentifiers, findWithRef, providerOf } from './patient-lookup.js';
import type { EncounterTable, PatientTable } from '../../db/schema.js';
import { Hl7Error, Hl7ErrorCode, type AdtMessage, type MergeGroup, type PatientIdentification } from '../../core/hl7/index.js';
import type { Actor, RecordAccess, RecordScope } from '../access/index.js';
import {
  addIdentifiersAndAliasesInTx,
  changeIdentifierInTx,
  findEncounterByAccount,
  findPatientById,
  insertEncounterInTx,
  insertPatient,
  updateEncounterInTx,
  updatePatientInTx,
  EncounterStatus,
  type NewPatient,
  type PatientUpdate,
  type PatientWriteDeps,
} from '../patients/index.js';
import { applyAdtCoverages } from './billing.apply.js';
import { mergePatientsInTx, refreshMatchKeys, type MatchDeps } from '../mpi/index.js';
import {
  ACTION_OF_TRIGGER,
  AdtAction,
  displayName,
  encounterTypeOf,
  field,
  isoDateOf,
  isoInstantOf,
  legalName,
  looksLikeEmail,
  looksLikeSsn,
  mapSex,
  patientIdentifiers,
  requireAccountNumber,
} from './adt.rules.js';

/**
 * Applies one ADT message inside the caller's transaction (which also records the message's status), so the
 * change, its audit events and the "applied" status commit together before the ACK is sent.
 */
export interface AdtContext {
  facilityId: string;
  /** Every facility id: an identifier whose assigning authority is one of them is that facility's MRN. */
  facilityIds: readonly string[];
  sendingFacility: string;
  source: string;
}

/** What applying a message needs: the patient writers' and the MPI's deps and the record-access step (records opened for the system). */
export type AdtDeps = PatientWriteDeps & MatchDeps & { records: RecordAccess };

const unknownKey = (what: string, segment: string, fieldNo: number) =>
  new Hl7Error(Hl7ErrorCode.unknownKeyIdentifier, `${what} is not known here`, { segment, field: fieldNo });

function demographics(pid: PatientIdentification): PatientUpdate {
  const name = legalName(pid.names);
  const addr = pid.addresses[0];
  const phone = pid.homePhones.find((t) => t.number)?.number;
  const email = [...pid.homePhones, ...pid.businessPhones].map((t) => t.email).find(looksLikeEmail);
  const u: PatientUpdate = {
    familyName: name?.family && name.family !== '""' ? name.family.slice(0, 100) : undefined,
    givenName: name?.given && name.given !== '""' ? name.given.slice(0, 100) : undefined,
    middleName: field(name?.middle),
    dateOfBirth: isoDateOf(pid.dateOfBirth),
    sex: mapSex(pid.sex),
    race: field(pid.race[0]?.code ?? pid.race[0]?.text),
    ethnicity: field(pid.ethnicGroup[0]?.code ?? pid.ethnicGroup[0]?.text),
    address: addr
      ? {
          line1: field(addr.street),
          line2: field(addr.otherDesignation),
          city: field(addr.city),
          state: field(addr.state),
          postalCode: field(addr.postcode),
        }
      : undefined,
    phone: field(phone?.slice(0, 40)),
    email: email ?? undefined,
    ssn: looksLikeSsn(pid.ssn) ? pid.ssn : undefined,
    deceasedAt: isoDateOf(pid.deathDateTime),
  };
  const aliases = [...pid.names.filter((n) => n !== name), ...pid.aliases].filter((n) => n.family && n.given);
  if (aliases.length > 0)
    u.aliases = aliases.map((n) => ({
      use: n.nameTypeCode === 'M' ? 'maiden' : 'alias',
      familyName: n.family!.slice(0, 100),
      givenName: n.given!.slice(0, 100),
      ...(n.middle ? { middleName: n.middle.slice(0, 100) } : {}),
    }));
  return u;
}

function lists(adt: AdtMessage): Pick<PatientUpdate, 'nextOfKin' | 'insurance'> {
  const out: Pick<PatientUpdate, 'nextOfKin' | 'insurance'> = {};
  // Segments present replace the stored list (snapshot mode); segments absent leave it unchanged.
  if (adt.nextOfKin.length > 0) {
    out.nextOfKin = adt.nextOfKin.slice(0, 5).flatMap((k) => {
      const name = displayName(k.names[0]);
      return name
        ? [{ name, relationship: k.relationship?.text ?? k.relationship?.code, phone: k.phones.find((t) => t.number)?.number }]
        : [];
    });
  }
  if (adt.insurance.length > 0) {
    out.insurance = adt.insurance.slice(0, 5).map((i) => ({
      payerName: i.companyName[0]?.name ?? i.healthPlan?.text ?? i.healthPlan?.code ?? 'Unknown payer',
      payerId: i.companyIds[0]?.id || undefined,
      planType: i.planType,
      memberId: i.policyNumber ?? i.insuredIds[0]?.id ?? i.groupNumber ?? 'unknown',
      groupNumber: i.groupNumber,
      subscriberName: displayName(i.insuredNames[0]),
      relationship: i.insuredRelationship?.code ?? i.insuredRelationship?.text,
    }));
  }
  return out;
}

/** Creates the patient the PID describes, or updates the one its identifiers find. */
async function upsertPatient(
  trx: Db,
  deps: AdtDeps,
  actor: Actor,
  adt: AdtMessage,
  ctx: AdtContext,
  facilityIds: Set<string>,
  account?: string,
): Promise<{ patient: PatientTable; visit?: EncounterTable | null }> {
  const pid = adt.patient;
  const refs = patientIdentifiers(pid.identifiers, ctx.sendingFacility);
  const hit = await findWithRef(trx, refs, facilityIds, account);
  const found = hit?.patient;
  const { aliases, ...demo } = demographics(pid);
  const more = lists(adt);
  if (found) {
    const scope = deps.records.forSystem(actor, { patientId: found.id });
    const after = await updatePatientInTx(trx, deps, scope, { ...demo, ...more }, ctx.source, found);
    // The identifier that found the record is on it already: only the others may be new.
    const others = refs.filter((r) => r !== hit.ref && !(facilityIds.has(r.system) && r.value === found.mrn));
    if (others.length > 0 || aliases?.length) {
      if ((await addIdentifiersAndAliasesInTx(trx, deps, scope, others, aliases, ctx.source)).aliases > 0)
        await refreshMatchKeys(trx, deps, after);
    }
    return { patient: after, ...(hit.visit !== undefined ? { visit: hit.visit } : {}) };
  }
  if (!demo.familyName || !demo.givenName)
    throw new Hl7Error(Hl7ErrorCode.requiredFieldMissing, 'family and given name are required to register a new patient', {
      segment: 'PID',
      field: 5,
    });
  const input: NewPatient = {
    facilityId: ctx.facilityId,
    familyName: demo.familyName,
    givenName: demo.givenName,
    sex: demo.sex ?? 'U',
    middleName: demo.middleName ?? undefined,
    dateOfBirth: demo.dateOfBirth ?? undefined,
    race: demo.race ?? undefined,
    ethnicity: demo.ethnicity ?? undefined,
    address: demo.address
      ? {
          line1: demo.address.line1 ?? undefined,
          line2: demo.address.line2 ?? undefined,
          city: demo.address.city ?? undefined,
          state: demo.address.state ?? undefined,
          postalCode: demo.address.postalCode ?? undefined,
        }
      : undefined,
    phone: demo.phone ?? undefined,
    email: demo.email ?? undefined,
    ssn: demo.ssn ?? undefined,
    deceasedAt: demo.deceasedAt ?? undefined,
    identifiers: refs.map((r) => ({ system: r.system, value: r.value, ...(r.type ? { type: r.type } : {}) })),
    aliases,
    ...more,
  };
  return { patient: (await insertPatient(trx, deps, actor, input, ctx.source)).row };
}

/** The visit of the account number in the patient's facility (`known`: read already with the patient); it must be the patient's. */
async function findVisit(
  trx: Db,
  patient: PatientTable,
  accountNumber: string,
  known?: EncounterTable | null,
): Promise<EncounterTable | undefined> {
  const e = known !== undefined ? (known ?? undefined) : await findEncounterByAccount(trx, patient.facility_id, accountNumber);
  if (e && e.patient_id !== patient.id)
    throw new Hl7Error(Hl7ErrorCode.duplicateKeyIdentifier, 'the account number belongs to another patient', { segment: 'PV1', field: 19 });
  return e;
}

/** Creates or updates the encounter of the message's account number, as the event says. */
async function applyVisit(
  trx: Db,
  deps: PatientWriteDeps,
  scope: RecordScope,
  adt: AdtMessage,
  action: AdtAction,
  patient: PatientTable,
  ctx: AdtContext,
  known?: EncounterTable | null,
): Promise<void> {
  const account = requireAccountNumber(adt);
  const v = adt.visit;
  const eventTime =
    isoInstantOf(adt.event?.occurredDateTime ?? adt.event?.recordedDateTime ?? adt.header.dateTime) ?? deps.clock.now().toISOString();
  const existing = await findVisit(trx, patient, account, known);
  const cancels: readonly AdtAction[] = [AdtAction.cancelAdmit, AdtAction.cancelTransfer, AdtAction.cancelDischarge];
  if (cancels.includes(action)) {
    if (!existing) throw unknownKey('the visit', 'PV1', 19);
    if (action === AdtAction.cancelAdmit)
      await updateEncounterInTx(trx, deps, scope, existing, { status: EncounterStatus.cancelled }, ctx.source);
    else if (action === AdtAction.cancelDischarge)
      await updateEncounterInTx(
        trx,
        deps,
        scope,
        existing,
        { dischargeAt: null, dischargeStatus: null, status: EncounterStatus.active },
        ctx.source,
      );
    else await updateEncounterInTx(trx, deps, scope, existing, { location: locationOf(v?.priorLocation) ?? null }, ctx.source);
    return;
  }
  const attending = await providerOf(trx, v?.attending[0], eventTime);
  const discharge = action === AdtAction.discharge ? (isoInstantOf(v?.dischargeDateTime) ?? eventTime) : isoInstantOf(v?.dischargeDateTime);
  const disposition = v?.dischargeDisposition && /^\d{2}$/.test(v.dischargeDisposition) ? v.dischargeDisposition : undefined;
  const common = {
    attendingProviderId: attending,
    admissionSource: v?.admitSource?.slice(0, 2),
    admissionType: v?.admissionType?.slice(0, 2),
    dischargeStatus: disposition,
    payerName: lists(adt).insurance?.[0]?.payerName,
    reasonForVisit: (adt.visitAdditional?.admitReason?.text ?? adt.visitAdditional?.admitReason?.code)?.slice(0, 200),
    location: locationOf(v?.assignedLocation),
  };
  if (!existing) {
    const admitAt =
      isoInstantOf(v?.admitDateTime) ??
      (action === AdtAction.preadmit ? isoInstantOf(adt.visitAdditional?.expectedAdmitDateTime) : undefined) ??
      eventTime;
    const status =
      action === AdtAction.preadmit ? EncounterStatus.preadmit : discharge ? EncounterStatus.discharged : EncounterStatus.active;
    await insertEncounterInTx(
      trx,
      deps,
      scope,
      { accountNumber: account, type: encounterTypeOf(v?.patientClass, action), admitAt, dischargeAt: discharge, status, ...common },
      ctx.source,
      patient,
    );
    return;
  }
  const changeType =
    action === AdtAction.toInpatient || action === AdtAction.toOutpatient || (v?.patientClass !== undefined && action !== AdtAction.update);
  const status =
    action === AdtAction.discharge
      ? EncounterStatus.discharged
      : action === AdtAction.admit && existing.status === EncounterStatus.preadmit
        ? EncounterStatus.active
        : undefined;
  const defined = Object.fromEntries(Object.entries(common).filter(([, x]) => x !== undefined));
  await updateEncounterInTx(
    trx,
    deps,
    scope,
    existing,
    {
      ...defined,
      ...(changeType ? { type: encounterTypeOf(v?.patientClass, action) } : {}),
      ...(isoInstantOf(v?.admitDateTime) ? { admitAt: isoInstantOf(v?.admitDateTime) } : {}),
      ...(discharge ? { dischargeAt: discharge } : {}),
      ...(status ? { status } : {}),
    },
    ctx.source,
  );
}

function locationOf(l: { pointOfCare?: string; room?: string; bed?: string } | undefined): string | undefined {
  if (!l) return undefined;
  const s = [l.pointOfCare, l.room, l.bed].filter((x) => x && x !== '""').join('/');
  return s === '' ? undefined : s.slice(0, 100);
}

/** A40: the MRG-1 record merges into the PID-3 record; A47: the MRG-1 identifier is replaced by the PID-3 one. */
async function applyMergeGroup(
  trx: Db,
  deps: AdtDeps,
  actor: Actor,
  adt: AdtMessage,
  g: MergeGroup,
  action: AdtAction,
  ctx: AdtContext,
  facilityIds: Set<string>,
): Promise<PatientTable> {
  const priorRefs = patientIdentifiers(g.merge.priorIdentifiers, ctx.sendingFacility);
  const prior = await findByIdentifiers(trx, priorRefs, facilityIds);
  if (!prior) throw unknownKey('the prior patient identifier', 'MRG', 1);
  const newRefs = patientIdentifiers(g.patient.identifiers, ctx.sendingFacility);
  if (action === AdtAction.changeIdentifier) {
    const old = priorRefs[0]!;
    const next = newRefs.find((r) => r.system === old.system) ?? newRefs[0];
    if (!next) throw new Hl7Error(Hl7ErrorCode.requiredFieldMissing, 'the new identifier is required', { segment: 'PID', field: 3 });
    await changeIdentifierInTx(trx, deps, deps.records.forSystem(actor, { patientId: prior.id }), old, next, ctx.source);
    return prior;
  }
  const survivor = await findByIdentifiers(trx, newRefs, facilityIds);
  if (!survivor) {
    // The surviving identifier is new here: the prior record simply takes it (an identifier change).
    await addIdentifiersAndAliasesInTx(trx, deps, deps.records.forSystem(actor, { patientId: prior.id }), newRefs, undefined, ctx.source);
    return (await findPatientById(trx, prior.id))!;
  }
  if (survivor.id !== prior.id) {
    await mergePatientsInTx(
      trx,
      deps,
      deps.records.forSystem(actor, { patientId: survivor.id }),
      deps.records.forSystem(actor, { patientId: prior.id }),
      { source: ctx.source, reason: `HL7 ${adt.trigger}` },
    );
  }
  return survivor;
}

/** Events whose IN1 segments update the patient's coverages in the claims module. */
const COVERAGE_ACTIONS: ReadonlySet<AdtAction> = new Set([
  AdtAction.admit,
  AdtAction.register,
  AdtAction.preadmit,
  AdtAction.update,
  AdtAction.person,
]);

/**
 * Applies a supported ADT event; answers the patient it concerned and a note for the ACK (coverages not recorded).
 * Content errors throw Hl7Error (ACK AE).
 */
export async function applyAdt(
  trx: Db,
  deps: AdtDeps,
  actor: Actor,
  adt: AdtMessage,
  ctx: AdtContext,
): Promise<{ patientId: string; note?: string }> {
  const action = ACTION_OF_TRIGGER[adt.trigger];
  if (!action)
    throw new Hl7Error(Hl7ErrorCode.unsupportedEventCode, `trigger event ${adt.trigger} is not applied here`, { segment: 'MSH', field: 9 });
  const facilityIds = new Set(ctx.facilityIds);
  if (action === AdtAction.merge || action === AdtAction.changeIdentifier) {
    let last: PatientTable | undefined;
    for (const g of adt.merges) last = await applyMergeGroup(trx, deps, actor, adt, g, action, ctx, facilityIds);
    return { patientId: last!.id };
  }
  const visitEvent = action !== AdtAction.person && !(action === AdtAction.update && !adt.accountNumber?.id);
  // A visit event reads the visit with the patient (one statement); the account number is checked in applyVisit.
  const account = visitEvent && adt.accountNumber?.id && adt.accountNumber.id !== '""' ? adt.accountNumber.id : undefined;
  const { patient, visit } = await upsertPatient(trx, deps, actor, adt, ctx, facilityIds, account);
  if (visitEvent) await applyVisit(trx, deps, deps.records.forSystem(actor, { patientId: patient.id }), adt, action, patient, ctx, visit);
  const note = COVERAGE_ACTIONS.has(action) ? await applyAdtCoverages(trx, deps, actor, adt.insurance, patient) : undefined;
  return note ? { patientId: patient.id, note } : { patientId: patient.id };
}
