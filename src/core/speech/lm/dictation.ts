/**
 * How physicians dictate, beyond what the code sets and case reports say: report openings, section headings,
 * and the stock phrases of H&Ps, discharge summaries, operative and consult notes. Generic phrasing only (no
 * patient, no sentence of the benchmark's dictations), one phrase per line; spoken form.
 */
export const DICTATION_PHRASES: readonly string[] = `
this is doctor dictating a history and physical
this is doctor dictating a discharge summary
this is doctor dictating an operative report
this is doctor dictating a consultation
this is doctor dictating a progress note
this is doctor dictating a procedure note
date of admission
date of discharge
date of service
date of procedure
admitting diagnosis
discharge diagnosis
principal diagnosis
secondary diagnoses
chief complaint
history of present illness
past medical history
past surgical history
family history
social history
review of systems
allergies
no known drug allergies
medications
current medications
home medications
discharge medications
physical examination
vital signs
temperature pulse respiratory rate blood pressure oxygen saturation on room air
general the patient is alert and oriented in no acute distress
heent normocephalic atraumatic
pupils are equal round and reactive to light
neck is supple without lymphadenopathy
lungs are clear to auscultation bilaterally
heart regular rate and rhythm without murmurs rubs or gallops
abdomen soft nontender nondistended with normal bowel sounds
extremities without clubbing cyanosis or edema
neurologic cranial nerves two through twelve are intact
skin warm and dry
laboratory data
laboratory studies were notable for
imaging studies
chest x ray showed
ct scan of the abdomen and pelvis
electrocardiogram showed normal sinus rhythm
assessment and plan
assessment
plan
impression
hospital course
the patient was admitted to the medical floor
the patient was admitted for further evaluation and management
the patient was started on intravenous antibiotics
the patient tolerated the procedure well
the patient was taken to the operating room
the patient was discharged home in stable condition
condition at discharge
discharge instructions
diet as tolerated
activity as tolerated
follow up with the primary care physician in one week
follow up in the clinic in two weeks
return to the emergency department if symptoms worsen
the patient is a year old male
the patient is a year old female
he presents with
she presents with
presented to the emergency department with
complaining of
he denies fever chills nausea or vomiting
she denies chest pain or shortness of breath
the patient reports
on examination
preoperative diagnosis
postoperative diagnosis
procedure performed
anesthesia general endotracheal
estimated blood loss
specimens sent to pathology
complications none
the patient was prepped and draped in the usual sterile fashion
informed consent was obtained
reason for consultation
thank you for this consultation
we will continue to follow
continue current management
new paragraph
period
comma
end of dictation
`
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l !== '');
