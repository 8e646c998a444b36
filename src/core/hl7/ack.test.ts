import { describe, expect, it } from 'vitest';
import { AckCode, Hl7ErrorCode, buildAck, buildAckForRaw, buildBatchAck, isBatch, parseBatch, parseMessage } from './index.js';

const incoming = (version = '2.5.1', delims = '|^~\\&') => {
  const [f, c, r, e, s] = delims;
  return [
    `MSH${f}${c}${r}${e}${s}${f}REG${c}1.2.3${c}ISO${f}HOSP${f}CUSTODIAN${f}HIM${f}20260110083000${f}${f}ADT${c}A01${c}ADT_A01${f}MSG-77${f}P${f}${version}`,
    `PID${f}1${f}${f}MRN1`,
  ].join('\r');
};
const opts = { controlId: 'ACK-1', dateTime: '20260110083001+0000' };
const segs = (ack: string) => ack.split('\r').filter((s) => s !== '');

describe('buildAck', () => {
  it('accepts with AA, swapping sender and receiver and echoing the control id, version and processing id', () => {
    const ack = segs(buildAck(parseMessage(incoming()), { ...opts, code: AckCode.accept }));
    expect(ack).toEqual(['MSH|^~\\&|CUSTODIAN|HIM|REG^1.2.3^ISO|HOSP|20260110083001+0000||ACK^A01^ACK|ACK-1|P|2.5.1', 'MSA|AA|MSG-77']);
  });

  it('reports an application error with AE and a v2.5 ERR segment (location, HL7 table 0357 code, text)', () => {
    const ack = segs(
      buildAck(parseMessage(incoming()), {
        ...opts,
        code: AckCode.error,
        errors: [{ code: Hl7ErrorCode.requiredFieldMissing, location: { segment: 'PID', field: 3 }, message: 'PID-3 is required | x' }],
      }),
    );
    expect(ack[1]).toBe('MSA|AE|MSG-77');
    expect(ack[2]).toBe('ERR||PID^1^3^1|101^Required field missing^HL70357|E||||PID-3 is required \\F\\ x');
  });

  it('uses the v2.3 ERR-1 layout and MSA-3 text for v2.3 senders', () => {
    const ack = segs(
      buildAck(parseMessage(incoming('2.3')), {
        ...opts,
        code: AckCode.reject,
        errors: [{ code: Hl7ErrorCode.unsupportedEventCode, location: { segment: 'MSH', field: 9 }, message: 'event not supported' }],
      }),
    );
    expect(ack[0]).toContain('|ACK^A01|ACK-1|P|2.3');
    expect(ack[1]).toBe('MSA|AR|MSG-77|event not supported');
    expect(ack[2]).toBe('ERR|MSH^1^9^201&Unsupported event code&HL70357');
  });

  it('mirrors custom delimiters of the incoming message', () => {
    const ack = segs(buildAck(parseMessage(incoming('2.4', '#$*\\%')), { ...opts, code: AckCode.accept }));
    expect(ack[0]).toBe('MSH#$*\\%#CUSTODIAN#HIM#REG$1.2.3$ISO#HOSP#20260110083001+0000##ACK$A01$ACK#ACK-1#P#2.4');
    expect(ack[1]).toBe('MSA#AA#MSG-77');
  });
});

describe('buildAckForRaw', () => {
  it('rejects binary garbage with AR and default delimiters', () => {
    const ack = segs(
      buildAckForRaw('\x00\x01garbage', {
        ...opts,
        code: AckCode.reject,
        errors: [{ code: Hl7ErrorCode.segmentSequence, message: 'not HL7' }],
      }),
    );
    expect(ack[0]).toMatch(/^MSH\|\^~\\&\|/);
    expect(ack[1]).toBe('MSA|AR');
    expect(ack[2]).toBe('ERR|||100^Segment sequence error^HL70357|E||||not HL7');
  });

  it('recovers the control id from an MSH line of a message that does not parse', () => {
    const raw = `${incoming()}\rPI|broken`;
    const ack = segs(buildAckForRaw(raw, { ...opts, code: AckCode.reject }));
    expect(ack[1]).toBe('MSA|AR|MSG-77');
  });
});

describe('buildBatchAck', () => {
  const accept = (m: string) => buildAck(parseMessage(m), { ...opts, code: AckCode.accept });
  const second = incoming().replace('MSG-77', 'MSG-78');

  it('wraps the ACKs in FHS/BHS ... BTS/FTS, swapping sender and receiver and returning the batch control ids', () => {
    const text = [
      'FHS|^~\\&|REG|HOSP|CUSTODIAN|HIM|20260110083000||||F-9',
      'BHS|^~\\&|REG|HOSP|CUSTODIAN|HIM|20260110083000||||B-7',
      incoming(),
      second,
      'BTS|2',
      'FTS|1',
    ].join('\r');
    const batch = parseBatch(text);
    const ack = segs(
      buildBatchAck(
        batch,
        batch.items.map((i) => accept(i.raw)),
        { controlId: 'BACK-1', dateTime: '20260110083002+0000' },
      ),
    );
    expect(ack[0]).toBe('FHS|^~\\&|CUSTODIAN|HIM|REG|HOSP|20260110083002+0000||||BACK-1|F-9');
    expect(ack[1]).toBe('BHS|^~\\&|CUSTODIAN|HIM|REG|HOSP|20260110083002+0000||||BACK-1|B-7');
    expect(ack.filter((l) => l.startsWith('MSA'))).toEqual(['MSA|AA|MSG-77', 'MSA|AA|MSG-78']);
    expect(ack.slice(-2)).toEqual(['BTS|2', 'FTS|1']);
  });

  it("answers a batch without a file envelope with BHS/BTS only, in the envelope's delimiters", () => {
    const text = ['BHS#^~\\&#REG#HOSP', incoming('2.5.1', '#^~\\&'), 'BTS#1'].join('\n');
    const batch = parseBatch(text);
    const ack = segs(
      buildBatchAck(
        batch,
        batch.items.map((i) => accept(i.raw)),
        { controlId: 'BACK-2', dateTime: '20260110083002+0000' },
      ),
    );
    expect(ack[0]).toBe('BHS#^~\\&###REG#HOSP#20260110083002+0000####BACK-2');
    expect(ack.at(-1)).toBe('BTS#1');
    expect(ack.some((l) => l.startsWith('FHS') || l.startsWith('FTS'))).toBe(false);
  });

  it('tells a batch from a single message', () => {
    expect(isBatch('\uFEFFFHS|^~\\&|REG')).toBe(true);
    expect(isBatch('BHS|^~\\&|REG')).toBe(true);
    expect(isBatch(incoming())).toBe(false);
    expect(isBatch('')).toBe(false);
  });
});
