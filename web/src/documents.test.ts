import { describe, expect, it } from 'vitest';
import { groupChart, hitBoxes, markParts, percentOf, scaleBox, snippetParts, turn, viewKindOf, wordMatches } from './documents.js';
import { uploadAnswerOf } from './documents-api.js';

const doc = (id: string, encounterId: string | null, typeCode: string, serviceAt: string, title = id) => ({
  id,
  encounterId,
  typeCode,
  title,
  serviceAt,
  status: 'final',
});
const encounters = [
  { id: 'e-old', accountNumber: 'A1', type: 'inpatient', admitAt: '2026-01-02T10:00:00.000Z' },
  { id: 'e-new', accountNumber: 'A2', type: 'emergency', admitAt: '2026-06-01T10:00:00.000Z' },
  { id: 'e-empty', accountNumber: 'A3', type: 'outpatient', admitAt: '2026-07-01T10:00:00.000Z' },
];
const typeNames = { DS: 'Discharge summary', PN: 'Progress note', CONSENT: 'Consent' };

describe('groupChart (the chart tabs: encounter -> type -> documents)', () => {
  const tree = groupChart(
    [
      doc('d1', 'e-old', 'PN', '2026-01-03T00:00:00.000Z'),
      doc('d2', 'e-old', 'DS', '2026-01-05T00:00:00.000Z'),
      doc('d3', 'e-old', 'PN', '2026-01-04T00:00:00.000Z'),
      doc('d4', null, 'CONSENT', '2026-02-01T00:00:00.000Z'),
      doc('d5', 'e-new', 'DS', '2026-06-03T00:00:00.000Z'),
      doc('d6', 'e-gone', 'PN', '2026-03-01T00:00:00.000Z'),
    ],
    encounters,
    typeNames,
  );

  it('lists encounters newest admission first, then encounters not listed, then documents without an encounter', () => {
    expect(tree.map((n) => n.encounterId)).toEqual(['e-new', 'e-old', 'e-gone', null]);
    expect(tree.map((n) => n.count)).toEqual([1, 3, 1, 1]);
    expect(tree[2]!.encounter).toBeNull();
  });

  it('leaves out encounters without documents', () => {
    expect(tree.some((n) => n.encounterId === 'e-empty')).toBe(false);
  });

  it('groups by type name and puts the newest service date first', () => {
    const old = tree[1]!;
    expect(old.types.map((t) => t.typeName)).toEqual(['Discharge summary', 'Progress note']);
    expect(old.types[1]!.documents.map((d) => d.id)).toEqual(['d3', 'd1']);
  });

  it('names an unknown type by its code', () => {
    expect(groupChart([doc('x', null, 'ZZ', '2026-01-01T00:00:00.000Z')], [], {})[0]!.types[0]!.typeName).toBe('ZZ');
  });

  it('answers no tabs for no documents', () => {
    expect(groupChart([], encounters, typeNames)).toEqual([]);
  });
});

describe('wordMatches (which OCR words a search hit)', () => {
  it.each([
    ['Consent', ['consent'], true],
    ['consents,', ['consent'], true],
    ['(PNEUMONIA).', ['pneumonia'], true],
    ['non-consent', ['consent'], true],
    ['consensus', ['consent'], false],
    ['at', ['a'], false],
    ['a', ['a'], true],
    ['treatment', [], false],
  ] as const)('%s for %j is %s', (word, terms, expected) => {
    expect(wordMatches(word, terms)).toBe(expected);
  });
});

describe('scaleBox (a relative word box on the page as shown)', () => {
  const box = { x: 0.1, y: 0.2, w: 0.3, h: 0.05 };
  it.each([
    [0, { left: 100, top: 400, width: 300, height: 100 }],
    [90, { left: 1500, top: 100, width: 100, height: 300 }],
    [180, { left: 600, top: 1500, width: 300, height: 100 }],
    [270, { left: 400, top: 600, width: 100, height: 300 }],
  ] as const)('turned %i degrees', (rotation, expected) => {
    const r = scaleBox(box, 1000, 2000, rotation);
    expect({ left: Math.round(r.left), top: Math.round(r.top), width: Math.round(r.width), height: Math.round(r.height) }).toEqual(
      expected,
    );
  });

  it('clamps a box running off the page', () => {
    expect(scaleBox({ x: 0.9, y: -0.1, w: 0.3, h: 0.2 }, 100, 100)).toEqual({ left: 90, top: 0, width: 10, height: 10 });
  });
});

describe('hitBoxes', () => {
  it('answers the boxes of the matching words only, in pixels', () => {
    const words = [
      { text: 'Consent', x: 0.1, y: 0.1, w: 0.2, h: 0.02 },
      { text: 'for', x: 0.32, y: 0.1, w: 0.05, h: 0.02 },
      { text: 'treatment', x: 0.4, y: 0.1, w: 0.2, h: 0.02 },
    ];
    expect(hitBoxes(words, ['treatment'], 500, 1000)).toEqual([{ left: 200, top: 100, width: 100, height: 20 }]);
    expect(hitBoxes(words, ['nothing'], 500, 1000)).toEqual([]);
  });
});

describe('turn', () => {
  it('turns a quarter clockwise and back, wrapping', () => {
    expect(turn(0)).toBe(90);
    expect(turn(270)).toBe(0);
    expect(turn(0, -1)).toBe(270);
    expect(turn(90, -1)).toBe(0);
  });
});

describe('markParts (terms marked in text)', () => {
  it('marks each matching word and keeps the rest', () => {
    expect(markParts('Pneumonia, right lower lobe pneumonia.', ['pneumonia'])).toEqual([
      { text: 'Pneumonia', hit: true },
      { text: ', right lower lobe ', hit: false },
      { text: 'pneumonia', hit: true },
      { text: '.', hit: false },
    ]);
  });
  it('answers the text whole without terms', () => {
    expect(markParts('abc', [])).toEqual([{ text: 'abc', hit: false }]);
    expect(markParts('', ['x'])).toEqual([{ text: '', hit: false }]);
  });
});

describe('snippetParts (a server snippet, never parsed as HTML)', () => {
  it('turns <mark> into hit parts and unescapes the entities', () => {
    expect(snippetParts('a &lt;b&gt; <mark>consent</mark> &amp; <mark>form</mark>&#39;s')).toEqual([
      { text: 'a <b> ', hit: false },
      { text: 'consent', hit: true },
      { text: ' & ', hit: false },
      { text: 'form', hit: true },
      { text: "'s", hit: false },
    ]);
  });
  it('keeps escaped markup as text', () => {
    expect(snippetParts('&lt;script&gt;x&lt;/script&gt;')).toEqual([{ text: '<script>x</script>', hit: false }]);
  });
});

describe('viewKindOf', () => {
  it.each([
    ['application/pdf', 'pdf'],
    ['image/png', 'image'],
    ['image/jpeg', 'image'],
    ['image/tiff', 'tiff'],
    ['text/plain', 'text'],
    ['application/xml', 'text'],
    ['x-application/hl7-v2+er7', 'text'],
  ])('%s is shown as %s', (mediaType, kind) => {
    expect(viewKindOf(mediaType)).toBe(kind);
  });
});

describe('upload answers', () => {
  it('reads the per-file results and refuses a problem body', () => {
    const body = {
      filed: 1,
      failed: 1,
      results: [
        { ok: true, fileName: 'a.pdf', document: {} },
        { ok: false, fileName: 'b.exe', error: 'x', code: 'invalid' },
      ],
    };
    expect(uploadAnswerOf(body)?.results).toHaveLength(2);
    expect(uploadAnswerOf({ status: 403, detail: 'no' })).toBeNull();
    expect(uploadAnswerOf(null)).toBeNull();
  });
  it('computes the percent sent', () => {
    expect(percentOf(0, 0)).toBe(0);
    expect(percentOf(50, 200)).toBe(25);
    expect(percentOf(300, 200)).toBe(100);
  });
});
