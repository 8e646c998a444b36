import type { Delimiters } from './encoding.js';
import { Hl7Error, Hl7ErrorCode } from './hl7-error.js';
import { type Hl7Message, type Hl7Segment, value } from './message.js';
import { cleanInput, parseMessage, parseSegment, readDelimiters, splitSegments } from './parser.js';

/** One message of a batch: parsed, or the error and its raw text (kept so that nothing is lost). */
export type BatchItem = { ok: true; message: Hl7Message; raw: string } | { ok: false; error: Hl7Error; raw: string };

export interface Hl7Batch {
  /** The delimiters of the envelope (FHS-1/2 or BHS-1/2, else the first MSH), when one could be read. */
  delimiters?: Delimiters;
  fileHeader?: Hl7Segment;
  batchHeaders: Hl7Segment[];
  items: BatchItem[];
  batchTrailers: Hl7Segment[];
  fileTrailer?: Hl7Segment;
  /** Message count declared in BTS-1 (summed over batches), when given. */
  declaredCount?: number;
}

const ENVELOPE = new Set(['FHS', 'BHS', 'BTS', 'FTS']);

/**
 * Splits a batch file (FHS/BHS ... BTS/FTS, HL7 v2.5.1 section 2.10.3) or plain concatenated messages into
 * messages and parses each on its own: a bad message becomes an error item and the others go on.
 */
export function parseBatch(raw: string): Hl7Batch {
  const lines = splitSegments(cleanInput(raw));
  const batch: Hl7Batch = { batchHeaders: [], items: [], batchTrailers: [] };
  let envelope = lines.find((l) => l.startsWith('FHS') || l.startsWith('BHS') || l.startsWith('MSH'));
  let current: string[] | null = null;
  const flush = () => {
    if (!current) return;
    const text = current.join('\r');
    try {
      batch.items.push({ ok: true, message: parseMessage(text), raw: text });
    } catch (e) {
      const error = e instanceof Hl7Error ? e : new Hl7Error(Hl7ErrorCode.applicationInternalError, 'message could not be parsed');
      batch.items.push({ ok: false, error, raw: text });
    }
    current = null;
  };
  lines.forEach((line, i) => {
    const name = line.slice(0, 3);
    if (ENVELOPE.has(name)) {
      flush();
      if (name === 'FHS' || name === 'BHS') envelope = line;
      const d = readDelimiters(envelope ?? line);
      if (name === 'FHS' || name === 'BHS') batch.delimiters ??= d;
      const seg = parseSegment(line, d, i + 1);
      if (name === 'FHS') batch.fileHeader = seg;
      else if (name === 'BHS') batch.batchHeaders.push(seg);
      else if (name === 'FTS') batch.fileTrailer = seg;
      else {
        batch.batchTrailers.push(seg);
        const count = Number(value(seg, 1));
        if (value(seg, 1) !== '' && Number.isFinite(count)) batch.declaredCount = (batch.declaredCount ?? 0) + count;
      }
    } else if (name === 'MSH') {
      flush();
      current = [line];
    } else if (current) current.push(line);
    else
      batch.items.push({
        ok: false,
        error: new Hl7Error(Hl7ErrorCode.segmentSequence, `segment ${i + 1} is outside any message`, { sequence: i + 1 }),
        raw: line,
      });
  });
  flush();
  return batch;
}

/** Whether a text (an MLLP frame, a file) starts with a batch envelope (FHS or BHS) rather than one message. */
export function isBatch(raw: string): boolean {
  // eslint-disable-next-line no-control-regex -- \x0b is the MLLP start-of-block byte a frame may still carry
  return /^[\uFEFF\s\x0b]*(?:FHS|BHS)/.test(raw.slice(0, 64));
}
