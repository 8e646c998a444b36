/**
 * Outpatient coding on the restricted record, for the restricted-record walk: an ED visit of the VIP patient (the
 * walk's other encounters are inpatient stays, which the outpatient abstract leaves to the inpatient one), made once
 * per app, and one made final-coded for the reopen route.
 */
import type { AppDeps } from '../../src/app/deps.js';
import { newId } from '../../src/core/shared/ids.js';
import { Role, systemActor, type Actor } from '../../src/modules/access/index.js';
import { createEncounter } from '../../src/modules/patients/index.js';
import { emptyOutpatientAbstract } from '../../src/modules/outpatient/index.js';

const clerk: Actor = { ...systemActor('walk-fixture'), role: Role.himClerk };

/** A draft with nothing coded: saving it passes, final coding it is refused (no first-listed diagnosis). */
export const emptyOutpatient = { data: emptyOutpatientAbstract() };

const made = new WeakMap<AppDeps, Promise<{ visit: string; finalVisit: string }>>();

/** The walk's ED visits of the restricted patient: one to code, one final-coded (for reopening). */
export function ensureOutpatientWalkVisits(deps: AppDeps, patientId: string): Promise<{ visit: string; finalVisit: string }> {
  let p = made.get(deps);
  if (!p) {
    p = (async () => {
      const visit = (await createEncounter(deps, clerk, patientId, edVisit('R-ED-1'))).id;
      const finalVisit = (await createEncounter(deps, clerk, patientId, edVisit('R-ED-2'))).id;
      const now = '2026-02-12T12:00:00.000Z';
      await deps.db
        .insertInto('outpatient_abstracts')
        .values({
          patient_id: patientId,
          encounter_id: finalVisit,
          side: 'facility',
          status: 'final',
          version: 1,
          data: JSON.stringify(emptyOutpatientAbstract()),
          em_code: null,
          coded_by: newId(),
          coded_at: now,
          updated_by: null,
          created_at: now,
          updated_at: now,
        })
        .execute();
      return { visit, finalVisit };
    })();
    made.set(deps, p);
  }
  return p;
}

const edVisit = (accountNumber: string) => ({
  accountNumber,
  type: 'emergency' as const,
  admitAt: '2026-02-12T08:00:00Z',
  dischargeAt: '2026-02-12T11:00:00Z',
  dischargeStatus: '01',
});
