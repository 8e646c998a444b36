import { describe, expect, it } from 'vitest';
import { ageBucket, daysSince, denialGroups, payerBalance } from './claims-remit.rules.js';

describe('A/R ageing rules', () => {
  it.each([
    [0, '0-30'],
    [30, '0-30'],
    [31, '31-60'],
    [60, '31-60'],
    [61, '61-90'],
    [90, '61-90'],
    [91, '91-120'],
    [120, '91-120'],
    [121, '>120'],
  ])('puts a claim released %i days ago in %s', (days, bucket) => {
    expect(ageBucket(days)).toBe(bucket);
  });

  it('counts whole calendar days from the release date, across months and a leap day', () => {
    expect(daysSince('2028-02-28T23:59:00.000Z', '2028-03-01')).toBe(2);
    expect(daysSince('2026-01-31T00:00:00.000Z', '2026-03-02')).toBe(30);
  });

  it('takes payment, contractual, other and patient responsibility off the charge', () => {
    expect(
      payerBalance({
        chargeCents: 10_000,
        paidCents: 6_000,
        contractualCents: 2_000,
        patientResponsibilityCents: 1_500,
        otherAdjustmentCents: 500,
      }),
    ).toBe(0);
  });
});

describe('denials worklist rule', () => {
  it('lists a denial by its CAS groups other than PR, a zero payment too, and not a paid claim', () => {
    const adj = [
      { group: 'PR', reason: '1', amountCents: 100 },
      { group: 'OA', reason: '23', amountCents: 100 },
      { group: 'CO', reason: '50', amountCents: 900 },
    ];
    expect(denialGroups({ kind: 'denial', paidCents: 0, adjustments: adj })).toEqual(['CO', 'OA']);
    expect(denialGroups({ kind: 'payment', paidCents: 0, adjustments: [] })).toEqual(['none']);
    expect(denialGroups({ kind: 'payment', paidCents: 100, adjustments: adj })).toBeNull();
  });
});
