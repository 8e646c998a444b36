/**
 * Test data for the charts service tests (not a test file itself): a facility, a clerk, a physician and a director
 * with user rows, patients (one restricted) with an encounter each, and locations of every kind.
 */
import type { Db } from '../../db/database.js';
import type { TestDatabase } from '../../../test/support/databases.js';
import { insertUserFor, makeActor, makeDeps, makeFacility, makePatientInput } from '../../../test/support/factories.js';
import { Role, type Actor } from '../access/index.js';
import { createEncounter, createPatient } from '../patients/index.js';
import { createLocation } from './locations.service.js';
import type { LocationView } from './charts.views.js';

export interface ChartsWorld {
  deps: ReturnType<typeof makeDeps>;
  clerk: Actor;
  director: Actor;
  physician: Actor;
  physician2: Actor;
  coder: Actor;
  shelf: LocationView;
  shelf2: LocationView;
  box: LocationView;
  cardiology: LocationView;
  patient(over?: {
    familyName?: string;
    givenName?: string;
    restricted?: boolean;
  }): Promise<{ id: string; mrn: string; encounterId: string }>;
}

let accounts = 0;

/** Builds the world on a fresh test database; the clock starts at 2026-03-10 08:00 UTC. */
export async function makeChartsWorld(t: TestDatabase): Promise<ChartsWorld> {
  const deps = makeDeps(t, '2026-03-10T08:00:00Z');
  await makeFacility(t);
  const clerk = makeActor(Role.himClerk);
  const director = makeActor(Role.himDirector);
  const physician = makeActor(Role.physician);
  const physician2 = makeActor(Role.physician);
  const coder = makeActor(Role.coder);
  for (const a of [clerk, director, physician, physician2, coder]) await insertUserFor(t, a);
  const shelf = await createLocation(deps, clerk, { kind: 'file_room', name: 'File room, shelf A-1', code: 'SHELF-A1' });
  const shelf2 = await createLocation(deps, clerk, { kind: 'file_room', name: 'File room, shelf B-4' });
  const box = await createLocation(deps, clerk, {
    kind: 'offsite_box',
    name: 'Box 0042',
    boxNumber: '0042',
    site: 'Records vault, aisle 12',
  });
  const cardiology = await createLocation(deps, clerk, { kind: 'department', name: 'Cardiology clinic' });
  return {
    deps,
    clerk,
    director,
    physician,
    physician2,
    coder,
    shelf,
    shelf2,
    box,
    cardiology,
    async patient(over = {}) {
      const p = await createPatient(
        deps,
        clerk,
        makePatientInput({
          familyName: over.familyName ?? 'Whitaker',
          givenName: over.givenName ?? 'Robert',
          ...(over.restricted ? { restricted: true, restrictionReason: 'VIP' } : {}),
        }),
      );
      accounts++;
      // The encounter is registered by the system (a restricted record opens for no clerk without a grant).
      const e = await createEncounter(deps, { ...clerk, system: true }, p.id, {
        accountNumber: `CH-${accounts}`,
        type: 'inpatient',
        admitAt: '2026-02-11T09:00:00Z',
        dischargeAt: '2026-02-14T15:00:00Z',
        dischargeStatus: '01',
      });
      return { id: p.id, mrn: p.mrn, encounterId: e.id };
    },
  };
}

/**
 * One row in each charts table for a patient (a location made if needed), for the MPI merge round trip
 * (src/modules/mpi/mpi.test.ts): a paper chart of the encounter, its first move, and a request for the record.
 */
export async function addChartRows(db: Db, patientId: string, encounterId: string, userId: string): Promise<void> {
  const at = '2026-02-20T10:00:00.000Z';
  const tag = `${encounterId}-ch`;
  const place = 'loc-merge-shelf';
  if (!(await db.selectFrom('chart_locations').select('id').where('id', '=', place).executeTakeFirst())) {
    await db
      .insertInto('chart_locations')
      .values({
        id: place,
        kind: 'file_room',
        code: 'MERGE-SHELF',
        name: 'Shelf',
        user_id: null,
        box_number: null,
        site: null,
        active: 1,
        created_at: at,
        updated_at: at,
      })
      .execute();
  }
  await db
    .insertInto('paper_charts')
    .values({
      patient_id: patientId,
      id: `chart-${tag}`,
      barcode: `M-${encounterId.replace(/-/g, '').slice(-20)}`.toUpperCase(),
      encounter_id: encounterId,
      volume: 1,
      status: 'in',
      home_location_id: place,
      current_location_id: place,
      checked_out_at: null,
      due_back_at: null,
      created_at: at,
      updated_at: at,
    })
    .execute();
  await db
    .insertInto('chart_movements')
    .values({
      patient_id: patientId,
      id: `move-${tag}`,
      chart_id: `chart-${tag}`,
      kind: 'created',
      from_location_id: null,
      to_location_id: place,
      due_back_at: null,
      request_id: null,
      moved_by: userId,
      moved_at: at,
    })
    .execute();
  await db
    .insertInto('chart_requests')
    .values({
      patient_id: patientId,
      id: `request-${tag}`,
      encounter_id: encounterId,
      requester_user_id: userId,
      requester_name: 'Test physician',
      deliver_to_location_id: null,
      priority: 'routine',
      reason: 'follow-up visit',
      needed_by: at,
      status: 'open',
      requested_by: userId,
      requested_at: at,
      fulfilled_at: null,
      fulfilled_by: null,
      fulfilment: null,
      chart_id: null,
      cancelled_at: null,
      cancelled_by: null,
      cancel_reason: null,
      updated_at: at,
    })
    .execute();
}
