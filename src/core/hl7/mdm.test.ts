import { describe, expect, it } from 'vitest';
import { edMediaType, Hl7Error, parseMdm, parseMessage, readDocumentContent } from './index.js';

const msg = (obx: string[], txa = 'TXA|1|HP|TX|20260302081500||||||||DOC-1|||||AU|||||1^Okafor^Ngozi^^^^^^^^^^^^20260302100000') =>
  parseMessage(['MSH|^~\\&|T|MAIN|C|F|20260302090000||MDM^T02^MDM_T02|C1|P|2.5.1', 'PID|1||E1^^^REG^MR||Doe^Jane', txa, ...obx].join('\r'));

const fails = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e instanceof Hl7Error ? [e.hl7Code, `${e.location.segment}-${e.location.field}`] : e;
  }
  return null;
};

describe('MDM content (OBX-5)', () => {
  it('joins TX and FT lines in OBX order, repetitions as lines, a component separator kept as text', () => {
    const c = readDocumentContent(msg(['OBX|1|TX|X||Line one~Line two', 'OBX|2|HD|Y||1.2.3', 'OBX|3|FT|X||A^B\\.br\\C']))!;
    expect(c.mediaType).toBe('text/plain');
    expect(new TextDecoder().decode(c.bytes)).toBe('Line one\nLine two\nA^B\nC');
  });

  it.each([
    ['application', 'pdf', 'application/pdf'],
    ['AP', 'PDF', 'application/pdf'],
    ['IM', 'JPEG', 'image/jpeg'],
    ['TEXT', 'RTF', 'application/rtf'],
    ['AP', 'octet-stream', 'application/octet-stream'],
    ['IM', 'x-custom', 'image/x-custom'],
    ['', 'weird type', undefined],
  ])('reads ED type %s subtype %s as %s', (type, sub, media) => {
    expect(edMediaType(type, sub)).toBe(media);
  });

  it('decodes one ED from Base64 or hex; refuses bad Base64, empty data, unknown encodings and two EDs, naming OBX-5', () => {
    const b64 = Buffer.from('%PDF-1.4 test').toString('base64');
    expect(Buffer.from(readDocumentContent(msg([`OBX|1|ED|X||^application^pdf^Base64^${b64}`]))!.bytes).toString()).toBe('%PDF-1.4 test');
    expect(Buffer.from(readDocumentContent(msg(['OBX|1|ED|X||^TEXT^plain^Hex^414243']))!.bytes).toString()).toBe('ABC');
    expect(fails(() => readDocumentContent(msg(['OBX|1|ED|X||^application^pdf^Base64^not*b64'])))).toEqual(['102', 'OBX-5']);
    expect(fails(() => readDocumentContent(msg(['OBX|1|ED|X||^application^pdf^Base64^'])))).toEqual(['101', 'OBX-5']);
    expect(fails(() => readDocumentContent(msg(['OBX|1|ED|X||^application^pdf^UU^abc'])))).toEqual(['103', 'OBX-5']);
    expect(fails(() => readDocumentContent(msg([`OBX|1|ED|X||^AP^pdf^Base64^${b64}`, `OBX|2|ED|X||^AP^pdf^Base64^${b64}`])))).toEqual([
      '102',
      'OBX-2',
    ]);
    expect(readDocumentContent(msg(['OBX|1|NM|X||5']))).toBeUndefined();
  });
});

describe('parseMdm', () => {
  it('reads TXA: type, numbers, statuses, author and the TXA-22 authentication with its time', () => {
    const m = parseMdm(msg(['OBX|1|TX|X||Text']));
    expect(m).toMatchObject({ trigger: 'T02', supported: true });
    expect(m.document).toMatchObject({
      type: { code: 'HP' },
      activityAt: '2026-03-02T08:15:00',
      uniqueNumber: 'DOC-1',
      completionStatus: 'AU',
      authentications: [{ person: { id: '1', family: 'Okafor' }, at: '2026-03-02T10:00:00' }],
    });
  });

  it('requires PID, TXA and TXA-2; a bad date names its field', () => {
    expect(fails(() => parseMdm(msg([], 'TXA|1||TX')))).toEqual(['101', 'TXA-2']);
    expect(fails(() => parseMdm(msg([], 'TXA|1|HP|TX|2026-03-02')))).toEqual(['102', 'TXA-4']);
    expect(fails(() => parseMdm(parseMessage('MSH|^~\\&|T|MAIN|C|F|20260302090000||MDM^T02|C1|P|2.5.1\rPID|1||E1')))).toEqual([
      '100',
      'TXA-undefined',
    ]);
  });
});
