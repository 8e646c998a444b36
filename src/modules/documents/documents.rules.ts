/**
 * Pure rules of the legal health record: statuses and their changes, version kinds, confidentiality flags, the
 * content types accepted and how a file's type is told from its bytes (never its name), input schemas, and the
 * search words. No database, files, clock or environment.
 */
import { z } from 'zod';
import { invalid } from '../../core/errors.js';

export const DocumentStatus = {
  preliminary: 'preliminary',
  final: 'final',
  amended: 'amended',
  enteredInError: 'entered_in_error',
  destroyed: 'destroyed',
} as const;
export type DocumentStatus = (typeof DocumentStatus)[keyof typeof DocumentStatus];
export const documentStatuses = Object.values(DocumentStatus) as [DocumentStatus, ...DocumentStatus[]];

export const VersionKind = {
  original: 'original',
  revision: 'revision',
  addendum: 'addendum',
  correction: 'correction',
  replacement: 'replacement',
  amendment: 'amendment',
} as const;
export type VersionKind = (typeof VersionKind)[keyof typeof VersionKind];
export const versionKinds = ['revision', 'addendum', 'correction', 'replacement', 'amendment'] as const;

export const DocumentSource = {
  upload: 'upload',
  import: 'import',
  scan: 'scan',
  hl7: 'hl7',
  amendment: 'amendment',
  system: 'system',
} as const;
export type DocumentSource = (typeof DocumentSource)[keyof typeof DocumentSource];
export const documentSources = Object.values(DocumentSource) as [DocumentSource, ...DocumentSource[]];

/**
 * Confidentiality flags: information that law or policy protects beyond the rest of the record (42 CFR Part 2
 * substance use disorder records; state behavioral health, HIV and reproductive health laws; HIPAA 164.508(a)(2)
 * psychotherapy notes). Reading a flagged document needs `document:sensitive` or break-the-glass.
 */
export const confidentialityFlags = ['part2_sud', 'behavioral_health', 'hiv', 'reproductive_health', 'psychotherapy_notes'] as const;
export type ConfidentialityFlag = (typeof confidentialityFlags)[number];

export const SignatureRole = { author: 'author', cosigner: 'cosigner' } as const;
export type SignatureRole = (typeof SignatureRole)[keyof typeof SignatureRole];

export const HoldScope = { patient: 'patient', encounter: 'encounter', document: 'document' } as const;
export type HoldScope = (typeof HoldScope)[keyof typeof HoldScope];

/** Where a version's searchable text comes from. */
export const TextSource = { native: 'native', ocrPending: 'ocr_pending', ocr: 'ocr', none: 'none' } as const;
export type TextSource = (typeof TextSource)[keyof typeof TextSource];

/** The content types of the record, by their canonical media type. */
export const MediaType = {
  pdf: 'application/pdf',
  tiff: 'image/tiff',
  png: 'image/png',
  jpeg: 'image/jpeg',
  text: 'text/plain',
  /** An HL7 v2 message in its pipe-delimited encoding (ER7), e.g. MDM^T02 with TXA and OBX text. */
  hl7v2: 'x-application/hl7-v2+er7',
  /** HL7 CDA R2 / C-CDA XML, stored as received. */
  cda: 'application/xml',
} as const;
export type MediaType = (typeof MediaType)[keyof typeof MediaType];

/** Other names clients send for the same types. */
const aliases: Record<string, MediaType> = {
  'image/jpg': MediaType.jpeg,
  'image/tif': MediaType.tiff,
  'application/hl7-v2': MediaType.hl7v2,
  'application/x-hl7': MediaType.hl7v2,
  'text/xml': MediaType.cda,
  'application/cda+xml': MediaType.cda,
  'application/hl7-cda+xml': MediaType.cda,
};

/** Declared types that mean "the sender did not say": the type is told from the bytes alone. */
const unspecified = new Set(['', 'application/octet-stream', 'binary/octet-stream']);

/** Types that are images or scans: their text comes from OCR. */
export const imageTypes: ReadonlySet<string> = new Set([MediaType.tiff, MediaType.png, MediaType.jpeg]);

function startsWith(b: Uint8Array, sig: readonly number[], at = 0): boolean {
  return b.length >= at + sig.length && sig.every((x, i) => b[at + i] === x);
}

function isUtf8Text(b: Uint8Array): string | undefined {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(b);
  } catch {
    return undefined;
  }
  // Control characters other than tab, line feed, form feed and carriage return mark a binary file.
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  return /[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(text) ? undefined : text;
}

/**
 * The type of a file from its bytes: image and PDF signatures (PNG, JPEG, TIFF and BigTIFF, `%PDF-` within the first
 * 1024 bytes as PDF 1.7 section 3.4.1 allows), then UTF-8 text: an HL7 v2 message (starts with `MSH|`), a CDA
 * document (XML whose root is `ClinicalDocument` in the `urn:hl7-org:v3` namespace), or plain text. Undefined when it
 * is none of these (other XML included).
 */
export function detectDocumentType(b: Uint8Array): MediaType | undefined {
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return MediaType.png;
  if (startsWith(b, [0xff, 0xd8, 0xff])) return MediaType.jpeg;
  for (const sig of [
    [0x49, 0x49, 0x2a, 0x00],
    [0x4d, 0x4d, 0x00, 0x2a],
    [0x49, 0x49, 0x2b, 0x00],
    [0x4d, 0x4d, 0x00, 0x2b],
  ])
    if (startsWith(b, sig)) return MediaType.tiff;
  const head = Math.min(b.length - 5, 1024);
  for (let i = 0; i <= head; i++) if (b[i] === 0x25 && startsWith(b, [0x25, 0x50, 0x44, 0x46, 0x2d], i)) return MediaType.pdf;
  const text = isUtf8Text(b);
  if (text === undefined || text.trim() === '') return undefined;
  const t = text.replace(/^\uFEFF/, '').trimStart();
  if (t.startsWith('MSH|')) return MediaType.hl7v2;
  if (t.startsWith('<')) {
    const root = /<(?:[A-Za-z_][\w.-]*:)?ClinicalDocument[\s>]/.exec(t.replace(/<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>]*>/g, ''));
    return root && t.includes('urn:hl7-org:v3') ? MediaType.cda : undefined;
  }
  return MediaType.text;
}

const names: Record<MediaType, string> = {
  'application/pdf': 'a PDF',
  'image/tiff': 'a TIFF image',
  'image/png': 'a PNG image',
  'image/jpeg': 'a JPEG image',
  'text/plain': 'plain text',
  'x-application/hl7-v2+er7': 'an HL7 v2 message',
  'application/xml': 'a C-CDA (CDA R2 XML) document',
};

/**
 * The canonical type of content declared as `declared` (parameters ignored; an unspecified type is told from the
 * bytes). Throws `invalid` naming the problem when the bytes are no type accepted, or another than declared.
 */
export function resolveMediaType(bytes: Uint8Array, declared: string | undefined): MediaType {
  if (bytes.byteLength === 0) throw invalid('content: the file is empty');
  const found = detectDocumentType(bytes);
  const d = (declared ?? '').split(';')[0]!.trim().toLowerCase();
  if (!found) {
    throw invalid(
      'content: not a type the record accepts (PDF, TIFF, PNG, JPEG, plain text, an HL7 v2 message or C-CDA XML), judged by its bytes',
    );
  }
  if (unspecified.has(d)) return found;
  const want = aliases[d] ?? (Object.values(MediaType) as string[]).find((m) => m === d);
  if (!want) throw invalid(`mediaType: ${d} is not a type the record accepts`);
  if (want !== found) throw invalid(`content: the file is ${names[found]}, not ${names[want as MediaType]} as declared`);
  return found;
}

/** The file extension to offer for a type on download. */
export function extensionOf(mediaType: string): string {
  const ext: Record<string, string> = {
    'application/pdf': 'pdf',
    'image/tiff': 'tif',
    'image/png': 'png',
    'image/jpeg': 'jpg',
    'text/plain': 'txt',
    'x-application/hl7-v2+er7': 'hl7',
    'application/xml': 'xml',
  };
  return ext[mediaType] ?? 'bin';
}

/** A status change a user may ask for, from the current status (a destroyed or erroneous document changes no more). */
export function statusChangeProblem(from: string, to: string): string | undefined {
  if (from === DocumentStatus.destroyed) return 'this document was destroyed';
  if (from === DocumentStatus.enteredInError) return 'this document was marked entered in error and changes no more';
  if (to === DocumentStatus.final && from !== DocumentStatus.preliminary) return `a ${from} document cannot be made final`;
  if (to !== DocumentStatus.final && to !== DocumentStatus.enteredInError) return 'status: final or entered_in_error';
  return undefined;
}

/** A version may be added to a document that is not destroyed or marked entered in error. */
export function versionProblem(status: string): string | undefined {
  if (status === DocumentStatus.destroyed) return 'this document was destroyed';
  if (status === DocumentStatus.enteredInError) return 'this document was marked entered in error: file a new document instead';
  return undefined;
}

/** The status after a new version of this kind: an amendment or correction of a final document makes it amended. */
export function statusAfterVersion(current: string, kind: VersionKind, asked?: DocumentStatus): string {
  if (asked) return asked;
  if ((kind === 'amendment' || kind === 'correction' || kind === 'addendum') && (current === 'final' || current === 'amended'))
    return DocumentStatus.amended;
  return current;
}

/** Words of a search: letters and digits runs (at most 12, each at most 64 characters), lower-cased. */
export function searchTerms(words: string): string[] {
  const terms = (
    words
      .normalize('NFKC')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []
  ).filter((t) => t.length <= 64);
  return [...new Set(terms)].slice(0, 12);
}

/** A snippet made safe for HTML: `\u0001`/`\u0002` from the engine become <mark> and </mark>, the rest escaped. */
export function markSnippet(raw: string): string {
  const esc = raw.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
  return esc.replaceAll('\u0001', '<mark>').replaceAll('\u0002', '</mark>').replace(/\s+/g, ' ').trim();
}

const Id = z.string().min(1).max(64);
const Iso = z.iso.datetime({ offset: true });
const Flags = z.array(z.enum(confidentialityFlags)).max(confidentialityFlags.length);

/** The metadata of a document to file (the content travels beside it). */
export const FileDocumentSchema = z.object({
  patientId: Id,
  encounterId: Id.nullish(),
  typeCode: z.string().min(1).max(20),
  title: z.string().trim().min(1).max(200).nullish(),
  authorId: Id.nullish(),
  authorName: z.string().trim().min(1).max(200).nullish(),
  serviceAt: Iso.nullish(),
  status: z.enum(['preliminary', 'final']).nullish(),
  confidentiality: Flags.nullish(),
  source: z.enum(documentSources),
  externalId: z.string().trim().min(1).max(100).nullish(),
  sourceSystem: z.string().trim().min(1).max(100).nullish(),
});

export const NewVersionSchema = z.object({
  kind: z.enum(versionKinds),
  reason: z.string().trim().min(3).max(1000),
  status: z.enum(['preliminary', 'final', 'amended']).nullish(),
});

export const SignSchema = z.object({
  attestation: z.string().trim().min(10).max(1000),
  role: z.enum(['author', 'cosigner']),
});

export const StatusSchema = z.object({
  status: z.enum(['final', 'entered_in_error']),
  reason: z.string().trim().min(3).max(1000),
});

export const MoveSchema = z.object({
  patientId: Id,
  encounterId: Id.nullish(),
  reason: z.string().trim().min(10).max(1000),
});

export const HoldSchema = z
  .object({
    patientId: Id,
    encounterId: Id.nullish(),
    documentId: Id.nullish(),
    matter: z.string().trim().min(1).max(200),
    reason: z.string().trim().min(3).max(1000),
  })
  .refine((h) => !(h.encounterId && h.documentId), 'a hold covers a patient, one encounter or one document');

export const SearchSchema = z.object({
  words: z.string().min(1).max(500),
  patientId: Id.nullish(),
  typeCode: z.string().max(20).nullish(),
  encounterId: Id.nullish(),
  authorName: z.string().max(200).nullish(),
  status: z.enum(documentStatuses).nullish(),
  from: Iso.nullish(),
  to: Iso.nullish(),
  limit: z.number().int().min(1).max(200).nullish(),
});

export const DocumentTypeUpdateSchema = z.object({
  name: z.string().trim().min(1).max(200),
  loincCode: z
    .string()
    .regex(/^\d{1,7}-\d$/, 'a LOINC code looks like 18842-5')
    .nullish(),
  category: z.enum(['clinical', 'diagnostic', 'legal', 'administrative', 'outside']),
  requiresCosign: z.boolean(),
  defaultConfidentiality: Flags,
  active: z.boolean(),
});

/** Parses input with a schema; the first problem becomes `invalid` naming its field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const i = r.error.issues[0]!;
  throw invalid(`${i.path.join('.') || 'input'}: ${i.message}`);
}
