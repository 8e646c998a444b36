import { describe, expect, it } from 'vitest';
import { febrlSet, measureQuality, splinkFake1000, syntheticSet } from './quality-sets.test-support.js';

/** F1 floor for FEBRL deduplication (measured 1.000; see README.md). */
const FEBRL_F1_FLOOR = 0.98;
/** Floor for the much sparser splink fake_1000 set (measured 0.971; see README.md). */
const SPLINK_F1_FLOOR = 0.95;
/**
 * Floor for the synthetic sets of the hard kind: nicknames, typos, shifted or missing dates, 1-21 records
 * per person, no SSN or address (measured 0.969 historical, 0.988 modern; see README.md).
 */
const SYNTHETIC_F1_FLOOR = 0.95;

describe('linkage quality', () => {
  it.each([1, 2, 3] as const)('deduplicates febrl dataset%i with F1 above the floor', (n) => {
    expect(measureQuality(febrlSet(n)).f1).toBeGreaterThan(FEBRL_F1_FLOOR);
  });

  it('deduplicates splink fake_1000 (names, dob, city, e-mail only) with F1 above the floor', () => {
    expect(measureQuality(splinkFake1000()).f1).toBeGreaterThan(SPLINK_F1_FLOOR);
  });

  it.each(['historical', 'modern'] as const)(
    'deduplicates synthetic %s people with many records each, nicknames, typos and shifted dates, with F1 above the floor',
    (kind) => {
      const q = measureQuality(syntheticSet(kind, 2000, kind === 'historical' ? 1 : 2));
      expect(q.f1).toBeGreaterThan(SYNTHETIC_F1_FLOOR);
      expect(q.precision).toBeGreaterThan(SYNTHETIC_F1_FLOOR);
    },
  );
});
