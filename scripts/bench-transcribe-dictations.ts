/**
 * Medical dictations for `npm run bench:transcribe`, written for the benchmark in spoken form (numbers as words)
 * and kept out of the language model's sources: H&P, discharge summary, operative and consult phrasing with
 * diagnoses, procedures and drugs. Not real patients.
 */
export const DICTATIONS: readonly string[] = [
  'The patient is a seventy two year old woman with a history of congestive heart failure and atrial fibrillation who was admitted with worsening dyspnea and lower extremity edema.',
  'She was diuresed with intravenous furosemide and her weight decreased by four kilograms. Her potassium was replaced and her creatinine remained stable.',
  'Chief complaint is abdominal pain. The patient is a forty five year old man with sudden onset of right lower quadrant pain, nausea and fever since yesterday.',
  'A CT scan of the abdomen showed acute appendicitis without perforation. He was taken to the operating room for laparoscopic appendectomy.',
  'Postoperative diagnosis acute suppurative appendicitis. Estimated blood loss was minimal. There were no complications and the patient went to recovery in stable condition.',
  'Past medical history is significant for chronic obstructive pulmonary disease, hypertension, hyperlipidemia and osteoarthritis of both knees.',
  'Current medications include lisinopril twenty milligrams daily, atorvastatin forty milligrams at bedtime, albuterol inhaler as needed and aspirin eighty one milligrams daily.',
  'On examination she was afebrile. Blood pressure was one forty over eighty six, heart rate ninety two and oxygen saturation ninety one percent on room air.',
  'Lungs showed scattered expiratory wheezes with diminished breath sounds at the bases. Heart was irregularly irregular without murmurs.',
  'Laboratory studies showed a white blood cell count of fourteen thousand, hemoglobin of nine point eight and a troponin that was negative.',
  'Chest x ray demonstrated a right lower lobe infiltrate consistent with community acquired pneumonia. She was started on ceftriaxone and azithromycin.',
  'The patient was discharged home on hospital day five in good condition. She will follow up with her cardiologist in two weeks.',
  'Assessment and plan. Type two diabetes mellitus with hyperglycemia. We will increase metformin to one thousand milligrams twice a day and check a hemoglobin A one C in three months.',
  'Reason for consultation is acute kidney injury. The patient has a baseline creatinine of one point one which rose to two point four after contrast exposure.',
  'The patient presented to the emergency department after a fall at home with pain and deformity of the left wrist. X rays showed a displaced distal radius fracture.',
  'Under general anesthesia the fracture was reduced and fixed with a volar locking plate. The wound was irrigated and closed in layers.',
];

/** A separate set, used only to choose decoder settings (language weight, beams), never to report. */
export const TUNING_DICTATIONS: readonly string[] = [
  'History of present illness. This is a fifty eight year old man with known coronary artery disease who developed substernal chest pressure while walking this morning.',
  'Electrocardiogram showed ST elevation in the inferior leads. He was taken emergently to the catheterization laboratory where a stent was placed in the right coronary artery.',
  'She has a long history of rheumatoid arthritis treated with methotrexate and prednisone and now presents with a painful swollen right knee.',
  'Abdomen was soft with mild tenderness in the epigastrium. There was no rebound or guarding. Bowel sounds were present.',
  'Impression. Urinary tract infection with possible early pyelonephritis. Plan is to start ciprofloxacin and obtain urine cultures.',
  'The patient underwent an uncomplicated total knee arthroplasty. Physical therapy was started on the first postoperative day.',
  'Neurologic examination revealed weakness of the left arm and leg with slurred speech. A head CT was negative for hemorrhage.',
  'Discharge medications include warfarin five milligrams daily, metoprolol twenty five milligrams twice a day and simvastatin twenty milligrams nightly.',
];
