/**
 * Demo data of the record's life after filing: two amendment requests (one still in time, naming a document, and one
 * past its 60 days, for the HIM director's overdue list), and the demo hospital's own retention policy in force, with
 * an old outside record it makes eligible for destruction.
 */
import type { AppDeps } from '../../app/deps.js';
import { documentsDepsOf } from '../../app/modules.js';
import { Role, systemActor, type Actor } from '../access/index.js';
import { addDays, createAmendmentRequest, dateOf } from '../amendments/index.js';
import { createDocumentsService } from '../documents/index.js';
import { listUnmergedPatientsAfter } from '../patients/index.js';
import { activateRuleSet, createRuleSet } from '../retention/index.js';

export async function seedRecordLifeDemo(deps: AppDeps): Promise<{ amendments: number; ruleSetId: string }> {
  const clerk: Actor = { ...systemActor('demo-seed'), role: Role.himClerk };
  const director: Actor = { ...systemActor('demo-seed'), role: Role.himDirector };
  const documents = createDocumentsService(documentsDepsOf(deps));
  const life = { ...deps, documents };
  const today = dateOf(deps.clock.now());
  const patients = (await listUnmergedPatientsAfter(deps.db, '', 50)).filter((p) => p.restricted === 0).slice(0, 3);
  let amendments = 0;
  const [first, second, third] = patients;
  if (first) {
    const docs = await documents.listForPatient(clerk, first.id);
    await createAmendmentRequest(life, clerk, {
      patientId: first.id,
      documentIds: docs.slice(0, 1).map((d) => d.id),
      information: 'Home medications in the discharge summary',
      requestedChange: 'Metformin is listed as 1000 mg twice daily; I take 500 mg twice daily.',
      reason: 'My pharmacy record shows 500 mg.',
      receivedOn: addDays(today, -10),
      receivedVia: 'portal',
    });
    amendments++;
  }
  if (second) {
    await createAmendmentRequest(life, clerk, {
      patientId: second.id,
      information: 'Social history',
      requestedChange: 'I have never smoked; please correct "former smoker".',
      receivedOn: addDays(today, -75),
      receivedVia: 'mail',
    });
    amendments++;
  }
  const ruleSet = await createRuleSet(life, director, {
    name: 'Custodian General policy (10 years; outside records 5)',
    jurisdiction: 'demo',
    description: 'The demo hospital: 10 years after the last encounter, minors until 21; outside records 5 years after their service date.',
    ageOfMajority: 18,
    rules: [
      { typeCode: null, adultYears: 10, anchor: 'last_encounter', minorYearsAfterMajority: 3 },
      { typeCode: 'OUTSIDE', adultYears: 5, anchor: 'service_date', minorYearsAfterMajority: 3 },
    ],
  });
  await activateRuleSet(life, director, ruleSet.id);
  if (third) {
    await documents.fileDocument(clerk, {
      patientId: third.id,
      typeCode: 'OUTSIDE',
      title: 'Outside records: clinic notes 2012',
      source: 'scan',
      status: 'final',
      serviceAt: '2012-05-14T09:00:00Z',
      content: {
        bytes: new TextEncoder().encode('Outside clinic notes, May 2012. Annual physical, no acute findings.'),
        mediaType: 'text/plain',
      },
    });
  }
  return { amendments, ruleSetId: ruleSet.id };
}
