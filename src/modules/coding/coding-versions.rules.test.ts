import { describe, expect, it } from 'vitest';
import { diffAbstracts } from './coding-versions.rules.js';
import { emptyAbstract, type AbstractData } from './coding.rules.js';

const abstract = (over: Partial<AbstractData>): AbstractData => ({ ...emptyAbstract('01'), ...over });

describe('diffAbstracts', () => {
  it('lists every code of the first version as added', () => {
    const d = diffAbstracts(null, abstract({ principalDx: { code: 'I5023', poa: 'Y' }, secondaryDx: [{ code: 'N179', poa: 'Y' }] }));
    expect(d).toEqual({ added: ['I5023', 'N179'], removed: [], principal: { before: null, after: 'I5023' }, poa: [], other: [] });
  });

  it('names codes added and removed, a new principal diagnosis and POA changes against the version before', () => {
    const before = abstract({
      principalDx: { code: 'I5023', poa: 'Y' },
      secondaryDx: [
        { code: 'N179', poa: '' },
        { code: 'E119', poa: 'Y' },
      ],
    });
    const after = abstract({
      principalDx: { code: 'A419', poa: 'Y' },
      secondaryDx: [
        { code: 'I5023', poa: 'Y' },
        { code: 'N179', poa: 'Y' },
      ],
      procedures: [{ code: '5A1955Z', date: '2026-03-02', operatingProviderId: null }],
    });
    expect(diffAbstracts(before, after)).toEqual({
      added: ['A419', '5A1955Z'],
      removed: ['E119'],
      principal: { before: 'I5023', after: 'A419' },
      poa: ['N179: blank -> Y'],
      other: [],
    });
  });

  it('reports the other UHDDS items that changed, and nothing when nothing did', () => {
    const a = abstract({ dischargeStatus: '01', admittingDx: 'R0602' });
    expect(diffAbstracts(a, { ...a, dischargeStatus: '03' }).other).toEqual(['discharge status: 01 -> 03']);
    expect(diffAbstracts(a, a)).toEqual({ added: [], removed: [], principal: null, poa: [], other: [] });
  });
});
