/**
 * Display logic of the legal health record screens, pure (no DOM, no fetch): the chart's tree (encounter -> document
 * type -> documents), which OCR words a search hit, where their boxes fall on a page image shown at a given size and
 * turn, the ranges of a text to mark, and a server snippet (HTML-escaped with <mark>) as plain parts for React.
 */

/** The fields of a document summary the tree needs. */
export interface TreeDocument {
  id: string;
  encounterId: string | null;
  typeCode: string;
  title: string;
  serviceAt: string;
  status: string;
}

export interface TreeEncounter {
  id: string;
  accountNumber: string;
  type: string;
  admitAt: string;
  dischargeAt?: string | null;
}

export interface ChartTypeNode<D> {
  typeCode: string;
  typeName: string;
  documents: D[];
}

export interface ChartEncounterNode<D> {
  /** The encounter's id, or null for the documents filed on the patient without one. */
  encounterId: string | null;
  encounter: TreeEncounter | null;
  types: ChartTypeNode<D>[];
  count: number;
}

const byServiceDesc = (a: TreeDocument, b: TreeDocument) =>
  b.serviceAt.localeCompare(a.serviceAt) || a.title.localeCompare(b.title) || a.id.localeCompare(b.id);

/**
 * Groups a patient's documents as the chart's tabs: one node per encounter (newest admission first, encounters
 * without documents left out), then the documents filed without an encounter; in each, one node per document type
 * (by the type's name), documents newest service date first. A document of an encounter not in `encounters` (not
 * listed for this user, or moved) gets its own node with `encounter: null` so it is never hidden.
 */
export function groupChart<D extends TreeDocument>(
  documents: readonly D[],
  encounters: readonly TreeEncounter[],
  typeNames: Readonly<Record<string, string>>,
): ChartEncounterNode<D>[] {
  const byEncounter = new Map<string | null, D[]>();
  for (const d of documents) {
    const key = d.encounterId ?? null;
    const list = byEncounter.get(key);
    if (list) list.push(d);
    else byEncounter.set(key, [d]);
  }
  const known = new Map(encounters.map((e) => [e.id, e]));
  const keys = [...byEncounter.keys()].sort((a, b) => {
    if (a === b) return 0;
    if (a === null) return 1;
    if (b === null) return -1;
    const ea = known.get(a);
    const eb = known.get(b);
    if (ea && eb) return eb.admitAt.localeCompare(ea.admitAt) || a.localeCompare(b);
    return ea ? -1 : eb ? 1 : a.localeCompare(b);
  });
  return keys.map((key) => {
    const docs = byEncounter.get(key)!;
    const byType = new Map<string, D[]>();
    for (const d of docs) {
      const list = byType.get(d.typeCode);
      if (list) list.push(d);
      else byType.set(d.typeCode, [d]);
    }
    const types = [...byType.entries()]
      .map(([typeCode, list]) => ({ typeCode, typeName: typeNames[typeCode] ?? typeCode, documents: [...list].sort(byServiceDesc) }))
      .sort((a, b) => a.typeName.localeCompare(b.typeName) || a.typeCode.localeCompare(b.typeCode));
    return { encounterId: key, encounter: key ? (known.get(key) ?? null) : null, types, count: docs.length };
  });
}

/** Letters-and-digits runs of a text, lower-cased, as the server's search splits words. */
export function tokens(text: string): string[] {
  return (
    text
      .normalize('NFKC')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}

/**
 * True when a word of the page matches a search term: one of its tokens is the term, or begins with it (the
 * PostgreSQL search stems: "consents" is found by "consent").
 */
export function wordMatches(word: string, terms: readonly string[]): boolean {
  if (terms.length === 0) return false;
  return tokens(word).some((t) => terms.some((term) => t === term || (term.length >= 3 && t.startsWith(term))));
}

export interface WordBox {
  text: string;
  /** Relative to the page, 0..1 from the top left. */
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface PixelBox {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Rotation of the page as shown, clockwise in degrees. */
export type Rotation = 0 | 90 | 180 | 270;

/**
 * Where a relative word box (0..1 of the unturned page) falls on the page as shown: the page image `width` x
 * `height` pixels before turning, turned clockwise by `rotation` about its centre (the shown box is then `height`
 * wide for 90 and 270). Boxes are clamped to the page.
 */
export function scaleBox(box: Pick<WordBox, 'x' | 'y' | 'w' | 'h'>, width: number, height: number, rotation: Rotation = 0): PixelBox {
  const r = turnedBox(box, width, height, rotation);
  // Hundredths of a pixel: enough for the screen, and free of floating-point noise.
  const px = (v: number) => Math.round(v * 100) / 100;
  return { left: px(r.left), top: px(r.top), width: px(r.width), height: px(r.height) };
}

function turnedBox(box: Pick<WordBox, 'x' | 'y' | 'w' | 'h'>, width: number, height: number, rotation: Rotation): PixelBox {
  const clamp = (v: number) => Math.min(1, Math.max(0, v));
  const x0 = clamp(box.x);
  const y0 = clamp(box.y);
  const x1 = clamp(box.x + box.w);
  const y1 = clamp(box.y + box.h);
  switch (rotation) {
    case 0:
      return { left: x0 * width, top: y0 * height, width: (x1 - x0) * width, height: (y1 - y0) * height };
    case 90:
      // (x, y) -> (H - y, x): the page's left edge becomes its top.
      return { left: (1 - y1) * height, top: x0 * width, width: (y1 - y0) * height, height: (x1 - x0) * width };
    case 180:
      return { left: (1 - x1) * width, top: (1 - y1) * height, width: (x1 - x0) * width, height: (y1 - y0) * height };
    case 270:
      return { left: y0 * height, top: (1 - x1) * width, width: (y1 - y0) * height, height: (x1 - x0) * width };
  }
}

/** The boxes of a page's words that match the search terms, in pixels of the page as shown. */
export function hitBoxes(
  words: readonly WordBox[],
  terms: readonly string[],
  width: number,
  height: number,
  rotation: Rotation = 0,
): PixelBox[] {
  return words.filter((w) => wordMatches(w.text, terms)).map((w) => scaleBox(w, width, height, rotation));
}

/** The next rotation a quarter turn clockwise (or back with `-1`). */
export function turn(r: Rotation, dir: 1 | -1 = 1): Rotation {
  return ((((r + dir * 90) % 360) + 360) % 360) as Rotation;
}

/**
 * The [start, end) ranges of a text to mark for the search terms: each letters-and-digits run that matches a term
 * (see `wordMatches`). Ranges are in the text's own UTF-16 offsets, ordered, not overlapping.
 */
export function markRanges(text: string, terms: readonly string[]): [number, number][] {
  if (terms.length === 0) return [];
  const out: [number, number][] = [];
  for (const m of text.matchAll(/[\p{L}\p{N}]+/gu)) {
    if (wordMatches(m[0], terms)) out.push([m.index, m.index + m[0].length]);
  }
  return out;
}

/** A text cut into parts to show, the marked ones flagged. */
export function markParts(text: string, terms: readonly string[]): { text: string; hit: boolean }[] {
  const parts: { text: string; hit: boolean }[] = [];
  let at = 0;
  for (const [s, e] of markRanges(text, terms)) {
    if (s > at) parts.push({ text: text.slice(at, s), hit: false });
    parts.push({ text: text.slice(s, e), hit: true });
    at = e;
  }
  if (at < text.length || parts.length === 0) parts.push({ text: text.slice(at), hit: false });
  return parts;
}

const entities: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

/**
 * A server snippet (HTML-escaped text with <mark>…</mark> around the hits, src/modules/documents markSnippet) as
 * parts to render as text nodes: nothing in it is ever parsed as HTML.
 */
export function snippetParts(snippet: string): { text: string; hit: boolean }[] {
  const parts: { text: string; hit: boolean }[] = [];
  const unescape = (s: string) => s.replace(/&(?:amp|lt|gt|quot|#39);/g, (e) => entities[e] ?? e);
  let hit = false;
  for (const piece of snippet.split(/(<mark>|<\/mark>)/)) {
    if (piece === '<mark>') hit = true;
    else if (piece === '</mark>') hit = false;
    else if (piece) parts.push({ text: unescape(piece), hit });
  }
  return parts;
}

/** Bytes as people read them: "812 B", "14.2 KB", "3.1 MB". */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1048576).toFixed(1)} MB`;
}

/** How the viewer shows a media type. */
export type ViewKind = 'pdf' | 'image' | 'tiff' | 'text';

export function viewKindOf(mediaType: string): ViewKind {
  if (mediaType === 'application/pdf') return 'pdf';
  if (mediaType === 'image/png' || mediaType === 'image/jpeg') return 'image';
  if (mediaType === 'image/tiff') return 'tiff';
  // text/plain, HL7 v2 and C-CDA: the readable text the server keeps for each page.
  return 'text';
}

const statusLabels: Record<string, string> = {
  preliminary: 'Preliminary',
  final: 'Final',
  amended: 'Amended',
  entered_in_error: 'Entered in error',
  destroyed: 'Destroyed',
};
export const statusLabel = (s: string) => statusLabels[s] ?? s;
export const documentStatusOptions = Object.keys(statusLabels);

/** Percent of an upload sent, 0..100 (0 while the size is not known). */
export function percentOf(loaded: number, total: number): number {
  if (total <= 0) return 0;
  return Math.min(100, Math.round((loaded / total) * 100));
}
