/**
 * Pure generators for the demo hospital: a seeded PRNG (same data every run), synthetic people, providers and
 * encounters. Names and addresses are invented; SSNs use the never-issued 999 area number.
 */
import type { NewEncounter, NewPatient } from '../patients/index.js';

export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

const femaleNames = [
  'Mary',
  'Patricia',
  'Jennifer',
  'Linda',
  'Elizabeth',
  'Barbara',
  'Susan',
  'Jessica',
  'Sarah',
  'Karen',
  'Nancy',
  'Margaret',
  'Lisa',
  'Betty',
  'Dorothy',
  'Sandra',
  'Ashley',
  'Kimberly',
  'Donna',
  'Emily',
  'Michelle',
  'Carol',
  'Amanda',
  'Melissa',
  'Deborah',
  'Rosa',
  'Mei',
  'Aisha',
  'Guadalupe',
  'Priya',
];
const maleNames = [
  'James',
  'Robert',
  'John',
  'Michael',
  'William',
  'David',
  'Richard',
  'Joseph',
  'Thomas',
  'Charles',
  'Christopher',
  'Daniel',
  'Matthew',
  'Anthony',
  'Donald',
  'Mark',
  'Paul',
  'Steven',
  'Andrew',
  'Kenneth',
  'Joshua',
  'Kevin',
  'Brian',
  'George',
  'Edward',
  'Jose',
  'Wei',
  'Omar',
  'Luis',
  'Raj',
];
const familyNames = [
  'Smith',
  'Johnson',
  'Williams',
  'Brown',
  'Jones',
  'Garcia',
  'Miller',
  'Davis',
  'Rodriguez',
  'Martinez',
  'Hernandez',
  'Lopez',
  'Gonzalez',
  'Wilson',
  'Anderson',
  'Thomas',
  'Taylor',
  'Moore',
  'Jackson',
  'Martin',
  'Lee',
  'Perez',
  'Thompson',
  'White',
  'Harris',
  'Sanchez',
  'Clark',
  'Ramirez',
  'Lewis',
  'Robinson',
  'Walker',
  'Young',
  'Allen',
  'King',
  'Wright',
  'Scott',
  'Torres',
  'Nguyen',
  'Hill',
  'Flores',
  'Green',
  'Adams',
  'Nelson',
  'Baker',
  'Hall',
  'Rivera',
  'Campbell',
  'Mitchell',
  'Carter',
  'Roberts',
  'Okafor',
  'Chen',
  'Patel',
  'Kowalski',
  "O'Brien",
];
const streets = [
  'Main St',
  'Oak Ave',
  'Maple Dr',
  'Cedar Ln',
  'Elm St',
  'Washington Blvd',
  'Lake Rd',
  'Hillcrest Dr',
  'Park Ave',
  'Pine St',
  'River Rd',
  'Sunset Blvd',
  'Church St',
  'Mill Rd',
  'Highland Ave',
];
const cities: [string, string, string][] = [
  ['Springfield', 'MA', '011'],
  ['Worcester', 'MA', '016'],
  ['Lowell', 'MA', '018'],
  ['Cambridge', 'MA', '021'],
  ['Quincy', 'MA', '021'],
  ['Brockton', 'MA', '023'],
  ['Providence', 'RI', '029'],
  ['Nashua', 'NH', '030'],
  ['Hartford', 'CT', '061'],
];
export const payers = [
  { payerName: 'Medicare Part A', payerId: '00450', planType: 'MA' },
  { payerName: 'MassHealth (Medicaid)', payerId: 'MAMCD', planType: 'MC' },
  { payerName: 'Blue Cross Blue Shield', payerId: 'BCBS1', planType: 'BL' },
  { payerName: 'Aetna', payerId: '60054', planType: 'CI' },
  { payerName: 'UnitedHealthcare', payerId: '87726', planType: 'CI' },
  { payerName: 'Self-pay', payerId: null, planType: '09' },
] as const;
const races = [
  '2106-3 White',
  '2054-5 Black or African American',
  '2028-9 Asian',
  '1002-5 American Indian or Alaska Native',
  '2131-1 Other Race',
];

/** Invented NPIs that pass the check digit (Luhn over 80840 + the first nine digits), as the 837 scrubber requires. */
export const demoProviders = [
  { given: 'Alice', family: 'Morgan', credentials: 'MD', specialty: 'Internal Medicine', npi: '1234567893' },
  { given: 'Rahul', family: 'Desai', credentials: 'MD', specialty: 'Cardiology', npi: '1245319599' },
  { given: 'Grace', family: 'Oyelaran', credentials: 'MD', specialty: 'General Surgery', npi: '1316040777' },
  { given: 'Thomas', family: 'Becker', credentials: 'DO', specialty: 'Emergency Medicine', npi: '1457392227' },
  { given: 'Elena', family: 'Vasquez', credentials: 'MD', specialty: 'Obstetrics and Gynecology', npi: '1528143005' },
  { given: 'Samuel', family: 'Kim', credentials: 'MD', specialty: 'Orthopaedic Surgery', npi: '1639271489' },
  { given: 'Fatima', family: 'Haddad', credentials: 'MD', specialty: 'Pulmonology', npi: '1740283308' },
  { given: 'Peter', family: 'Lindqvist', credentials: 'MD', specialty: 'Hospital Medicine', npi: '1851394217' },
  { given: 'Nora', family: 'Fitzgerald', credentials: 'MD', specialty: 'Neurology', npi: '1962405035' },
  { given: 'Marcus', family: 'Reed', credentials: 'MD', specialty: 'Nephrology', npi: '1073516928' },
] as const;

export type DemoPerson = Omit<NewPatient, 'facilityId'>;

/** A synthetic person with realistic demographics, insurance and next of kin. */
export function makePerson(r: () => number, i: number): DemoPerson {
  const sex = r() < 0.52 ? 'F' : 'M';
  const given = pick(r, sex === 'F' ? femaleNames : maleNames);
  const family = pick(r, familyNames);
  const age = Math.floor(r() < 0.08 ? r() * 2 : 18 + r() * 75);
  const dob = isoDay(new Date(Date.UTC(2026 - age, Math.floor(r() * 12), 1 + Math.floor(r() * 28))));
  const [city, state, zip3] = pick(r, cities);
  const payer = age >= 65 ? payers[0] : pick(r, payers.slice(1));
  return {
    familyName: family,
    givenName: given,
    middleName: r() < 0.5 ? pick(r, sex === 'F' ? femaleNames : maleNames).slice(0, 1) : undefined,
    dateOfBirth: dob,
    sex,
    race: pick(r, races),
    ethnicity: r() < 0.15 ? '2135-2 Hispanic or Latino' : '2186-5 Not Hispanic or Latino',
    address: {
      line1: `${10 + Math.floor(r() * 9900)} ${pick(r, streets)}`,
      city,
      state,
      postalCode: zip3 + String(Math.floor(r() * 100)).padStart(2, '0'),
    },
    phone: `555-${String(200 + Math.floor(r() * 799))}-${String(Math.floor(r() * 10000)).padStart(4, '0')}`,
    ssn: `999-${String(10 + Math.floor(r() * 89))}-${String(1000 + ((i * 7919) % 9000))}`,
    insurance: [
      {
        payerName: payer.payerName,
        ...(payer.payerId ? { payerId: payer.payerId } : {}),
        planType: payer.planType,
        memberId: `${payer.planType}${String(Math.floor(r() * 1e9)).padStart(9, '0')}`,
        subscriberName: `${given} ${family}`,
        relationship: '18',
      },
    ],
    nextOfKin: [
      {
        name: `${pick(r, r() < 0.5 ? femaleNames : maleNames)} ${family}`,
        relationship: pick(r, ['Spouse', 'Child', 'Parent', 'Sibling']),
        phone: `555-${String(200 + Math.floor(r() * 799))}-${String(Math.floor(r() * 10000)).padStart(4, '0')}`,
      },
    ],
  };
}

export function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

const inpatientStatus = ['01', '01', '01', '01', '06', '06', '03', '03', '02', '62', '07', '20', '50'] as const;
const reasons = [
  'Chest pain',
  'Shortness of breath',
  'Abdominal pain',
  'Fall at home',
  'Fever and cough',
  'Syncope',
  'Elective knee replacement',
  'Labor and delivery',
  'Cellulitis of leg',
  'Altered mental status',
  'Follow-up visit',
  'Laceration of hand',
  'Pneumonia',
  'Heart failure exacerbation',
  'Urinary tract infection',
];

/** An encounter of a given type ending before `now`; account numbers are unique per facility. */
export function makeEncounter(
  r: () => number,
  n: number,
  now: Date,
  providerIds: readonly string[],
  payerName: string,
  allowActive = true,
): NewEncounter {
  const t = r();
  const type = t < 0.45 ? 'inpatient' : t < 0.75 ? 'outpatient' : t < 0.95 ? 'emergency' : 'observation';
  const daysAgo = 1 + Math.floor(r() * 120);
  const admit = new Date(now.getTime() - daysAgo * 86_400_000 - Math.floor(r() * 86_400_000));
  admit.setUTCSeconds(0, 0);
  const los = type === 'inpatient' ? 1 + Math.floor(r() * 9) : type === 'observation' ? 1 : 0;
  const discharge = new Date(admit.getTime() + (los * 86_400_000 || (2 + Math.floor(r() * 6)) * 3_600_000));
  const stillIn = allowActive && type === 'inpatient' && daysAgo <= 3;
  return {
    accountNumber: `A${String(100000 + n)}`,
    type,
    admitAt: admit.toISOString(),
    ...(stillIn ? {} : { dischargeAt: discharge.toISOString(), dischargeStatus: type === 'inpatient' ? pick(r, inpatientStatus) : '01' }),
    attendingProviderId: pick(r, providerIds),
    admissionSource: type === 'emergency' || type === 'inpatient' ? pick(r, ['1', '1', '2', '4', '7']) : '1',
    admissionType: type === 'emergency' ? '1' : type === 'inpatient' ? pick(r, ['1', '2', '3']) : '3',
    payerName,
    reasonForVisit: pick(r, reasons),
  };
}
