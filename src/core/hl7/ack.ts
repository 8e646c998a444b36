import { DEFAULT_DELIMITERS, encodingCharacters, escapeText, type Delimiters } from './encoding.js';
import { Hl7ErrorCode, type Hl7Location } from './hl7-error.js';
import type { Hl7Batch } from './batch.js';
import type { Hl7Message, Hl7Segment } from './message.js';
import { cleanInput, parseMessage, readDelimiters, splitSegments } from './parser.js';

/** MSA-1 acknowledgment codes (original mode, HL7 table 0008). */
export const AckCode = { accept: 'AA', error: 'AE', reject: 'AR' } as const;
export type AckCode = (typeof AckCode)[keyof typeof AckCode];

/** HL7 table 0357 texts for ERR-3.2 / ERR-1.4.2. */
const ERROR_TEXT: Record<string, string> = {
  '0': 'Message accepted',
  '100': 'Segment sequence error',
  '101': 'Required field missing',
  '102': 'Data type error',
  '103': 'Table value not found',
  '200': 'Unsupported message type',
  '201': 'Unsupported event code',
  '202': 'Unsupported processing id',
  '203': 'Unsupported version id',
  '204': 'Unknown key identifier',
  '205': 'Duplicate key identifier',
  '206': 'Application record locked',
  '207': 'Application internal error',
};

export interface AckError {
  code: Hl7ErrorCode;
  location?: Hl7Location;
  /** Human-readable diagnostic without PHI (ERR-8 in v2.5+, MSA-3 before). */
  message?: string;
  /** ERR-4: E error, W warning, I information (v2.5+). */
  severity?: 'E' | 'W' | 'I';
}

export interface AckOptions {
  code: AckCode;
  /** MSH-10 of the ACK itself: the caller's id generator, so that this stays pure. */
  controlId: string;
  /** MSH-7 of the ACK, HL7 DTM (e.g. 20260128093000+0000): the caller's clock. */
  dateTime: string;
  errors?: AckError[];
  text?: string;
}

/** Header fields of the incoming message, as raw (still escaped) text. */
interface IncomingHeader {
  delimiters: Delimiters;
  fields: string[];
}

const versionAtLeast = (v: string, minor: number) => Number(/^2\.(\d)/.exec(v)?.[1] ?? 5) >= minor;

function errSegment(e: AckError, h: IncomingHeader, version: string): string {
  const d = h.delimiters;
  const loc = e.location ?? {};
  const text = ERROR_TEXT[e.code] ?? '';
  const c = d.component;
  if (!versionAtLeast(version, 5)) {
    // v2.3/2.4 ERR-1 ELD: segment ^ sequence ^ field ^ code&text&HL70357
    const s = d.subcomponent;
    return [
      'ERR',
      [loc.segment ?? '', loc.sequence ?? (loc.segment ? 1 : ''), loc.field ?? '', `${e.code}${s}${text}${s}HL70357`].join(c),
    ].join(d.field);
  }
  const erl = loc.segment
    ? [loc.segment, loc.sequence ?? 1, loc.field ?? '', loc.field ? (loc.repetition ?? 1) : '', loc.component ?? '']
        .join(c)
        .replace(new RegExp(`\\${c}+$`), '')
    : '';
  const fields = ['ERR', '', erl, [e.code, text, 'HL70357'].join(c), e.severity ?? 'E', '', '', '', escapeText(e.message ?? '', d)];
  return fields.join(d.field).replace(new RegExp(`\\${d.field}+$`), '');
}

function build(h: IncomingHeader, o: AckOptions): string {
  const d = h.delimiters;
  const f = (n: number) => h.fields[n] ?? '';
  const version = f(12) || '2.5.1';
  const trigger = f(9).split(d.component)[1] ?? '';
  const type =
    versionAtLeast(version, 4) || version === '2.3.1' ? ['ACK', trigger, 'ACK'].join(d.component) : ['ACK', trigger].join(d.component);
  const msh = [
    'MSH',
    encodingCharacters(d),
    f(5),
    f(6),
    f(3),
    f(4),
    escapeText(o.dateTime, d),
    '',
    type,
    escapeText(o.controlId, d),
    f(11) || 'P',
    version,
  ];
  const firstMessage = o.errors?.[0]?.message;
  const text = o.text ?? (versionAtLeast(version, 5) ? undefined : firstMessage);
  const msa = ['MSA', o.code, f(10), text ? escapeText(text, d) : ''].join(d.field).replace(new RegExp(`\\${d.field}+$`), '');
  const segments = [msh.join(d.field), msa, ...(o.errors ?? []).map((e) => errSegment(e, h, version))];
  return segments.join('\r') + '\r';
}

/** Builds an ACK for a parsed message, mirroring its delimiters, version and processing id. */
export function buildAck(incoming: Hl7Message, options: AckOptions): string {
  const msh = incoming.segment('MSH');
  const d = incoming.delimiters;
  const fields = ['MSH', d.field, encodingCharacters(d)];
  // Re-encode MSH-3.. from the parsed form so that escaped delimiters stay escaped.
  for (let n = 3; n < (msh?.fields.length ?? 0); n++) {
    fields[n] = msh!.fields[n]!.map((rep) =>
      rep.map((comp) => comp.map((s) => escapeText(s, d)).join(d.subcomponent)).join(d.component),
    ).join(d.repetition);
  }
  return build({ delimiters: d, fields }, options);
}

/**
 * Builds an ACK (normally AR) for raw text that may not parse at all: delimiters, control id and version
 * are taken from its MSH line when one can be read, else the defaults (v2.5.1) are used.
 */
export function buildAckForRaw(raw: string, options: AckOptions): string {
  try {
    return buildAck(parseMessage(raw), options);
  } catch {
    const line = splitSegments(cleanInput(raw)).find((l) => l.startsWith('MSH')) ?? '';
    let delimiters: Delimiters = { ...DEFAULT_DELIMITERS };
    try {
      delimiters = readDelimiters(line);
    } catch {
      // keep defaults
    }
    const printable = (s: string) => (/^[\x20-\x7e]{0,199}$/.test(s) ? s : '');
    const parts = line.split(delimiters.field).map(printable);
    const fields = ['MSH', delimiters.field, encodingCharacters(delimiters), ...parts.slice(2)];
    return build({ delimiters, fields }, options);
  }
}

/**
 * The acknowledgment of a batch (HL7 v2.5.1 2.10.3.3): the ACK of every message, in order, inside BHS/BTS, and
 * inside FHS/FTS too when the batch came in a file envelope. Sending and receiving application and facility are
 * swapped, the original BHS-11/FHS-11 control id is returned in BHS-12/FHS-12, and BTS-1 counts the ACKs.
 */
export function buildBatchAck(batch: Hl7Batch, acks: string[], o: Pick<AckOptions, 'controlId' | 'dateTime'>): string {
  const d = batch.delimiters ?? DEFAULT_DELIMITERS;
  const encoded = (seg: Hl7Segment | undefined, n: number) =>
    (seg?.fields[n] ?? [])
      .map((rep) => rep.map((comp) => comp.map((s) => escapeText(s, d)).join(d.subcomponent)).join(d.component))
      .join(d.repetition);
  const header = (name: 'FHS' | 'BHS', seg: Hl7Segment | undefined) =>
    [
      name,
      encodingCharacters(d),
      encoded(seg, 5),
      encoded(seg, 6),
      encoded(seg, 3),
      encoded(seg, 4),
      escapeText(o.dateTime, d),
      '',
      '',
      '',
      escapeText(o.controlId, d),
      encoded(seg, 11),
    ]
      .join(d.field)
      .replace(new RegExp(`\\${d.field}+$`), '');
  const lines: string[] = [];
  if (batch.fileHeader) lines.push(header('FHS', batch.fileHeader));
  lines.push(header('BHS', batch.batchHeaders[0] ?? batch.fileHeader));
  for (const ack of acks) lines.push(...ack.split('\r').filter((l) => l !== ''));
  lines.push(['BTS', String(acks.length)].join(d.field));
  if (batch.fileHeader) lines.push(['FTS', '1'].join(d.field));
  return lines.join('\r') + '\r';
}
