import { describe, expect, it } from 'vitest';
import { makeTextPdf } from '../documents/documents-fixtures.test-support.js';
import {
  findIdentifierAreas,
  findIdentifiers,
  identifierAreasFromBbox,
  identifierAreasFromOcrWords,
  redactIdentifierText,
  type IdentifierKind,
} from './roi.identifiers.js';

const MRN = 'M0012345';

describe('identifiers found by rule in text', () => {
  const found: [IdentifierKind, string, string[]][] = [
    ['ssn', 'SSN 123-45-6789, on file', ['123-45-6789']],
    ['ssn', 'ssn:078-05-1120.', ['078-05-1120']],
    ['mrn', `MRN ${MRN} (chart)`, [MRN]],
    ['mrn', `mrn:${MRN}.`, [MRN]],
    ['phone', 'Call (555) 234-5678 or 555-234-5679', ['(555) 234-5678', '555-234-5679']],
    ['phone', 'cell 555.234.5678; +1 555-234-5678', ['555.234.5678', '+1 555-234-5678']],
    ['email', 'write to jane.doe+roi@example.org.', ['jane.doe+roi@example.org']],
    ['email', 'J_Doe@mail.example.co.uk', ['J_Doe@mail.example.co.uk']],
    ['mbi', 'MBI 1EG4TE5MK73 on the card', ['1EG4TE5MK73']],
    ['mbi', 'Medicare 1EG4-TE5-MK73.', ['1EG4-TE5-MK73']],
  ];
  it.each(found)('%s: finds each in %j', (kind, text, want) => {
    expect(findIdentifiers(text, { kinds: [kind], mrn: MRN })).toEqual(want);
  });

  const notFound: [IdentifierKind, string][] = [
    ['ssn', 'Admitted 2026-03-01, discharged 03/05/2026'],
    ['ssn', 'Claim 123-45-67890 and 0123-45-6789 and 12-345-6789'],
    ['ssn', 'Claim number 2026-12-0001234'],
    ['mrn', 'MRN M00123456 is another patient; XM0012345 too'],
    ['mrn', 'Account 10012345'],
    ['phone', 'Admitted 2026-03-01 at 10:30; claim 123-456-7890 (area code 1xx)'],
    ['phone', 'Claim 2026-555-2345-678 and ICD-10 S72.001A; SSN 555-23-4567'],
    ['phone', 'NPI 1234567890 and 555 234 5678 unpunctuated'],
    ['email', 'user@localhost and @handle and a@b'],
    ['mbi', 'Claim 1EG4TE5MK731 and 1SG4TE5MK73 (S not allowed) and 0EG4TE5MK73'],
    ['mbi', 'ICD-10 S72.001A, CPT 99213, NDC 0002-1433-80, date 2026-03-01'],
  ];
  it.each(notFound)('%s: finds nothing in %j', (kind, text) => {
    expect(findIdentifiers(text, { kinds: [kind], mrn: MRN })).toEqual([]);
  });

  it('finds only the ticked kinds; the MRN kind without the patient’s MRN finds nothing', () => {
    const text = `SSN 123-45-6789 phone 555-234-5678 MRN ${MRN}`;
    expect(findIdentifiers(text, { kinds: ['ssn'] })).toEqual(['123-45-6789']);
    expect(findIdentifiers(text, { kinds: ['mrn'] })).toEqual([]);
    expect(findIdentifiers(text, { kinds: [] })).toEqual([]);
    expect(findIdentifiers(text, { kinds: ['ssn', 'phone', 'mrn'], mrn: MRN })).toEqual(['123-45-6789', '555-234-5678', MRN]);
  });

  it('keeps the shape of what it replaces in text', () => {
    expect(redactIdentifierText('SSN 123-45-6789, mail a.b@example.org', { kinds: ['ssn', 'email'] })).toBe(
      'SSN XXX-XX-XXXX, mail X.X@XXXXXXX.XXX',
    );
  });
});

describe('identifiers in a PDF text layer as areas', () => {
  it('covers every word of a match that spans words of a line, and only them', () => {
    const html =
      '<page width="600.000000" height="800.000000"><flow><block><line>' +
      '<word xMin="100.000000" yMin="80.000000" xMax="140.000000" yMax="90.000000">phone</word>' +
      '<word xMin="150.000000" yMin="80.000000" xMax="180.000000" yMax="90.000000">(555)</word>' +
      '<word xMin="185.000000" yMin="81.000000" xMax="230.000000" yMax="91.000000">234-5678</word>' +
      '</line><line><word xMin="100.000000" yMin="100.000000" xMax="140.000000" yMax="110.000000">555</word></line></block></flow></page>';
    const [a, ...rest] = identifierAreasFromBbox(html, { kinds: ['phone'] });
    expect(rest).toEqual([]);
    expect(a!.page).toBe(1);
    expect(a!.x).toBeCloseTo(148.5 / 600, 6);
    expect(a!.y).toBeCloseTo(78.5 / 800, 6);
    expect(a!.width).toBeCloseTo((231.5 - 148.5) / 600, 6);
    expect(a!.height).toBeCloseTo((92.5 - 78.5) / 800, 6);
  });

  it('finds the ticked identifiers on their pages of a real PDF, the patient’s MRN among them', async () => {
    const pdf = await makeTextPdf([
      'Dates 2026-03-01 and claim 2026-12-0001234 only',
      `MRN ${MRN} phone (555) 234-5678`,
      'mail jane@example.org, MBI 1EG4-TE5-MK73',
    ]);
    const pages = async (kinds: IdentifierKind[]) =>
      (await findIdentifierAreas('/usr/bin/pdftotext', pdf, { kinds, mrn: MRN })).map((a) => a.page);
    expect(await pages(['ssn'])).toEqual([]);
    expect(await pages(['mrn', 'phone'])).toEqual([2, 2]);
    expect(await pages(['email', 'mbi'])).toEqual([3, 3]);
  });
});

describe('identifiers on a scanned page read by OCR, as areas', () => {
  // Boxes in fractions of the page, as the documents module keeps Tesseract's words. Line 1 at y 0.10, line 2 at
  // y 0.20 with its words a little uneven (a skewed scan), the phone number split over two words.
  const words = [
    { text: 'SSN', x: 0.1, y: 0.1, w: 0.05, h: 0.02 },
    { text: '123-45-6789', x: 0.16, y: 0.101, w: 0.15, h: 0.02 },
    { text: 'Phone', x: 0.1, y: 0.2, w: 0.07, h: 0.02 },
    { text: '234-5678', x: 0.28, y: 0.204, w: 0.1, h: 0.02 },
    { text: '(555)', x: 0.18, y: 0.202, w: 0.07, h: 0.02 },
    { text: 'Seen 2026-03-04', x: 0.1, y: 0.3, w: 0.2, h: 0.02 },
  ];

  it('covers the words of each match, joining a line’s words left to right, on the page named', () => {
    const areas = identifierAreasFromOcrWords(2, words, { kinds: ['ssn', 'phone'] });
    expect(areas).toHaveLength(2);
    const [ssn, phone] = areas as [NonNullable<(typeof areas)[0]>, NonNullable<(typeof areas)[0]>];
    expect(ssn.page).toBe(2);
    expect(ssn.x).toBeCloseTo(0.157, 3);
    expect(ssn.x + ssn.width).toBeCloseTo(0.313, 3);
    expect(ssn.y).toBeCloseTo(0.098, 3);
    // "(555) 234-5678" spans both words: from the left of "(555)" to the right of "234-5678".
    expect(phone.x).toBeCloseTo(0.177, 3);
    expect(phone.x + phone.width).toBeCloseTo(0.383, 3);
    expect(phone.y + phone.height).toBeCloseTo(0.227, 3);
  });

  it('finds nothing that is not ticked, and no date taken for an identifier', () => {
    expect(identifierAreasFromOcrWords(1, words, { kinds: ['phone'] })).toHaveLength(1);
    expect(identifierAreasFromOcrWords(1, words, { kinds: [] })).toEqual([]);
    expect(identifierAreasFromOcrWords(1, words.slice(5), { kinds: ['ssn', 'phone', 'mbi'] })).toEqual([]);
  });
});
