import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AckCode, Hl7Error, buildAck, isSupportedVersion, parseAdt, parseBatch } from './index.js';

// Real-world-shaped messages beside the project (../shared/corpora/hl7v2); see shared/corpora/README.md.
const ROOT = fileURLToPath(new URL('../../../../shared/corpora/hl7v2/', import.meta.url));
const listFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) =>
    statSync(join(dir, f)).isDirectory() ? listFiles(join(dir, f)) : f.endsWith('.hl7') ? [join(dir, f)] : [],
  );
const files = listFiles(ROOT);
const name = (f: string) => f.slice(ROOT.length);

describe('HL7 v2 corpus', () => {
  it('has the corpus beside the project', () => expect(files.length).toBeGreaterThan(200));

  it.each(files.map((f) => [name(f), f]))('%s parses, or fails with a named HL7 error', (_, file) => {
    const batch = parseBatch(readFileSync(file, 'utf8'));
    for (const item of batch.items) {
      if (item.ok) {
        expect(item.message.segments[0]?.name).toBe('MSH');
        continue;
      }
      expect(item.error).toBeInstanceOf(Hl7Error);
      // Names the segment and field (e.g. "MSH-2: ...") or the segment position.
      expect(item.error.message).toMatch(/^([A-Z][A-Z0-9]{2}(-\d+)?: |segment \d+ )/);
    }
  });

  const adtFiles = files.filter((f) => /\|ADT\^/.test(readFileSync(f, 'utf8')));
  it('finds the ADT messages', () => expect(adtFiles.length).toBeGreaterThan(40));

  it.each(adtFiles.map((f) => [name(f), f]))('%s yields a typed ADT event with patient identifiers', (_, file) => {
    const batch = parseBatch(readFileSync(file, 'utf8'));
    for (const item of batch.items) {
      if (!item.ok || item.message.get('MSH-9.1') !== 'ADT' || !isSupportedVersion(item.message.get('MSH-12'))) continue;
      const adt = parseAdt(item.message);
      expect(adt.trigger).toMatch(/^A\d{2}$/);
      expect(adt.patient.identifiers.length).toBeGreaterThan(0);
      expect(adt.patient.identifiers[0]?.id).not.toBe('');
      const ack = buildAck(item.message, { code: AckCode.accept, controlId: 'ACK1', dateTime: '20260101000000' });
      expect(ack).toContain(`\rMSA${item.message.delimiters.field}AA${item.message.delimiters.field}${adt.header.controlId}\r`);
    }
  });

  it('reads both merge groups of the A40 sample with two PID/MRG pairs', () => {
    const [item] = parseBatch(readFileSync(join(ROOT, 'microsoft-FHIR-Converter/ADT-A40-02.hl7'), 'utf8')).items;
    if (!item?.ok) throw new Error('ADT-A40-02 should parse');
    const adt = parseAdt(item.message);
    expect(adt.merges).toHaveLength(2);
    expect(adt.merges.every((g) => g.merge.priorIdentifiers.length > 0)).toBe(true);
  });
});
