/**
 * Seeded generator of hard person-matching data, for tests and `npm run bench:mpi`: people drawn from
 * skewed name, place and birth-year distributions, each registered 1 to 21 times with the errors that real
 * registers show (Christen, *Data Matching*, 2012, ch. 2; the error kinds of splink's synthetic sets):
 * nicknames, typos (substitution, deletion, adjacent transposition), names swapped, a name missing or
 * reduced to an initial, a date of birth missing, shifted (day, month or year) or with day and month
 * swapped; no SSN and no street address. Optional sex, city (birth place), e-mail and phone fields, each
 * often blank. Same seed, same data.
 */
import { createPrng } from './linkage.js';
import type { PersonRecord } from './types.js';

type Rand = () => number;

const MALE = (
  'william john thomas james george charles henry robert richard edward joseph samuel frederick arthur alfred ' +
  'walter david peter michael francis albert harold ernest daniel benjamin stephen patrick hugh andrew matthew ' +
  'christopher anthony edmund philip nicholas alexander ralph leonard herbert percy frank reginald douglas ' +
  'kenneth donald ronald geoffrey roger timothy simon jonathan lawrence gerald cecil howard norman victor ' +
  'oliver jack harry noah leo oscar archie lucas isaac ethan mason logan caleb dylan tyler ryan adam owen'
).split(' ');
const FEMALE = (
  'mary elizabeth anne margaret sarah jane catherine ellen emily alice florence eleanor charlotte dorothy edith ' +
  'frances helen isabella louisa maria martha rebecca susan victoria agnes beatrice clara ada grace rose violet ' +
  'patricia barbara joan jennifer deborah christine abigail samantha alexandra emma olivia sophia amelia isla ' +
  'evie freya poppy lily ruby chloe jessica lucy hannah megan amy laura rachel kate joanna nora'
).split(' ');
const NICKNAMES: Record<string, string[]> = {
  william: ['bill', 'will', 'billy'],
  john: ['jack', 'johnny', 'jon'],
  thomas: ['tom', 'tommy'],
  james: ['jim', 'jimmy', 'jamie'],
  charles: ['charlie', 'chas'],
  henry: ['harry', 'hal'],
  robert: ['bob', 'rob', 'bobby'],
  richard: ['dick', 'rick', 'rich'],
  edward: ['ted', 'ed', 'ned'],
  joseph: ['joe'],
  samuel: ['sam'],
  frederick: ['fred', 'freddie'],
  alfred: ['alf', 'alfie'],
  walter: ['walt'],
  david: ['dave'],
  peter: ['pete'],
  michael: ['mike', 'mick'],
  francis: ['frank'],
  daniel: ['dan', 'danny'],
  benjamin: ['ben'],
  stephen: ['steve'],
  patrick: ['paddy'],
  andrew: ['andy'],
  matthew: ['matt'],
  christopher: ['chris', 'kit'],
  anthony: ['tony'],
  nicholas: ['nick'],
  alexander: ['alex', 'sandy'],
  kenneth: ['ken'],
  donald: ['don'],
  ronald: ['ron'],
  timothy: ['tim'],
  lawrence: ['larry'],
  elizabeth: ['liz', 'beth', 'betty', 'eliza'],
  margaret: ['peggy', 'maggie', 'meg'],
  sarah: ['sally'],
  catherine: ['kate', 'cathy', 'kitty'],
  eleanor: ['nell', 'ellie'],
  dorothy: ['dot', 'dolly'],
  frances: ['fanny', 'fran'],
  isabella: ['bella', 'isabel'],
  rebecca: ['becky'],
  susan: ['sue'],
  victoria: ['vicky'],
  patricia: ['pat', 'trish'],
  barbara: ['babs'],
  jennifer: ['jenny'],
  deborah: ['debbie'],
  christine: ['chrissy'],
  abigail: ['abby'],
  samantha: ['sam'],
  alexandra: ['alex'],
};
const SURNAMES = (
  'smith jones williams taylor brown davies evans wilson thomas johnson roberts robinson thompson wright walker ' +
  'white edwards hughes green hall lewis harris clarke patel jackson wood turner martin cooper hill ward morris ' +
  'moore clark lee king baker harrison morgan allen james scott phillips watson davis parker price bennett young ' +
  'griffiths mitchell kelly cook carter richardson bailey collins bell shaw murphy miller cox richards khan ' +
  'marshall anderson simpson ellis adams singh begum wilkinson foster chapman powell webb rogers gray mason ali ' +
  'hunt hussain campbell matthews owen palmer holmes mills barnes knight lloyd butler russell barker fisher stevens'
).split(' ');
const SYLLABLES =
  'ash bar bur car chet dun el fair gar har hol ing kel lang mer nor os pen ran rid shaw stan ton wick wor ley by ford'.split(' ');
const PLACES = (
  'london manchester birmingham liverpool leeds bristol sheffield newcastle nottingham leicester edinburgh glasgow ' +
  'cardiff belfast york oxford cambridge bath exeter plymouth norwich ipswich hull bradford coventry derby ' +
  'portsmouth southampton brighton canterbury durham lancaster preston bolton wigan stockport salford sunderland ' +
  'middlesbrough carlisle chester shrewsbury worcester gloucester hereford lincoln peterborough northampton ' +
  'reading swindon salisbury winchester chichester dover maidstone colchester chelmsford luton bedford'
).split(' ');

const pick = <T>(rand: Rand, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
/** Zipf-like pick: low indexes far more common, as with real name and place frequencies. */
const pickSkewed = <T>(rand: Rand, xs: readonly T[], power = 2): T => xs[Math.floor(Math.pow(rand(), power) * xs.length)]!;
const pad = (n: number) => String(n).padStart(2, '0');

function typo(rand: Rand, s: string): string {
  if (s.length < 3) return s;
  const i = 1 + Math.floor(rand() * (s.length - 2));
  const kind = rand();
  if (kind < 0.3) return s.slice(0, i) + s.charAt(i + 1) + s.charAt(i) + s.slice(i + 2);
  if (kind < 0.55) return s.slice(0, i) + s.slice(i + 1);
  if (kind < 0.75) return s.slice(0, i) + s.charAt(i) + s.slice(i);
  return s.slice(0, i) + String.fromCharCode(97 + Math.floor(rand() * 26)) + s.slice(i + 1);
}

function surname(rand: Rand): string {
  if (rand() < 0.45) return pickSkewed(rand, SURNAMES);
  return Array.from({ length: 2 + Math.floor(rand() * 2) }, () => pick(rand, SYLLABLES)).join('');
}

interface Person {
  given: string;
  family: string;
  year: number;
  month: number;
  day: number;
  sex: 'M' | 'F';
  place: string;
  email: string;
  phone: string;
}

function makePerson(rand: Rand, modern: boolean): Person {
  const sex = rand() < 0.5 ? 'M' : 'F';
  const given = pickSkewed(rand, sex === 'M' ? MALE : FEMALE);
  const family = surname(rand);
  const digits = Array.from({ length: 6 }, () => Math.floor(rand() * 10)).join('');
  return {
    given,
    family,
    year: modern ? 1925 + Math.floor(rand() * 95) : 1700 + Math.floor(rand() * 250),
    month: 1 + Math.floor(rand() * 12),
    day: 1 + Math.floor(rand() * 28),
    sex,
    place: pickSkewed(rand, PLACES, 2.5),
    email: `${given[0]}${family}${Math.floor(rand() * 100)}@${pick(rand, ['mail', 'post', 'web', 'net'])}.example`,
    phone: `07${Math.floor(rand() * 1000)
      .toString()
      .padStart(3, '0')}${digits}`,
  };
}

function dateOf(rand: Rand, p: Person): string {
  const r = rand();
  let { year, month, day } = p;
  if (r < 0.1) return '';
  if (r < 0.16) year += rand() < 0.5 ? 1 : -1;
  else if (r < 0.2) year += Math.round((rand() - 0.5) * 20);
  else if (r < 0.25) day = Math.min(28, Math.max(1, day + (rand() < 0.5 ? 1 : -1) * (1 + Math.floor(rand() * 3))));
  else if (r < 0.29) month = 1 + ((month + (rand() < 0.5 ? 0 : 10)) % 12);
  else if (r < 0.32 && day <= 12) [month, day] = [day, month];
  else if (r < 0.35) return `${year}-${pad(month)}`;
  return `${year}-${pad(month)}-${pad(day)}`;
}

function givenOf(rand: Rand, p: Person): string {
  const r = rand();
  const nick = NICKNAMES[p.given];
  if (r < 0.2 && nick) return pick(rand, nick);
  if (r < 0.3) return typo(rand, p.given);
  if (r < 0.36) return '';
  if (r < 0.39) return p.given[0] ?? '';
  return p.given;
}

function familyOf(rand: Rand, p: Person): string {
  const r = rand();
  if (r < 0.12) return typo(rand, p.family);
  if (r < 0.16) return '';
  return p.family;
}

const blankOr = (rand: Rand, pBlank: number, v: string, pTypo = 0): string => {
  const r = rand();
  return r < pBlank ? '' : r < pBlank + pTypo ? typo(rand, v) : v;
};

/** One registration of `p`, with its errors. */
function register(rand: Rand, p: Person, id: string, modern: boolean): PersonRecord {
  let givenName = givenOf(rand, p);
  let familyName = familyOf(rand, p);
  if (rand() < 0.05) [givenName, familyName] = [familyName, givenName];
  const record: PersonRecord = {
    id,
    givenName,
    familyName,
    dateOfBirth: dateOf(rand, p),
    sex: rand() < 0.15 ? '' : p.sex,
    city: blankOr(rand, 0.3, p.place, 0.1),
  };
  if (modern) {
    record.email = blankOr(rand, 0.4, p.email, 0.1);
    record.phone = blankOr(rand, 0.5, p.phone);
  }
  return record;
}

export interface SyntheticSet {
  records: PersonRecord[];
  /** Person (cluster) label per record id. */
  clusterOf: Map<string, string>;
}

export interface SyntheticOptions {
  people: number;
  seed: number;
  /** Modern registrations: birth years 1925-2019, e-mail and phone (often blank). Else 1700-1949, neither. */
  modern?: boolean;
  /** Largest number of records of one person (default 21). */
  maxRecordsPerPerson?: number;
}

/**
 * People with 1 to `maxRecordsPerPerson` records each (geometric, mean about 3.5; ids `s<n>`, shuffled so
 * file order tells nothing).
 */
export function generatePeople(options: SyntheticOptions): SyntheticSet {
  const rand = createPrng(options.seed);
  const modern = options.modern ?? false;
  const max = options.maxRecordsPerPerson ?? 21;
  const rows: { person: number; record: PersonRecord }[] = [];
  let n = 0;
  for (let i = 0; i < options.people; i++) {
    const p = makePerson(rand, modern);
    const size = Math.min(max, 1 + Math.floor(-Math.log(1 - rand()) * 2.5));
    for (let k = 0; k < size; k++) rows.push({ person: i, record: register(rand, p, '', modern) });
  }
  for (let i = rows.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [rows[i], rows[j]] = [rows[j]!, rows[i]!];
  }
  const clusterOf = new Map<string, string>();
  const records = rows.map(({ person, record }) => {
    const id = `s${n++}`;
    clusterOf.set(id, String(person));
    return { ...record, id };
  });
  return { records, clusterOf };
}

/** The set as CSV with the columns `mpi link` reads (rec_id, given_name, surname, date_of_birth, sex, city, ...). */
export function syntheticCsv(set: SyntheticSet): string {
  const cols = ['rec_id', 'given_name', 'surname', 'date_of_birth', 'sex', 'city', 'email', 'phone'] as const;
  const lines = set.records.map((r) =>
    [r.id, r.givenName, r.familyName, r.dateOfBirth, r.sex ?? '', r.city ?? '', r.email ?? '', r.phone ?? ''].join(','),
  );
  return [cols.join(','), ...lines].join('\n') + '\n';
}
