import type { Db } from '../../db/database.js';
import { Hl7Error, Hl7ErrorCode, readPid, type Hl7Message } from '../../core/hl7/index.js';
import type { Actor } from '../access/index.js';
import { applyInboundSiuInTx, type InboundSiu, type InboundSiuApplied, type SchedulingDeps } from '../scheduling/index.js';
import { patientIdentifiers, type IdentifierRef } from './adt.rules.js';
import { findWithRef } from './patient-lookup.js';

export interface SiuContext {
  /** The facility the message is for (MSH-6, else the first): an MRN without an assigning authority is its MRN. */
  facilityId: string;
  facilityIds: readonly string[];
  sendingFacility: string;
}

/**
 * Applies an inbound SIU in the message's transaction: the patient of PID-3 as ADT finds one (identifiers with their
 * assigning authority, else the MRN of the receiving facility; MPI merges followed to the survivor), then the
 * scheduling module's booking functions (src/modules/scheduling/siu.inbound.ts). The interface writes no SIU back:
 * the outside system made the change, and echoing it to an SIU destination that is that system would loop.
 */
export async function applySiu(
  trx: Db,
  deps: Pick<SchedulingDeps, 'db' | 'clock' | 'audit' | 'records'>,
  actor: Actor,
  message: Hl7Message,
  siu: InboundSiu,
  ctx: SiuContext,
): Promise<InboundSiuApplied> {
  const pidSegment = message.segment('PID');
  const refs: IdentifierRef[] = pidSegment ? patientIdentifiers(readPid(pidSegment).identifiers, ctx.sendingFacility) : [];
  refs.push({ system: ctx.facilityId, value: siu.mrn, type: 'MR' });
  const hit = await findWithRef(trx, refs, new Set(ctx.facilityIds));
  if (!hit) throw new Hl7Error(Hl7ErrorCode.unknownKeyIdentifier, 'the patient is not known here', { segment: 'PID', field: 3 });
  const scope = deps.records.forSystem(actor, { patientId: hit.patient.id });
  // No mailer and no SIU destination: reminders go out from the sweep; nothing is sent back to the sender.
  return applyInboundSiuInTx(trx, { db: deps.db, clock: deps.clock, audit: deps.audit, records: deps.records }, actor, scope, siu);
}
