import { describe, expect, it } from 'vitest';
import { parseAcknowledgements, type ClaimAcknowledgement, type ImplementationAck, type InterchangeAck } from './parse-ack.js';

const ISA = 'ISA*00*          *00*          *ZZ*CLEARINGHOUSE  *ZZ*GENHOSP        *260104*1200*^*00501*000000201*0*P*:';

function wrap(functionalId: string, version: string, body: string[]): string {
  const tx = [`ST*${body[0] ?? ''}*0001*${version}`, ...body.slice(1)];
  tx.push(`SE*${tx.length + 1}*0001`);
  return [ISA, `GS*${functionalId}*CH*GENHOSP*20260104*1200*201*X*${version}`, ...tx, 'GE*1*201', 'IEA*1*000000201'].join('~\n') + '~\n';
}

describe('999 implementation acknowledgement', () => {
  const text = wrap('FA', '005010X231A1', [
    '999',
    'AK1*HC*17*005010X223A2',
    'AK2*837*0001*005010X223A2',
    'IK5*A',
    'AK2*837*0002*005010X223A2',
    'IK3*CLM*22*2300*8',
    'CTX*CLM01:PCN002',
    'IK4*5:2*1331*7*X',
    'IK5*R*5',
    'AK9*P*2*2*1',
  ]);

  it('reads accepted and rejected transaction sets and the group status', () => {
    const { acknowledgements, errors } = parseAcknowledgements(text);
    expect(errors).toEqual([]);
    const ack = acknowledgements[0] as ImplementationAck;
    expect(ack).toMatchObject({
      kind: '999',
      functionalId: 'HC',
      groupControlNumber: '17',
      groupStatus: 'P',
      groupAccepted: false,
      included: 2,
      received: 2,
      acceptedCount: 1,
    });
    expect(ack.transactions.map((t) => [t.controlNumber, t.status, t.accepted, t.errorCodes])).toEqual([
      ['0001', 'A', true, []],
      ['0002', 'R', false, ['5']],
    ]);
  });

  it('reads segment errors (IK3) with their position and loop, and element errors (IK4) with position and component', () => {
    const ack = parseAcknowledgements(text).acknowledgements[0] as ImplementationAck;
    expect(ack.transactions[1]?.segmentErrors).toEqual([
      {
        segmentId: 'CLM',
        position: 22,
        loop: '2300',
        code: '8',
        context: ['CLM01:PCN002'],
        patientControlNumber: 'PCN002',
        elements: [{ position: 5, component: 2, repetition: undefined, reference: '1331', code: '7', value: 'X', segment: 10 }],
        segment: 8,
      },
    ]);
  });

  it('reports a 999 without AK9 and an AK2 without IK5, naming the segments', () => {
    const { errors } = parseAcknowledgements(wrap('FA', '005010X231A1', ['999', 'AK1*HC*17*005010X223A2', 'AK2*837*0001']));
    expect(errors.map((e) => e.message)).toEqual([
      'segment 3 (ST): the 999 has no AK9 (functional group response trailer)',
      'segment 5 (AK2): transaction set response has no IK5',
    ]);
  });
});

describe('TA1 interchange acknowledgement', () => {
  it('reads the acknowledged interchange, the code and the note', () => {
    const text = [ISA, 'TA1*000000905*260104*1200*R*006', 'IEA*0*000000201'].join('~') + '~';
    const { acknowledgements, errors } = parseAcknowledgements(text);
    expect(errors).toEqual([]);
    expect(acknowledgements[0] as InterchangeAck).toMatchObject({
      kind: 'TA1',
      controlNumber: '000000905',
      code: 'R',
      accepted: false,
      note: '006',
      noteText: 'Invalid Interchange Sender ID',
    });
  });
});

describe('277CA claim acknowledgement', () => {
  const text = wrap('HN', '005010X214', [
    '277',
    'BHT*0085*08*1*20260104*1200*TH',
    'HL*1**20*1',
    'NM1*PR*2*ACME*****PI*ACME01',
    'TRN*1*1',
    'HL*2*1*21*1',
    'NM1*41*2*GENERAL HOSPITAL*****46*GENHOSP',
    'TRN*2*BATCH1',
    'STC*A1:19*20260104*WQ*300',
    'HL*3*2*19*1',
    'NM1*85*2*GENERAL HOSPITAL*****XX*1234567893',
    'HL*4*3*PT',
    'NM1*QC*1*DOE*JANE',
    'TRN*2*PCN001',
    'STC*A2:20*20260104*WQ*200',
    'REF*1K*ICN001',
    'HL*5*3*PT',
    'NM1*QC*1*ROE*RICHARD',
    'TRN*2*PCN002',
    'STC*A7:562:85*20260104*U*100',
    'REF*D9*CH000002',
  ]);

  it('reads each claim with its identifiers and outcome, and the statuses above the claims apart', () => {
    const { acknowledgements, errors } = parseAcknowledgements(text);
    expect(errors).toEqual([]);
    const ack = acknowledgements[0] as ClaimAcknowledgement;
    expect(ack.kind).toBe('277CA');
    expect(ack.claims.map((c) => [c.patientControlNumber, c.payerClaimControlNumber, c.clearinghouseTrace, c.outcome])).toEqual([
      ['PCN001', 'ICN001', '', 'accepted'],
      ['PCN002', '', 'CH000002', 'rejected'],
    ]);
    expect(ack.claims[1]?.statuses[0]).toMatchObject({ category: 'A7', code: '562', entity: '85', action: 'U', amount: 100 });
    expect(ack.levelStatuses.map((s) => [s.level, s.category])).toEqual([['21', 'A1']]);
  });

  it('never reads patient names', () => {
    expect(JSON.stringify(parseAcknowledgements(text))).not.toMatch(/DOE|ROE/);
  });
});

it('says a transaction set that is not an acknowledgement is not one, naming its ST', () => {
  const { errors } = parseAcknowledgements(wrap('HP', '005010X221A1', ['835', 'BPR*H*0*C*NON']));
  expect(errors.map((e) => e.message)).toEqual(['segment 3 (ST): transaction set 835 is not an acknowledgement (TA1, 999, 997, 277CA)']);
});
