import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCodesService, defaultDateNotice, defaultEncoderDate, type CodesService } from './codes.service.js';

describe('codes service', () => {
  it('answers precondition_failed naming the reason when the code sets cannot be loaded, from the first request on', () => {
    const missing = path.join(os.tmpdir(), `custodian-no-code-sets-${process.pid}`);
    const errors: unknown[] = [];
    const svc = createCodesService({ dataDir: missing, codesetsDir: missing, onError: (e) => errors.push(e) });
    for (let i = 0; i < 2; i++) {
      expect(() => svc.sets()).toThrow(
        expect.objectContaining({
          code: 'precondition_failed',
          message: expect.stringMatching(/^the code sets could not be loaded: /) as unknown,
        }),
      );
    }
    expect(svc.ready()).toBe(false);
    expect(errors).toHaveLength(1);
  });

  it('uses the newest release with a banner when today is past it, never for a date it does not cover', () => {
    const fy = (y: number) => ({ label: `ICD-10-CM FY${y}`, effectiveFrom: `${y - 1}-10-01`, effectiveTo: `${y}-09-30` });
    const svc = { sets: () => ({ cm: [fy(2025), fy(2026)], pcs: [fy(2026)] }) } as unknown as CodesService;
    // Today covered: no banner, today is the date.
    expect(defaultDateNotice(svc, '2026-03-01')).toBeUndefined();
    expect(defaultEncoderDate(svc, 'cm', '2026-03-01')).toBe('2026-03-01');
    // Today past FY2026: the last day of FY2026, and a banner naming the release and the dates it does not cover.
    expect(defaultEncoderDate(svc, 'cm', '2026-12-07')).toBe('2026-09-30');
    expect(defaultDateNotice(svc, '2026-12-07')).toMatch(
      /^Today \(2026-12-07\) is past the newest loaded code set, ICD-10-CM FY2026, which ends 2026-09-30.*discharge date after 2026-09-30 is not covered/,
    );
  });
});
