/**
 * Demo data of release of information: an attorney's request with a valid 164.508 authorization signed by the
 * patient, and a patient's own access request (164.524) received 27 days ago, 3 days before its 30-day limit, so the
 * ROI queue shows it escalated.
 */
import type { AppDeps } from '../../app/deps.js';
import { documentsDepsOf } from '../../app/modules.js';
import { Role, systemActor, type Actor } from '../access/index.js';
import { addDays, dateOf } from '../amendments/index.js';
import { createDocumentsService } from '../documents/index.js';
import { listUnmergedPatientsAfter } from '../patients/index.js';
import { clockPolicyFor, createRoiRequest, type RoiDeps } from '../roi/index.js';

export async function seedRoiDemo(deps: AppDeps): Promise<{ requests: number }> {
  const clerk: Actor = { ...systemActor('demo-seed'), role: Role.himClerk };
  const roi: RoiDeps = {
    ...deps,
    documents: createDocumentsService(documentsDepsOf(deps)),
    pdftoppmPath: deps.config.pdftoppmPath,
    roiClockPolicy: clockPolicyFor(deps.config.roiAccessDays, deps.config.roiAccessExtensionDays),
  };
  const today = dateOf(deps.clock.now());
  const [first, second] = (await listUnmergedPatientsAfter(deps.db, '', 50)).filter((p) => p.restricted === 0).slice(3, 5);
  let requests = 0;
  if (first) {
    await createRoiRequest(roi, clerk, {
      patientId: first.id,
      requesterType: 'attorney',
      requesterName: 'Harlan & Pike LLP',
      requesterAddress: '12 Court Street, Springfield',
      identityVerifiedBy: 'Letterhead and bar number checked',
      receivedOn: addDays(today, -5),
      purpose: 'Personal injury claim',
      format: 'pdf',
      delivery: 'secure_download',
      authorization: {
        description: 'All records of the emergency visit and follow-up',
        discloser: 'Custodian General Hospital',
        recipient: 'Harlan & Pike LLP',
        purpose: 'Personal injury claim',
        expirationDate: addDays(today, 365),
        signatureDate: addDays(today, -7),
        signedBy: 'patient',
        statements: { rightToRevoke: true, revocationHowTo: true, conditioning: true, redisclosure: true },
        plainLanguage: true,
      },
    });
    requests++;
  }
  if (second) {
    await createRoiRequest(roi, clerk, {
      patientId: second.id,
      requesterType: 'patient',
      requesterName: 'The patient',
      identityVerifiedBy: "Driver's license at the front desk",
      receivedOn: addDays(today, -27),
      format: 'pdf',
      delivery: 'pickup',
    });
    requests++;
  }
  return { requests };
}
