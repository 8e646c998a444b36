/**
 * The word lists the free-text de-identifier reads: name tokens (given and family names), words that are never
 * names on their own (common English, clinical words, eponyms), titles, labels and credentials that announce a
 * name. The built-in lists below are small and hand-written; `buildDeidLexicon` adds name lists read from files
 * (`loadNameLists`, e.g. the FEBRL and splink person records) and the EFF word list of @zxcvbn-ts.
 */
import { createRequire } from 'node:module';

/** What the name detector knows. All entries lower case. */
export interface DeidLexicon {
  /** Given and family names of people. */
  readonly names: ReadonlySet<string>;
  /** Common words: a name token that is also one of these needs a second sign to be tagged (Will, Rose, Brown). */
  readonly commonWords: ReadonlySet<string>;
  /** Eponyms of diseases, signs, scores and devices (Parkinson, Foley, Apgar): kept unless a title names a person. */
  readonly eponyms: ReadonlySet<string>;
}

const words = (s: string): string[] => s.split(/\s+/).filter((w) => w !== '');

/** Given names of many origins (hand-written; the files add thousands more). */
export const BUILT_IN_GIVEN_NAMES = words(`
james john robert michael william david richard joseph thomas charles christopher daniel matthew anthony mark donald
steven paul andrew joshua kenneth kevin brian george timothy ronald edward jason jeffrey ryan jacob gary nicholas eric
jonathan stephen larry justin scott brandon benjamin samuel gregory alexander frank patrick raymond jack dennis jerry
tyler aaron jose adam nathan henry douglas zachary peter kyle ethan walter noah jeremy christian keith roger terry
austin sean gerald carl harold dylan arthur lawrence jordan jesse bryan billy bruce gabriel joe logan alan juan
albert willie elijah wayne randy vincent mason roy ralph bobby russell bradley philip eugene louis harry liam
mary patricia jennifer linda elizabeth barbara susan jessica sarah karen lisa nancy betty margaret sandra ashley
kimberly emily donna michelle carol amanda dorothy melissa deborah stephanie rebecca sharon laura cynthia kathleen
amy angela shirley anna brenda pamela emma nicole helen samantha katherine christine debra rachel carolyn janet
catherine maria heather diane ruth julie olivia joyce virginia victoria kelly lauren christina joan evelyn judith
megan andrea cheryl hannah jacqueline martha gloria teresa ann sara madison frances kathryn janice jean abigail
alice judy sophia denise marilyn danielle beverly isabella theresa diana natalie brittany charlotte marie kayla
alexis lori ava mia harper chloe zoe
mohammed muhammad ahmed ahmad ali omar hassan hussein yusuf ibrahim khalid tariq fatima aisha zainab layla mariam
noor amina khadija samir karim rashid bilal hamza imran faisal
wei li ming jing hui xin yan lei jun hong mei ling xiao chen hao yu fang qiang jie ping
nguyen thi anh minh linh thanh duc hoa tuan phuong quang huong trang
hiroshi takeshi kenji yuki haruto sakura yumi akiko kazuo naoko satoshi yoshiko
jisoo minho seojun jiwoo hyun soo young-ho eunji
raj rajesh sanjay anil sunil vijay amit rahul priya anjali deepa kavita lakshmi sunita ravi arjun vikram pooja neha
aditya krishna ganesh meena shreya rohan
carlos luis jorge miguel pedro javier alejandro manuel francisco ricardo fernando diego rafael eduardo sergio
guadalupe rosa carmen lucia sofia valentina camila ximena alejandra gabriela mariana paola
chinedu emeka ngozi chiamaka oluwaseun adebayo folake kwame kofi ama abena akua yaw tendai thandiwe sipho themba
amara chidi ifeoma obinna tunde yetunde
olga ivan dmitri sergei natalia svetlana tatiana vladimir igor katarzyna piotr tomasz agnieszka jan
giuseppe giovanni marco luca francesca giulia chiara alessandro matteo
hans klaus jurgen sabine ingrid helga dieter wolfgang
sean siobhan niamh aoife ciaran padraig declan eoin saoirse
`);

/** Family names of many origins (hand-written; the files add thousands more). */
export const BUILT_IN_FAMILY_NAMES = words(`
smith johnson williams jones garcia miller davis rodriguez martinez hernandez lopez gonzalez wilson anderson thomas
taylor moore jackson martin lee perez thompson white harris sanchez clark ramirez lewis robinson walker young allen
king wright scott torres nguyen hill flores green adams nelson baker hall rivera campbell mitchell carter roberts
gomez phillips evans turner diaz parker cruz edwards collins reyes stewart morris morales murphy cook rogers gutierrez
ortiz morgan cooper peterson bailey reed kelly howard ramos kim cox ward richardson watson brooks chavez wood james
bennett gray mendoza ruiz hughes price alvarez castillo sanders patel myers long ross foster jimenez powell jenkins
perry russell sullivan bell coleman butler henderson barnes gonzales fisher vasquez simmons romero jordan patterson
alexander hamilton graham reynolds griffin wallace west cole hayes bryant herrera gibson ellis tran medina aguilar
stevens murray ford castro marshall owens harrison fernandez mcdonald woods washington kennedy wells vargas henry
chen freeman webb tucker guzman burns crawford olson simpson porter hunter gordon mendez silva shaw snyder mason
dixon munoz hunt hicks holmes palmer wagner black robertson boyd rose stone salazar fox warren mills meyer rice
schmidt garza daniels ferguson nichols stephens soto weaver ryan gardner payne grant dunn kelley spencer hawkins
arnold pierce vazquez hansen peters santos hart bradley knight elliott cunningham duncan armstrong hudson carroll
lane riley andrews alvarado ray delgado berry perkins hoffman johnston matthews pena richards contreras willis
carpenter lawrence sandoval
wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he lin luo gao zheng liang xie tang
tran le pham hoang phan vu vo dang bui do ho ngo duong ly
sato suzuki takahashi tanaka watanabe ito yamamoto nakamura kobayashi kato yoshida yamada sasaki yamaguchi matsumoto
park choi jung kang cho yoon jang lim han shin
sharma singh kumar gupta shah mehta reddy rao iyer nair menon chopra kapoor malhotra joshi desai agarwal bhat pillai
khan hussain rahman chowdhury ahmed akhtar qureshi siddiqui malik haddad khoury nasser saleh mansour aziz hamdan
okafor okonkwo adeyemi oyelaran mensah boateng owusu asante nwosu eze obi balogun adebayo okeke mwangi otieno kamau
ndlovu dlamini nkosi moyo
kowalski nowak wisniewski wojcik kaminski lewandowski zielinski ivanov petrov smirnov kuznetsov popov sokolov
mueller muller schneider fischer weber becker schulz hoffmann koch richter klein wolf schroder neumann braun
rossi russo ferrari esposito bianchi romano colombo ricci marino greco bruno gallo conti costa giordano
obrien oconnor murphy kelly byrne ryan walsh mccarthy doyle gallagher kavanagh fitzgerald
cohen levy friedman katz goldberg shapiro rosenberg kaplan
silva santos oliveira souza pereira ferreira alves lima carvalho ribeiro
`);

/**
 * Eponyms and capitalised clinical words that are also surnames: kept as text unless a title or label shows a
 * person ("Dr. Parkinson"). Sources: eponymous diseases, signs, scores, procedures and devices in common use.
 */
export const BUILT_IN_EPONYMS = words(`
addison adson alzheimer apgar asperger babinski baker barlow barrett bartholin bartter becker behcet bell bennett
billroth bishop blalock boerhaave bouchard bowen braden brown-sequard brudzinski budd buerger burkitt caldwell
charcot cheyne chiari christmas chvostek cobb colles conn coombs crigler crohn cullen cushing dandy denver dieulafoy
down dressler dubin duchenne dupuytren durkan ebstein ehlers danlos eisenmenger ellison epstein barr erb ewing fallot
fanconi foley fournier framingham frey friedreich gaucher gerota gilbert glasgow gleason goodpasture gram graves
grey-turner guillain barre hartmann hashimoto heberden hegar heimlich henoch hickman hirschsprung hodgkin holter homan
homans horner huntington hurler jackson-pratt kaposi karnofsky kawasaki kehr kernig klinefelter korsakoff kussmaul
lachman legionella lhermitte lisfranc lyme mallampati mallory marfan mcburney mcmurray meckel meniere monteggia
morse murphy nissen niemann osgood schlatter paget papanicolaou parkinson perthes peyronie phalen pott prinzmetal
ranson raynaud reiter reye rinne romberg roux salter schatzki sjogren snellen spurling stevens stokes swan ganz
takayasu tay sachs tinel tourette trendelenburg trousseau turner valsalva virchow von willebrand waldenstrom weber
wegener wells wenckebach wernicke whipple wilms wilson wolff zenker zollinger doppler kegel fahrenheit celsius
douglas pringle robson killip pugh gleason breslow hunt hess fisher rankin norton richmond lund browder ballard dubowitz tanner
`);

/** Words that follow an eponym and show it is one ("Wilson disease", "Foley catheter", "Apgar score"). */
export const EPONYM_HEADS = new Set(
  words(`
disease diseases syndrome syndromes sign signs test tests score scores scale scales catheter catheters maneuver
manoeuvre procedure operation fracture fractures palsy cyst cysts reflex reflexes tube line lines triad
classification criteria criterion disorder phenomenon lymphoma sarcoma tumor tumour ulcer ulcers esophagus node
nodes stage staging point points grade grading position method stain staining repair fundoplication anastomosis
aneurysm angina block monitor monitoring shunt valve tetralogy anomaly deformity contracture dementia chorea
encephalopathy psychosis ataxia dystrophy anemia anaemia thyroiditis sarcoidosis arteritis purpura lesion lesions
type effect law rule rules equation index bag bags drain drains balloon loop gland glands nodules protein proteins
virus cardiomyopathy diverticulum tear tears foot body bodies cell cells hernia pouch space duct canal membrane
`),
);

/** Titles before a person's name. */
export const NAME_TITLES = new Set(
  words(`dr dr. doctor mr mr. mrs mrs. ms ms. miss mx mx. prof prof. professor sr. sister rev rev. nurse`),
);

/**
 * Words (lower case) that, followed by an optional colon, announce a person's name: "Patient: ...", "seen by ...",
 * "Electronically signed by ...". Multi-word labels end in their last word; the detector checks the words before.
 */
export const NAME_LABELS = new Set(
  words(`
patient pt name attending physician provider pcp surgeon resident intern fellow nurse rn author signed by cosigned
dictated transcribed contact guardian spouse wife husband daughter son mother father sister brother friend nok kin
interpreter witness caregiver reviewed approved cc referring consultant consultants therapist pharmacist midwife
proxy poa partner grandson granddaughter niece nephew aunt uncle neighbor neighbour roommate
`),
);

/** Verbs before "by", "to", "with" that introduce a person: "seen by", "consult to", "spoke with". */
export const NAME_LABEL_VERBS = new Set(
  words(`seen evaluated examined signed cosigned dictated transcribed referred reviewed approved discussed accompanied visited
called performed attended consult consulted spoke spoken talked paged notified handed transferred`),
);

/** Words after a label verb that introduce the person. */
export const NAME_LABEL_LINKS = new Set(words(`by to with`));

/** Labels that announce a name without a colon when a capitalised word that is not a common word follows. */
export const NAME_LABELS_BARE = new Set(words(`patient pt`));

/** Credentials after a clinician's name ("Ana Ruiz, MD"). */
export const CREDENTIALS = new Set(
  words(
    `md m.d. do d.o. rn np pa pa-c phd dds dmd lpn cna mbbs facs facp dpm pharmd lcsw crna msn bsn aprn dnp fnp od psyd rd cnm mph mba ms`,
  ),
);

/**
 * Common words that never stand for a name alone (function words, pronouns, clinical and section words, days and
 * months); the EFF list is added at build time.
 */
export const BUILT_IN_COMMON_WORDS = words(`
a an the and or but if then so as at by for from in into of off on onto out over to up with without within about
above after again against all also am any are be because been before being below between both can could did do
does doing down during each few further had has have having he her here hers herself him himself his how i is it
its itself just me more most my myself no nor not now once only other our ours ourselves own same she should some
such than that their theirs them themselves there these they this those through too under until very was we were
what when where which while who whom why will would you your yours yourself yes may might must shall per via
patient patients pt history exam examination assessment plan impression diagnosis diagnoses procedure procedures
note notes report summary discharge admission admitted hospital clinic service unit floor room bed ward emergency
department chief complaint present illness medications medication allergies allergy social family review systems
vital vitals signs general heent neck chest heart lungs abdomen extremities neuro neurologic skin psych labs
laboratory imaging results result findings finding follow followup return instructions condition stable good fair
poor mild moderate severe acute chronic left right bilateral normal abnormal negative positive denies reports
states noted seen given started continued stopped increased decreased improved worsened recommended
monday tuesday wednesday thursday friday saturday sunday january february march april june july august september
october november december today tomorrow yesterday morning afternoon evening night
mother father son daughter wife husband sister brother friend family
will may june april august grace hope faith joy rose lily iris violet ivy summer autumn dawn crystal amber ruby pearl
bill mark frank grant chase hunter mason carter cooper baker cook parker miller turner fisher taylor walker young
long short brown white black green gray grey king bishop knight page hall hill wood woods stone rock lane field
fields bush banks price rice reed rose best bright early gay sharp strong wise love rich nice noble moss dean
north south east west little small large major minor
al et block brain broke burns day de del la le da di du van von der den ten death due en every feet hand held man
plane ray re red walls well went ton units miles cross case virgin virgen saint san santa st
`);

/** Clinical words and abbreviations written in capitals that are not names (headers, lab names). */
export const CLINICAL_CAPITALS = new Set(
  words(`
bp hr rr ca mg fe zn cu spo2 temp bmi ecg ekg eeg emg ct mri pet cbc bmp cmp lft lfts inr ptt pt aptt tsh hba1c bun wbc rbc hgb hct plt na
cl co2 gfr egfr ldl hdl copd chf cad ckd esrd dm htn gerd uti dvt pe mi cva tia icu ed er or pacu nicu picu ob gyn ent
gi gu cns hpi ros pmh psh fh sh md rn np pa iv im po prn bid tid qid qd qhs npo dnr dni cpr aids hiv hcv hbv covid
sars cov nos nec icd cpt drg ms mrn ssn dob id zip usa us
cardiology neurology oncology surgery radiology pathology nephrology urology orthopedics orthopaedics dermatology
gastroenterology pulmonology pulmonary hematology endocrinology psychiatry psychology pediatrics obstetrics gynecology
rheumatology ophthalmology otolaryngology medicine rehabilitation rehab therapy hospice palliative infectious anesthesia
neurosurgery urgent care clinic nursing pharmacy nutrition dietary chaplain education name
`),
);

let effWords: readonly string[] | undefined;
/** The EFF long word list (7,776 common English words) shipped in @zxcvbn-ts/language-common. */
function effLongWordList(): readonly string[] {
  if (!effWords) {
    const require = createRequire(import.meta.url);
    const pkg = require('@zxcvbn-ts/language-common') as { dictionary: { 'diceware-common': string[] } };
    effWords = pkg.dictionary['diceware-common'];
  }
  return effWords;
}

/** Builds the lexicon: the built-in lists, plus extra name tokens (e.g. from `loadNameLists`). */
export function buildDeidLexicon(extraNames: Iterable<string> = []): DeidLexicon {
  const eponyms = new Set(BUILT_IN_EPONYMS);
  const commonWords = new Set([...BUILT_IN_COMMON_WORDS, ...effLongWordList(), ...CLINICAL_CAPITALS]);
  const names = new Set([...BUILT_IN_GIVEN_NAMES, ...BUILT_IN_FAMILY_NAMES]);
  for (const n of extraNames) {
    const w = n.trim().toLowerCase();
    if (w.length >= 2 && /^[\p{L}'’-]+$/u.test(w)) names.add(w);
  }
  return { names, commonWords, eponyms };
}
