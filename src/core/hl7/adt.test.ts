import { describe, expect, it } from 'vitest';
import { Hl7Error, parseAdt, parseMessage } from './index.js';

/** One segment from a field-number map, so that tests do not depend on counting pipes. */
const seg = (name: string, fields: Record<number, string>) => {
  const last = Math.max(...Object.keys(fields).map(Number));
  return [name, ...Array.from({ length: last }, (_, i) => fields[i + 1] ?? '')].join('|');
};

const makeAdt = (trigger: string, version = '2.5.1', body: string[] = []) =>
  [
    `MSH|^~\\&|REG|HOSP|CUSTODIAN|HIM|20260110083000||ADT^${trigger}^ADT_A01|CTRL-${trigger}|P|${version}`,
    `EVN|${trigger}|20260110083000|||clerk1^Lee^Pat`,
    seg('PID', {
      1: '1',
      3: 'MRN123^^^HOSP^MR~999887777^^^SSA^SS',
      5: 'DOE^JANE^Q^^^^L~ROE^JANE^^^^^M',
      7: '19800229',
      8: 'F',
      10: '2106-3^White^CDCREC',
      11: '12 MAIN ST^APT 2^SPRINGFIELD^IL^62704^USA^H',
      13: '^PRN^PH^^1^217^5550134',
      16: 'M',
      18: 'ACCT-9^^^HOSP^AN',
      22: '2186-5^Not Hispanic^CDCREC',
      29: '20260301120000',
      30: 'Y',
    }),
    'PD1|||HOSP CLINIC^^^^^^^^^FAC1|1234^WELBY^MARCUS',
    'NK1|1|DOE^JOHN|SPO^Spouse^HL70063|12 MAIN ST^^SPRINGFIELD^IL^62704|^PRN^PH^^1^217^5550135',
    seg('PV1', {
      1: '1',
      2: 'I',
      3: '4W^401^B^HOSP',
      7: '1234^WELBY^MARCUS^^^DR^MD',
      10: 'MED',
      14: '7',
      17: '5678^KILDARE^JAMES',
      18: 'IP',
      19: 'VN-55^^^HOSP^VN',
      36: '01',
      44: '20260110080000',
      45: '20260115103000',
    }),
    'PV2||PRV^Private|R07.9^Chest pain^I10',
    seg('IN1', {
      1: '1',
      2: 'GOLD^Gold Plan',
      3: 'PAYER1^^^^XX',
      4: 'ACME HEALTH',
      8: 'GRP42',
      12: '20260101',
      13: '20261231',
      15: 'HMO',
      16: 'DOE^JANE',
      17: 'SEL^Self',
      18: '19800229',
      36: 'MEM-777',
    }),
    'ZPV|custom',
    ...body,
  ].join('\r');

describe('parseAdt', () => {
  it('reads an A01 admission into typed parts', () => {
    const adt = parseAdt(parseMessage(makeAdt('A01')));
    expect(adt).toMatchObject({ trigger: 'A01', supported: true });
    expect(adt.header).toMatchObject({
      controlId: 'CTRL-A01',
      version: '2.5.1',
      sendingApplication: { namespaceId: 'REG' },
      sendingFacility: { namespaceId: 'HOSP' },
    });
    expect(adt.patient.identifiers[0]).toMatchObject({
      id: 'MRN123',
      assigningAuthority: { namespaceId: 'HOSP' },
      identifierTypeCode: 'MR',
    });
    expect(adt.patient.ssn).toBe('999887777');
    expect(adt.patient.names.map((n) => n.family)).toEqual(['DOE', 'ROE']);
    expect(adt.patient).toMatchObject({ dateOfBirth: '1980-02-29', sex: 'F', deathDateTime: '2026-03-01T12:00:00', deathIndicator: 'Y' });
    expect(adt.patient.race[0]?.code).toBe('2106-3');
    expect(adt.patient.addresses[0]).toMatchObject({ street: '12 MAIN ST', city: 'SPRINGFIELD', postcode: '62704' });
    expect(adt.patient.homePhones[0]?.number).toBe('+1 (217) 5550134');
    expect(adt.accountNumber?.id).toBe('ACCT-9');
    expect(adt.visit).toMatchObject({
      patientClass: 'I',
      assignedLocation: { pointOfCare: '4W', room: '401', bed: 'B', facility: 'HOSP' },
      admitSource: '7',
      dischargeDisposition: '01',
      admitDateTime: '2026-01-10T08:00:00',
      dischargeDateTime: '2026-01-15T10:30:00',
    });
    expect(adt.visit?.attending[0]).toMatchObject({ id: '1234', family: 'WELBY' });
    expect(adt.visit?.visitNumber?.id).toBe('VN-55');
    expect(adt.visitAdditional?.admitReason?.code).toBe('R07.9');
    expect(adt.nextOfKin[0]?.relationship?.code).toBe('SPO');
    expect(adt.additionalDemographics?.primaryCareProviders[0]?.family).toBe('WELBY');
    expect(adt.insurance[0]).toMatchObject({ policyNumber: 'MEM-777', groupNumber: 'GRP42', planType: 'HMO' });
    expect(adt.event?.operators[0]?.id).toBe('clerk1');
    expect(adt.zSegments.map((z) => z.name)).toEqual(['ZPV']);
  });

  it('falls back to PV1-19 for the account number when PID-18 is empty', () => {
    const adt = parseAdt(parseMessage(makeAdt('A04').replace('ACCT-9^^^HOSP^AN', '')));
    expect(adt.accountNumber?.id).toBe('VN-55');
  });

  it.each(['A01', 'A02', 'A03', 'A04', 'A05', 'A06', 'A07', 'A08', 'A11', 'A12', 'A13', 'A28', 'A31'])('marks %s supported', (t) => {
    expect(parseAdt(parseMessage(makeAdt(t))).supported).toBe(true);
  });

  it('reads every PID/MRG group of an A40 merge', () => {
    const raw = makeAdt('A40', '2.8', ['PID|1||MRN200^^^HOSP^MR||DOE^JANE', 'MRG|MRN201^^^HOSP^MR||ACCT-1']);
    const adt = parseAdt(parseMessage(raw));
    expect(adt.merges.map((g) => [g.patient.identifiers[0]?.id, g.merge.priorIdentifiers[0]?.id])).toEqual([['MRN200', 'MRN201']]);
  });

  it('requires MRG-1 for A47', () => {
    const raw = makeAdt('A47', '2.5.1', ['MRG|||ACCT-1']);
    expect(() => parseAdt(parseMessage(raw))).toThrow(/MRG-1: prior patient identifier list is required for A47/);
  });

  it('takes the trigger from EVN-1 when MSH-9.2 is empty (v2.3 senders)', () => {
    const raw = makeAdt('A08', '2.3').replace('ADT^A08^ADT_A01', 'ADT');
    expect(parseAdt(parseMessage(raw)).trigger).toBe('A08');
  });

  it('parses an ADT event outside the supported list but marks it unsupported', () => {
    expect(parseAdt(parseMessage(makeAdt('A14'))).supported).toBe(false);
  });

  it.each([
    ['a version outside 2.3-2.8', makeAdt('A01', '2.2'), '203', /MSH-12/],
    ['a non-ADT message', makeAdt('A01').replace('ADT^A01', 'ORU^R01'), '200', /MSH-9/],
    ['a missing control id', makeAdt('A01').replace('CTRL-A01', ''), '101', /MSH-10/],
    ['a missing PID-3', makeAdt('A01').replace('MRN123^^^HOSP^MR~999887777^^^SSA^SS', ''), '101', /PID-3/],
    ['a malformed birth date', makeAdt('A01').replace('19800229', '1980-02-29'), '102', /PID-7/],
    ['a missing PID segment', makeAdt('A01').replace(/\rPID\|[^\r]*/, ''), '100', /PID/],
  ])('rejects %s with HL7 error %s naming the field', (_, raw, code, where) => {
    try {
      parseAdt(parseMessage(raw));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(Hl7Error);
      expect((e as Hl7Error).hl7Code).toBe(code);
      expect((e as Error).message).toMatch(where);
    }
  });
});
