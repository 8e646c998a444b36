import { describe, expect, it } from 'vitest';
import { AckCode, Hl7ErrorCode, buildAck, buildAckForRaw, parseMessage } from './index.js';

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
    expect(ack).toEqual([
      'MSH|^~\\&|CUSTODIAN|HIM|REG^1.2.3^ISO|HOSP|20260110083001+0000||ACK^A01^ACK|ACK-1|P|2.5.1',
      'MSA|AA|MSG-77',
    ]);
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
    const ack = segs(buildAckForRaw('\x00\x01garbage', { ...opts, code: AckCode.reject, errors: [{ code: Hl7ErrorCode.segmentSequence, message: 'not HL7' }] }));
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
