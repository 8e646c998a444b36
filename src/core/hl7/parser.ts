import { unescapeText, type Delimiters } from './encoding.js';
import { Hl7Error, Hl7ErrorCode } from './hl7-error.js';
import { Hl7Message, type Hl7Segment } from './message.js';

const HEADER_SEGMENTS = new Set(['MSH', 'FHS', 'BHS']);
const SEGMENT_ID = /^[A-Z][A-Z0-9]{2}$/;

const SEGMENT_START = /^[A-Z][A-Z0-9]{2}(?:[^A-Za-z0-9 ]|$)/;

/**
 * Splits text into segment lines: CR, LF and CRLF all end a segment; blank lines are ignored. A line that
 * cannot start a segment (e.g. "panel AHIC^LN|...") is a line break a sender left inside a field: it is
 * joined to the previous segment with "\n" rather than rejected. A line that looks like a damaged
 * segment id followed by the field separator (e.g. "PI|1") stays a line of its own, so that it is reported.
 */
export function splitSegments(text: string, fieldSeparator = '|'): string[] {
  const damagedId = new RegExp(`^\\w{1,5}\\${fieldSeparator}`);
  const out: string[] = [];
  for (const line of text.split(/\r\n|\r|\n/)) {
    if (line.trim() === '') continue;
    if (out.length > 0 && !SEGMENT_START.test(line) && !damagedId.test(line)) out[out.length - 1] = `${out[out.length - 1]!}\n${line}`;
    else out.push(line);
  }
  return out;
}

/** Strips a UTF-8 byte order mark and stray MLLP framing bytes that some files keep. */
export function cleanInput(raw: string): string {
  let start = 0;
  let end = raw.length;
  if (raw.charCodeAt(0) === 0xfeff) start = 1;
  // Plain scans instead of /[\x1c\s]+$/, which backtracks quadratically on long runs of whitespace.
  while (start < end && (raw.charCodeAt(start) === 0x0b || raw.charCodeAt(start) <= 0x20)) start++;
  while (end > start && (raw.charCodeAt(end - 1) === 0x1c || raw.charCodeAt(end - 1) <= 0x20)) end--;
  return raw.slice(start, end);
}

/** Reads MSH-1/MSH-2 (or FHS/BHS) delimiters from a header segment line. */
export function readDelimiters(line: string): Delimiters {
  const name = line.slice(0, 3);
  const field = line[3];
  if (field === undefined || field === '' || /[A-Za-z0-9\s]/.test(field)) {
    throw new Hl7Error(Hl7ErrorCode.requiredFieldMissing, 'field separator is missing or invalid', { segment: name, field: 1 });
  }
  const end = line.indexOf(field, 4);
  const enc = end < 0 ? line.slice(4) : line.slice(4, end);
  if (enc.length === 0) {
    throw new Hl7Error(Hl7ErrorCode.requiredFieldMissing, 'encoding characters are missing', { segment: name, field: 2 });
  }
  if (enc.length < 4 || enc.length > 5 || new Set(enc + field).size !== enc.length + 1 || /[A-Za-z0-9\s]/.test(enc)) {
    throw new Hl7Error(Hl7ErrorCode.dataTypeError, 'encoding characters must be 4 or 5 distinct punctuation characters', {
      segment: name,
      field: 2,
    });
  }
  const [component = '^', repetition = '~', escape = '\\', subcomponent = '&', truncation] = enc;
  return truncation
    ? { field, component, repetition, escape, subcomponent, truncation }
    : { field, component, repetition, escape, subcomponent };
}

const splitOn = (text: string, sep: string): string[] => (text.includes(sep) ? text.split(sep) : [text]);

// Plain loops with fast paths: most fields have no repetition, subcomponent or escape (hot path of a feed).
function splitField(text: string, d: Delimiters): string[][][] {
  const reps = splitOn(text, d.repetition);
  const out: string[][][] = new Array<string[][]>(reps.length);
  for (let r = 0; r < reps.length; r++) {
    const comps = splitOn(reps[r]!, d.component);
    const rep: string[][] = new Array<string[]>(comps.length);
    for (let c = 0; c < comps.length; c++) {
      const subs = splitOn(comps[c]!, d.subcomponent);
      for (let k = 0; k < subs.length; k++) if (subs[k]!.includes(d.escape)) subs[k] = unescapeText(subs[k]!, d);
      rep[c] = subs;
    }
    out[r] = rep;
  }
  return out;
}

/** Parses one segment line with known delimiters. `index` is the 1-based line number for errors. */
export function parseSegment(line: string, d: Delimiters, index: number): Hl7Segment {
  const name = line.slice(0, 3);
  if (!SEGMENT_ID.test(name) || (line.length > 3 && line[3] !== d.field)) {
    const shown = /^[\x20-\x7e]{3}$/.test(name) ? `"${name}"` : 'non-text data';
    throw new Hl7Error(Hl7ErrorCode.segmentSequence, `segment ${index} has no valid segment id (found ${shown})`, { sequence: index });
  }
  const parts = line.split(d.field);
  const fields: string[][][][] = [[[[name]]]];
  if (HEADER_SEGMENTS.has(name)) {
    fields.push([[[d.field]]]);
    fields.push([[[parts[1] ?? '']]]);
    for (let i = 2; i < parts.length; i++) fields.push(splitField(parts[i]!, d));
  } else {
    for (let i = 1; i < parts.length; i++) fields.push(splitField(parts[i]!, d));
  }
  return { name, fields };
}

/**
 * Parses one HL7 v2 message (any version 2.x). Accepts CR, LF or CRLF segment endings, custom delimiters
 * from MSH-1/MSH-2, escape sequences, repetitions, components, subcomponents; keeps Z-segments. Throws an
 * Hl7Error that names the segment and field when the text is not an HL7 message.
 */
export function parseMessage(raw: string): Hl7Message {
  const text = cleanInput(raw);
  if (text === '') throw new Hl7Error(Hl7ErrorCode.requiredFieldMissing, 'message is empty', { segment: 'MSH' });
  const first = text.slice(0, text.search(/[\r\n]|$/));
  if (first.startsWith('FHS') || first.startsWith('BHS')) {
    throw new Hl7Error(Hl7ErrorCode.segmentSequence, 'this is a batch (FHS/BHS envelope), not a single message', {
      segment: first.slice(0, 3),
    });
  }
  if (!first.startsWith('MSH')) {
    throw new Hl7Error(Hl7ErrorCode.segmentSequence, 'message does not start with an MSH segment', { segment: 'MSH', sequence: 1 });
  }
  const d = readDelimiters(first);
  const lines = splitSegments(text, d.field);
  const segments = lines.map((line, i) => parseSegment(line, d, i + 1));
  return new Hl7Message(d, segments);
}
