import { describe, expect, it } from 'vitest';
import { Hl7Error, escapeText, parseBatch, parseMessage, readDateTime, unescapeText, DEFAULT_DELIMITERS } from './index.js';

const SEGS = [
  'MSH|^~\\&|REG|HOSP|CUSTODIAN|HIM|20260110083000||ADT^A01^ADT_A01|MSG0001|P|2.5.1',
  'EVN|A01|20260110083000',
  'PID|1||MRN123^^^HOSP&2.16.840.1.113883.3.1&ISO^MR~999887777^^^SSA^SS||DOE^JANE^Q~SMITH^JANE^^^^^M||19800229|F',
  'PV1|1|I|4W^401^B^HOSP',
  'ZPI|custom|value^x',
];
const msg = (sep: string) => SEGS.join(sep);

describe('parseMessage', () => {
  it.each([
    ['CR', '\r'],
    ['LF', '\n'],
    ['CRLF', '\r\n'],
  ])('reads %s segment endings the same way', (_, sep) => {
    const m = parseMessage(msg(sep) + sep);
    expect(m.segments.map((s) => s.name)).toEqual(['MSH', 'EVN', 'PID', 'PV1', 'ZPI']);
    expect(m.get('PID-5[2].1')).toBe('SMITH');
  });

  it('reads repetitions, components and subcomponents', () => {
    const m = parseMessage(msg('\r'));
    expect(m.get('PID-3')).toBe('MRN123');
    expect(m.get('PID-3[1].4.2')).toBe('2.16.840.1.113883.3.1');
    expect(m.get('PID-3(2)-5')).toBe('SS');
    expect(m.get('MSH-9.2')).toBe('A01');
    expect(m.get('MSH-1')).toBe('|');
    expect(m.get('MSH-2')).toBe('^~\\&');
    expect(m.get('PV1-3.3')).toBe('B');
    expect(m.get('NK1-2')).toBe('');
  });

  it('keeps Z-segments', () => {
    expect(parseMessage(msg('\r')).get('ZPI-2.2')).toBe('x');
  });

  it('uses custom delimiters from MSH-1 and MSH-2', () => {
    const custom = msg('\r').replace(/\|/g, '#').replace(/\^/g, '$').replace(/~/g, '*').replace(/&/g, '%').replace('$*\\%', '$*\\%');
    const m = parseMessage(custom);
    expect(m.delimiters).toMatchObject({ field: '#', component: '$', repetition: '*', subcomponent: '%' });
    expect(m.get('PID-5[2].2')).toBe('JANE');
    expect(m.get('PID-3.4.3')).toBe('ISO');
  });

  it('strips a UTF-8 byte order mark and stray MLLP bytes', () => {
    expect(parseMessage(`\uFEFF\x0b${msg('\r')}\x1c\r`).get('MSH-10')).toBe('MSG0001');
  });

  it('joins a line break left inside a field to its segment', () => {
    const m = parseMessage(`${SEGS[0]}\nOBX|1|TX|||first line\nsecond line|F`);
    expect(m.get('OBX-5')).toBe('first line\nsecond line');
    expect(m.get('OBX-6')).toBe('F');
  });

  it.each([
    ['', /message is empty/],
    ['PID|1||X', /does not start with an MSH/],
    ['MSH|', /MSH-2: encoding characters are missing/],
    ['MSH||REG|HOSP', /MSH-2: encoding characters are missing/],
    ['MSH|^^\\&|REG', /MSH-2: encoding characters must be/],
    ['MSHA^~\\&|X', /MSH-1: field separator/],
    ['\x00\x9f\x13garbage\x01', /does not start with an MSH/],
    [`${SEGS[0]}\rPI|1`, /segment 2 has no valid segment id/],
    [`${SEGS[0]}\rPID^1^^X`, /segment 2 has no valid segment id/],
  ])('rejects malformed input %# with a named error', (raw, message) => {
    const err = (() => {
      try {
        parseMessage(raw);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(Hl7Error);
    expect((err as Error).message).toMatch(message);
  });
});

describe('escape sequences', () => {
  const d = DEFAULT_DELIMITERS;
  it.each([
    ['a\\F\\b', 'a|b'],
    ['a\\S\\b', 'a^b'],
    ['a\\T\\b', 'a&b'],
    ['a\\R\\b', 'a~b'],
    ['a\\E\\b', 'a\\b'],
    ['line1\\.br\\line2', 'line1\nline2'],
    ['\\H\\bold\\N\\', 'bold'],
    ['\\X48656C6C6F\\', 'Hello'],
    ['\\XC3A9\\', 'é'],
    ['\\.in+4\\indented', 'indented'],
    ['\\Zlocal\\', '\\Zlocal\\'],
    ['unterminated \\F', 'unterminated \\F'],
  ])('unescapes %s', (raw, want) => expect(unescapeText(raw, d)).toBe(want));

  it('decodes escapes after splitting, so an escaped delimiter never splits a field', () => {
    const m = parseMessage('MSH|^~\\&|A|B|C|D|20260101||ADT^A08|1|P|2.5\rPID|1||X1||O\\S\\BRIEN\\T\\CO^ANN');
    expect(m.get('PID-5.1')).toBe('O^BRIEN&CO');
    expect(m.get('PID-5.2')).toBe('ANN');
  });

  it('round-trips text through escapeText and unescapeText', () => {
    const text = 'a|b^c&d~e\\f';
    expect(unescapeText(escapeText(text, d), d)).toBe(text);
  });
});

describe('dates', () => {
  it.each([
    ['1980', '1980'],
    ['198002', '1980-02'],
    ['19800229', '1980-02-29'],
    ['202601100830', '2026-01-10T08:30'],
    ['20260110083015.1234-0500', '2026-01-10T08:30:15.1234-05:00'],
    ['', undefined],
  ])('reads %s', (raw, iso) => expect(readDateTime(raw, { segment: 'PID', field: 7 })).toBe(iso));

  it('names the field of a malformed date', () => {
    expect(() => readDateTime('1980-02-29', { segment: 'PID', field: 7 })).toThrow(/PID-7: not a valid HL7 date/);
    expect(() => readDateTime('19801301', { segment: 'PID', field: 7 })).toThrow(Hl7Error);
  });
});

describe('parseBatch', () => {
  const m1 = msg('\r');
  const m2 = m1.replace('MSG0001', 'MSG0002');
  it('splits an FHS/BHS batch and reads the declared count', () => {
    const text = ['FHS|^~\\&|REG|HOSP', 'BHS|^~\\&|REG|HOSP', m1, m2, 'BTS|2', 'FTS|1'].join('\r');
    const b = parseBatch(text);
    expect(b.items.map((i) => i.ok && i.message.get('MSH-10'))).toEqual(['MSG0001', 'MSG0002']);
    expect(b.fileHeader?.name).toBe('FHS');
    expect(b.declaredCount).toBe(2);
    expect(b.fileTrailer?.fields[1]?.[0]?.[0]?.[0]).toBe('1');
  });

  it('splits plain concatenated messages with LF endings', () => {
    expect(parseBatch(`${m1}\n${m2}\n`.replace(/\r/g, '\n')).items).toHaveLength(2);
  });

  it('keeps a bad message as an error item and goes on with the rest', () => {
    const b = parseBatch([m1, 'MSH|', m2].join('\r'));
    expect(b.items.map((i) => i.ok)).toEqual([true, false, true]);
    const bad = b.items[1];
    expect(bad?.ok === false && bad.error.message).toMatch(/MSH-2/);
    expect(bad?.raw).toBe('MSH|');
  });
});
