import { describe, expect, it } from 'vitest';
import {
  detectDocumentType,
  markSnippet,
  resolveMediaType,
  searchTerms,
  statusAfterVersion,
  statusChangeProblem,
} from './documents.rules.js';
import { hl7MessageText, renderCdaText } from './documents.content.js';

const enc = (s: string) => new TextEncoder().encode(s);

describe('documents rules', () => {
  it.each([
    [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0], 'image/png'],
    [[0xff, 0xd8, 0xff, 0xe0], 'image/jpeg'],
    [[0x49, 0x49, 0x2a, 0x00, 8], 'image/tiff'],
    [[0x4d, 0x4d, 0x00, 0x2a, 8], 'image/tiff'],
    [[...enc('%PDF-1.7\n')], 'application/pdf'],
    [[...enc('MSH|^~\\&|A|B\rEVN|T02')], 'x-application/hl7-v2+er7'],
    [[...enc('<?xml version="1.0"?><ClinicalDocument xmlns="urn:hl7-org:v3"/>')], 'application/xml'],
    [[...enc('Plain note\nline two')], 'text/plain'],
    [[...enc('<html></html>')], undefined],
    [[0, 1, 2, 3], undefined],
  ])('tells %j from its bytes as %s', (bytes, want) => {
    expect(detectDocumentType(new Uint8Array(bytes))).toBe(want);
  });

  it('resolves a declared type against the bytes, and refuses a mismatch', () => {
    expect(resolveMediaType(enc('x'), 'text/plain; charset=utf-8')).toBe('text/plain');
    expect(resolveMediaType(enc('x'), '')).toBe('text/plain');
    expect(() => resolveMediaType(enc('x'), 'image/png')).toThrow('content: the file is plain text, not a PNG image as declared');
    expect(() => resolveMediaType(enc('x'), 'application/zip')).toThrow('mediaType: application/zip is not a type the record accepts');
  });

  it('allows final from preliminary, entered in error from any live status, nothing after', () => {
    expect(statusChangeProblem('preliminary', 'final')).toBeUndefined();
    expect(statusChangeProblem('amended', 'entered_in_error')).toBeUndefined();
    expect(statusChangeProblem('final', 'final')).toBeDefined();
    expect(statusChangeProblem('entered_in_error', 'final')).toBeDefined();
    expect(statusChangeProblem('destroyed', 'entered_in_error')).toBeDefined();
    expect(statusAfterVersion('final', 'addendum')).toBe('amended');
    expect(statusAfterVersion('preliminary', 'revision')).toBe('preliminary');
  });

  it('takes search words as letter and digit runs, and escapes snippets around the marks', () => {
    expect(searchTerms('Pneumonia, "RLL" pneumonia; HbA1c 7.2%')).toEqual(['pneumonia', 'rll', 'hba1c', '7', '2']);
    expect(markSnippet('a <b> & \u0001hit\u0002 "q"')).toBe('a &lt;b&gt; &amp; <mark>hit</mark> &quot;q&quot;');
  });

  it('renders HL7 OBX text and C-CDA sections readably', () => {
    expect(hl7MessageText('MSH|^~\\&|A\rOBX|1|TX|||line one\\.br\\line two~second\\F\\rep||||||F\rOBX|2|NM|||5')).toBe(
      'line one\nline two\nsecond|rep',
    );
    const text = renderCdaText(
      '<ClinicalDocument xmlns="urn:hl7-org:v3"><title>CCD</title><component><structuredBody><component><section><title>Allergies</title><text><paragraph>Penicillin: hives</paragraph></text><entry><observation>coded</observation></entry></section></component></structuredBody></component></ClinicalDocument>',
    );
    expect(text).toBe('CCD\n\nAllergies\nPenicillin: hives');
    expect(() => renderCdaText('<ClinicalDocument>')).toThrow('not well-formed');
  });
});
