/**
 * Coding workspace demo data: clinical documents (H&P, progress notes, results, discharge summary) on discharged
 * inpatient stays for coders to read and cite, and a few open physician queries in the demo physician's inbox.
 * Invented clinical text; deterministic (scenario by encounter order).
 */
import { newId } from '../../core/shared/ids.js';
import type { AppDeps } from '../../app/deps.js';
import { Permission, Role, systemActor, type Actor } from '../access/index.js';
import { findFirstUserOfRole } from '../auth/index.js';
import { fileEncounterDocument } from '../coding/index.js';
import { listDischargedEncounters } from '../patients/index.js';
import { OTHER_OPTION, sendQuery, UNDETERMINED_OPTION } from '../queries/index.js';

interface Scenario {
  reason: string;
  hp: string;
  progress: string;
  results: string;
  summary: string;
  query?: {
    question: string;
    options: string[];
    indicators: { kind: 'lab' | 'vital_sign' | 'finding' | 'treatment' | 'document_excerpt'; text: string }[];
  };
}

const scenarios: Scenario[] = [
  {
    reason: 'Heart failure exacerbation',
    hp: 'Admitted with 4 days of worsening dyspnea, orthopnea and leg swelling. History of heart failure with reduced ejection fraction (EF 30% last year), type 2 diabetes, CKD stage 3a. Exam: JVD, bibasilar crackles, 2+ pitting edema.',
    progress:
      'Day 2: diuresing well on IV furosemide, net negative 2.1 L. Creatinine up from baseline 1.3 to 2.2. Day 3: creatinine 1.9, improving with adjusted diuresis.',
    results:
      'BNP 1,250 pg/mL. Creatinine 1.3 -> 2.2 -> 1.6 mg/dL. Echo: LVEF 25-30%, global hypokinesis. Chest x-ray: pulmonary vascular congestion, small bilateral effusions.',
    summary:
      'Discharge diagnoses: acute on chronic systolic heart failure; type 2 diabetes mellitus; chronic kidney disease stage 3a. Discharged home on oral furosemide.',
    query: {
      question:
        'The creatinine rose from a baseline of 1.3 to 2.2 mg/dL during diuresis and improved to 1.6 mg/dL. Based on your clinical judgment, can the clinical significance of these values be further specified?',
      options: ['Acute kidney injury', 'Expected fluctuation of chronic kidney disease', OTHER_OPTION, UNDETERMINED_OPTION],
      indicators: [
        { kind: 'lab', text: 'Creatinine 1.3 (baseline) -> 2.2 -> 1.6 mg/dL' },
        { kind: 'treatment', text: 'IV furosemide held 24 hours, diuretic dose adjusted' },
      ],
    },
  },
  {
    reason: 'Pneumonia',
    hp: 'Three days of productive cough, fever 39.2 C and pleuritic chest pain. COPD on home inhalers. Exam: crackles right base, RR 26, HR 112, BP 96/58, SpO2 88% on room air.',
    progress: 'Day 1: lactate 3.1, started IV ceftriaxone and azithromycin, 30 mL/kg fluids. Day 2: afebrile, lactate 1.4, HR 88.',
    results:
      'WBC 18.4 K/uL with 12% bands. Lactate 3.1 -> 1.4 mmol/L. Blood cultures: Streptococcus pneumoniae. Chest x-ray: right lower lobe consolidation.',
    summary: 'Discharge diagnoses: right lower lobe pneumonia, pneumococcal; COPD. Completed antibiotics course orally at home.',
    query: {
      question:
        'On admission the patient had temperature 39.2 C, HR 112, RR 26, WBC 18.4 with bandemia, lactate 3.1 and pneumococcal bacteremia. Can the condition being treated be further specified?',
      options: [
        'Sepsis due to pneumococcal pneumonia',
        'Pneumococcal pneumonia with bacteremia, without sepsis',
        OTHER_OPTION,
        UNDETERMINED_OPTION,
      ],
      indicators: [
        { kind: 'vital_sign', text: 'T 39.2 C, HR 112, RR 26, BP 96/58 on arrival' },
        { kind: 'lab', text: 'WBC 18.4 K/uL, bands 12%, lactate 3.1 mmol/L' },
        { kind: 'lab', text: 'Blood cultures 2/2: Streptococcus pneumoniae' },
      ],
    },
  },
  {
    reason: 'Elective knee replacement',
    hp: 'Elective right total knee arthroplasty for primary osteoarthritis of the right knee. Hypertension controlled on lisinopril.',
    progress: 'POD 1: hemoglobin 13.1 -> 8.9 g/dL, dizzy on standing; transfused 1 unit PRBC. POD 2: hemoglobin 9.8, ambulating with PT.',
    results: 'Hemoglobin 13.1 (pre-op) -> 8.9 -> 9.8 g/dL. Operative report: cemented right TKA, estimated blood loss 400 mL.',
    summary:
      'Discharge diagnoses: primary osteoarthritis right knee, status post right total knee arthroplasty; hypertension. Discharged to home health.',
    query: {
      question:
        'Hemoglobin fell from 13.1 to 8.9 g/dL after surgery and one unit of packed red cells was transfused. Based on your clinical judgment, can a diagnosis be provided that accounts for these findings?',
      options: ['Acute blood loss anemia', 'Expected postoperative blood loss', OTHER_OPTION, UNDETERMINED_OPTION],
      indicators: [
        { kind: 'lab', text: 'Hemoglobin 13.1 -> 8.9 -> 9.8 g/dL' },
        { kind: 'treatment', text: 'Transfused 1 unit PRBC on POD 1' },
        { kind: 'finding', text: 'Orthostatic dizziness POD 1' },
      ],
    },
  },
  {
    reason: 'Urinary tract infection',
    hp: 'Confusion and dysuria for 2 days. Dementia, lives in assisted living. Exam: suprapubic tenderness, disoriented to time.',
    progress: 'Day 2: mental status back to baseline on IV ceftriaxone. Sodium 128 corrected with fluids to 134.',
    results: 'Urinalysis: positive nitrite and leukocyte esterase. Urine culture: E. coli > 100,000 CFU/mL. Sodium 128 -> 134 mmol/L.',
    summary:
      'Discharge diagnoses: E. coli urinary tract infection; metabolic encephalopathy resolved; dementia. Discharged back to assisted living.',
  },
];

/** Adds documents to discharged inpatient encounters and sends a few compliant queries from the demo coder. */
export async function seedCodingDemo(deps: AppDeps, physicianProviderId: string): Promise<{ documents: number; queries: number }> {
  const coder = await findFirstUserOfRole(deps.db, Role.coder);
  // The seed is the system's own work: it lists the stays and files their documents as the interfaces would.
  const seeder = systemActor('demo-seed');
  const stays = await listDischargedEncounters(
    deps.db,
    await deps.records.openList(seeder, { permission: Permission.encounterRead, resourceType: 'encounter' }),
    'inpatient',
  );
  let documents = 0,
    queries = 0;
  for (const [i, e] of stays.entries()) {
    const s = scenarios[i % scenarios.length]!;
    const at = (iso: string, hours: number) => new Date(Date.parse(iso) + hours * 3_600_000).toISOString();
    const docs = [
      { kind: 'history_and_physical', title: 'History and physical', text: s.hp, authoredAt: at(e.admit_at, 2) },
      { kind: 'progress_note', title: 'Progress notes', text: s.progress, authoredAt: at(e.admit_at, 30) },
      { kind: 'results', title: 'Laboratory and imaging results', text: s.results, authoredAt: at(e.admit_at, 31) },
      { kind: 'discharge_summary', title: 'Discharge summary', text: s.summary, authoredAt: e.discharge_at! },
    ];
    const record = deps.records.forSystem(seeder, { patientId: e.patient_id, encounterId: e.id });
    for (const d of docs) {
      await fileEncounterDocument(deps.db, record, {
        patient_id: e.patient_id,
        id: newId(),
        encounter_id: e.id,
        kind: d.kind,
        title: d.title,
        author: null,
        authored_at: d.authoredAt,
        text: d.text,
      });
      documents++;
    }
    if (coder && s.query && e.attending_provider_id === physicianProviderId && queries < 3) {
      const actor: Actor = { userId: coder.id, username: coder.username, role: Role.coder, purposeOfUse: 'HOPERAT' };
      await sendQuery(deps, actor, e.id, {
        type: 'multiple_choice',
        question: s.query.question,
        options: s.query.options,
        indicators: s.query.indicators.map((x) => ({ ...x, source: 'Demo record' })),
      });
      queries++;
    }
  }
  return { documents, queries };
}
