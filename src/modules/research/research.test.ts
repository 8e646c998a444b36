/** Research extracts on both engines: the cohort, de-identified CSV, the record-access step, the extract log. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, engines, type TestDatabase } from '../../../test/support/databases.js';
import { makeActor, makeDeps, makeFacility, makePatientInput, FACILITY_ID } from '../../../test/support/factories.js';
import { buildDeidLexicon } from '../../core/deid/index.js';
import { Role } from '../access/index.js';
import { queryAuditEvents } from '../audit/index.js';
import { createPatient } from '../patients/index.js';
import { createExtract, listExtracts, type ResearchDeps } from './index.js';

const lexicon = buildDeidLexicon();

describe.each(engines)('research extracts on %s', (engine) => {
  let t: TestDatabase;
  let deps: ResearchDeps;
  const director = makeActor(Role.himDirector);
  beforeEach(async () => {
    t = await createTestDatabase(engine);
    await makeFacility(t);
    deps = { ...makeDeps(t), lexicon };
  });
  afterEach(async () => {
    await t.dispose();
  });

  let n = 0;
  const encounter = async (o: { dob: string; discharge: string; drg: string; dx: string[]; zip?: string; restricted?: boolean }) => {
    const system = { ...makeActor(Role.himClerk), system: true };
    const p = await createPatient(
      deps as never,
      system,
      makePatientInput({
        dateOfBirth: o.dob,
        familyName: 'Quarshie',
        address: { line1: '12 Quarry Lane', city: 'Chicago', state: 'IL', postalCode: o.zip ?? '60614' },
        ...(o.restricted ? { restricted: true, restrictionReason: 'VIP' } : {}),
      }),
    );
    const id = `enc-${++n}`;
    const at = '2026-01-01T00:00:00.000Z';
    await t.db
      .insertInto('encounters')
      .values({
        patient_id: p.id,
        id,
        facility_id: FACILITY_ID,
        account_number: `A${n}`,
        type: 'inpatient',
        status: 'discharged',
        admit_at: `${o.discharge.slice(0, 8)}01T08:00:00.000Z`,
        discharge_at: `${o.discharge}T10:00:00.000Z`,
        attending_provider_id: null,
        admission_source: null,
        admission_type: null,
        discharge_status: '01',
        payer_name: null,
        reason_for_visit: null,
        created_at: at,
        updated_at: at,
      })
      .execute();
    const [principal, ...secondary] = o.dx;
    await t.db
      .insertInto('coding_abstracts')
      .values({
        encounter_id: id,
        patient_id: p.id,
        status: 'final',
        version: 1,
        data: JSON.stringify({ principalDx: { code: principal }, secondaryDx: secondary.map((code) => ({ code })), procedures: [] }),
        assigned_to: null,
        assigned_at: null,
        working_drg: o.drg,
        working_drg_title: null,
        final_drg: o.drg,
        coded_by: null,
        coded_at: at,
        query_answered: 0,
        updated_by: null,
        created_at: at,
        updated_at: at,
      })
      .execute();
    return { patientId: p.id, encounterId: id };
  };

  const request = (o: Record<string, unknown> = {}) => ({
    cohort: { diagnosisCodes: ['I50'], dischargedFrom: '2025-03-01', dischargedTo: '2025-03-31' },
    purpose: 'heart failure readmission study',
    irbReference: 'IRB-2025-042',
    method: 'safe-harbor',
    ...o,
  });

  it('extracts the cohort de-identified by Safe Harbor, logs it and audits it', async () => {
    await encounter({ dob: '1930-02-02', discharge: '2025-03-31', drg: '291', dx: ['I50.23', 'E11.9'], zip: '69201' });
    await encounter({ dob: '1960-07-15', discharge: '2025-03-05', drg: '292', dx: ['N17.9', 'I50.9'] });
    await encounter({ dob: '1960-07-15', discharge: '2025-04-01', drg: '291', dx: ['I50.9'] }); // after the range
    await encounter({ dob: '1960-07-15', discharge: '2025-03-10', drg: '190', dx: ['J44.1'] }); // other diagnosis
    const r = await createExtract(deps, director, request());
    expect(r.rowCount).toBe(2);
    const lines = r.csv.trim().split('\r\n');
    expect(lines[0]).toBe(
      'study_id,encounter_type,admit_date,discharge_date,birth_date,age,sex,city,state,zip,drg,diagnosis_codes,procedure_codes',
    );
    expect(lines.slice(1)).toEqual([
      'S000001,inpatient,2025,2025,1960,64,F,,IL,606,292,N17.9 I50.9,',
      'S000002,inpatient,2025,2025,,90+,F,,IL,000,291,I50.23 E11.9,',
    ]);
    const log = await listExtracts(deps, director);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({
      id: r.extractId,
      created_by: director.userId,
      purpose: 'heart failure readmission study',
      irb_reference: 'IRB-2025-042',
      method: 'safe-harbor',
      row_count: 2,
    });
    const events = await queryAuditEvents(t.db, { action: 'export' });
    expect(events.some((e) => e.resourceType === 'research_extract' && e.resourceId === r.extractId && e.userId === director.userId)).toBe(
      true,
    );
  });

  it('leaves out a restricted record the user has not opened', async () => {
    await encounter({ dob: '1960-07-15', discharge: '2025-03-05', drg: '292', dx: ['I50.9'], restricted: true });
    await encounter({ dob: '1961-07-15', discharge: '2025-03-06', drg: '292', dx: ['I50.9'] });
    const r = await createExtract(deps, director, request());
    expect(r.rowCount).toBe(1);
    expect(r.csv).toContain(',1961,');
    expect(r.csv).not.toContain(',1960,');
  });

  it('keeps intervals under the date shift and full dates in a limited data set', async () => {
    await encounter({ dob: '1960-07-15', discharge: '2025-03-05', drg: '292', dx: ['I50.9'] });
    const shifted = await createExtract(deps, director, request({ method: 'date-shift' }));
    const [, row] = shifted.csv.trim().split('\r\n');
    const [, , admit, discharge] = (row ?? '').split(',');
    expect((Date.parse(discharge ?? '') - Date.parse(admit ?? '')) / 3_600_000).toBe(4 * 24 + 2);
    expect(discharge).not.toBe('2025-03-05T10:00:00.000Z');
    await expect(createExtract(deps, director, request({ method: 'limited-data-set' }))).rejects.toThrow(/dataUseAgreement/);
    const lds = await createExtract(deps, director, request({ method: 'limited-data-set', dataUseAgreement: 'DUA-9' }));
    expect(lds.csv).toContain('2025-03-05T10:00:00.000Z');
    expect(lds.csv).toContain(',Chicago,IL,60614,');
  });

  it('refuses a user without research:extract', async () => {
    await expect(createExtract(deps, makeActor(Role.coder), request())).rejects.toMatchObject({ code: 'forbidden' });
  });
});
