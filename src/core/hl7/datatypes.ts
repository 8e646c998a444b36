import { Hl7Error, Hl7ErrorCode, type Hl7Location } from './hl7-error.js';
import { component } from './message.js';

/** One repetition of a field: components -> subcomponents. */
export type Rep = string[][] | undefined;

const opt = (v: string): string | undefined => (v === '' ? undefined : v);

/** HD: hierarchic designator (sending application/facility, assigning authority). */
export interface HierarchicDesignator {
  namespaceId?: string;
  universalId?: string;
  universalIdType?: string;
}
export function readHd(rep: Rep): HierarchicDesignator {
  return { namespaceId: opt(component(rep, 1)), universalId: opt(component(rep, 2)), universalIdType: opt(component(rep, 3)) };
}

/** HD carried as subcomponents of one component (e.g. CX-4 assigning authority). */
function readHdSub(rep: Rep, comp: number): HierarchicDesignator | undefined {
  const c = rep?.[comp - 1];
  if (!c || c.every((s) => s === '')) return undefined;
  return { namespaceId: opt(c[0] ?? ''), universalId: opt(c[1] ?? ''), universalIdType: opt(c[2] ?? '') };
}

/** CX: an identifier with its assigning authority and type (MR, SS, AN, VN, PI, ...). */
export interface ExtendedId {
  id: string;
  checkDigit?: string;
  assigningAuthority?: HierarchicDesignator;
  identifierTypeCode?: string;
  assigningFacility?: HierarchicDesignator;
}
export function readCx(rep: Rep): ExtendedId {
  return {
    id: component(rep, 1),
    checkDigit: opt(component(rep, 2)),
    assigningAuthority: readHdSub(rep, 4),
    identifierTypeCode: opt(component(rep, 5)),
    assigningFacility: readHdSub(rep, 6),
  };
}

/** XPN: a person name. `family` is XPN-1.1 (surname). */
export interface PersonName {
  family?: string;
  given?: string;
  middle?: string;
  suffix?: string;
  prefix?: string;
  degree?: string;
  nameTypeCode?: string;
}
export function readXpn(rep: Rep): PersonName {
  return {
    family: opt(component(rep, 1)),
    given: opt(component(rep, 2)),
    middle: opt(component(rep, 3)),
    suffix: opt(component(rep, 4)),
    prefix: opt(component(rep, 5)),
    degree: opt(component(rep, 6)),
    nameTypeCode: opt(component(rep, 7)),
  };
}

/** XCN: a person with an id (attending, admitting, operator). */
export interface Clinician extends PersonName {
  id?: string;
  assigningAuthority?: HierarchicDesignator;
}
export function readXcn(rep: Rep): Clinician {
  return {
    id: opt(component(rep, 1)),
    family: opt(component(rep, 2)),
    given: opt(component(rep, 3)),
    middle: opt(component(rep, 4)),
    suffix: opt(component(rep, 5)),
    prefix: opt(component(rep, 6)),
    degree: opt(component(rep, 7)),
    assigningAuthority: readHdSub(rep, 9),
  };
}

/** XAD: an address. */
export interface Address {
  street?: string;
  otherDesignation?: string;
  city?: string;
  state?: string;
  postcode?: string;
  country?: string;
  addressType?: string;
  county?: string;
}
export function readXad(rep: Rep): Address {
  return {
    street: opt(component(rep, 1)),
    otherDesignation: opt(component(rep, 2)),
    city: opt(component(rep, 3)),
    state: opt(component(rep, 4)),
    postcode: opt(component(rep, 5)),
    country: opt(component(rep, 6)),
    addressType: opt(component(rep, 7)),
    county: opt(component(rep, 9)),
  };
}

/** XTN: a phone number or e-mail. `number` is XTN-1, or built from XTN-5..8 (v2.5+ style). */
export interface Telecom {
  number?: string;
  useCode?: string;
  equipmentType?: string;
  email?: string;
}
export function readXtn(rep: Rep): Telecom {
  const parts = [
    component(rep, 5) && `+${component(rep, 5)} `,
    component(rep, 6) && `(${component(rep, 6)}) `,
    component(rep, 7),
    component(rep, 8) && ` x${component(rep, 8)}`,
  ];
  const built = parts.join('').trim();
  return {
    number: opt(component(rep, 1)) ?? opt(built),
    useCode: opt(component(rep, 2)),
    equipmentType: opt(component(rep, 3)),
    email: opt(component(rep, 4)),
  };
}

/** CE/CWE/IS/ID: a coded value. */
export interface Coded {
  code?: string;
  text?: string;
  codingSystem?: string;
}
export function readCwe(rep: Rep): Coded {
  return { code: opt(component(rep, 1)), text: opt(component(rep, 2)), codingSystem: opt(component(rep, 3)) };
}

/** PL: a patient location. */
export interface Location {
  pointOfCare?: string;
  room?: string;
  bed?: string;
  facility?: string;
  status?: string;
  building?: string;
  floor?: string;
}
export function readPl(rep: Rep): Location {
  return {
    pointOfCare: opt(component(rep, 1)),
    room: opt(component(rep, 2)),
    bed: opt(component(rep, 3)),
    facility: opt(component(rep, 4)),
    status: opt(component(rep, 5)),
    building: opt(component(rep, 7)),
    floor: opt(component(rep, 8)),
  };
}

/** XON: an organisation name with id. */
export interface Organization {
  name?: string;
  id?: string;
}
export function readXon(rep: Rep): Organization {
  return { name: opt(component(rep, 1)), id: opt(component(rep, 10)) ?? opt(component(rep, 3)) };
}

const DTM = /^(\d{4})(\d{2})?(\d{2})?(?:(\d{2})(\d{2})?(\d{2})?(\.\d{1,4})?)?([+-]\d{4})?$/;

/**
 * DT/DTM/TS to ISO 8601 at the precision sent: `YYYY`, `YYYY-MM`, `YYYY-MM-DD` or
 * `YYYY-MM-DDTHH:MM[:SS[.S]][±HH:MM]`. Empty -> undefined; malformed -> Hl7Error 102 naming the field.
 */
export function readDateTime(raw: string, where: Hl7Location): string | undefined {
  const v = raw.trim();
  if (v === '' || v === '""') return undefined;
  const m = DTM.exec(v);
  const bad = () => new Hl7Error(Hl7ErrorCode.dataTypeError, 'not a valid HL7 date/time', where);
  if (!m) throw bad();
  const [, y, mo, d, h, mi, s, frac, tz] = m;
  if ((mo && (+mo < 1 || +mo > 12)) || (d && (+d < 1 || +d > 31)) || (h && +h > 23) || (mi && +mi > 59) || (s && +s > 60)) throw bad();
  let out = y!;
  if (mo) out += `-${mo}`;
  if (d) out += `-${d}`;
  if (h) out += `T${h}:${mi ?? '00'}`;
  if (s) out += `:${s}${frac ?? ''}`;
  if (tz && h) out += `${tz.slice(0, 3)}:${tz.slice(3)}`;
  return out;
}
