import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCodesService } from './codes.service.js';

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
});
