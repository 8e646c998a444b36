/**
 * HL7 v2 delimiters and escape sequences (HL7 v2.5.1 chapter 2.7 "Use of escape sequences in text fields").
 * Escapes are decoded after the message is split, so an escaped delimiter never splits a field.
 */
export interface Delimiters {
  field: string;
  component: string;
  repetition: string;
  escape: string;
  subcomponent: string;
  /** v2.7+ truncation character (MSH-2 fifth character), when present. */
  truncation?: string;
}

export const DEFAULT_DELIMITERS: Readonly<Delimiters> = Object.freeze({
  field: '|',
  component: '^',
  repetition: '~',
  escape: '\\',
  subcomponent: '&',
});

/** MSH-2 text for the delimiters. */
export function encodingCharacters(d: Delimiters): string {
  return `${d.component}${d.repetition}${d.escape}${d.subcomponent}${d.truncation ?? ''}`;
}

// Formatting commands of FT/TX fields (chapter 2.7.6): line breaks become "\n", the rest are dropped.
const FORMATTING = /^\.(br|sp\s*\d*|in\s*[+-]?\d*|ti\s*[+-]?\d*|sk\s*\d*|ce|fi|nf)$/;

function decodeHex(hex: string): string | null {
  if (hex.length % 2 !== 0 || !/^[0-9A-Fa-f]*$/.test(hex)) return null;
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return new TextDecoder('utf-8').decode(bytes);
}

function decodeOne(seq: string, d: Delimiters): string | null {
  switch (seq) {
    case 'F':
      return d.field;
    case 'S':
      return d.component;
    case 'T':
      return d.subcomponent;
    case 'R':
      return d.repetition;
    case 'E':
      return d.escape;
    case 'P':
      return d.truncation ?? '#';
    case 'H':
    case 'N':
      return ''; // highlight on/off: presentation only
  }
  if (seq.startsWith('X')) return decodeHex(seq.slice(1));
  if (FORMATTING.test(seq)) return seq.startsWith('.br') || seq.startsWith('.sp') ? '\n' : '';
  if (/^(C[0-9A-Fa-f]{4}|M[0-9A-Fa-f]{6})$/.test(seq)) return ''; // character-set switches: text is decoded already
  return null; // unknown (e.g. locally defined \Z..\): keep it as written
}

/** Replaces escape sequences in one component or subcomponent with the characters they stand for. */
export function unescapeText(value: string, d: Delimiters): string {
  const esc = d.escape;
  if (esc === '' || !value.includes(esc)) return value;
  let out = '';
  let i = 0;
  while (i < value.length) {
    const start = value.indexOf(esc, i);
    if (start < 0) break;
    const end = value.indexOf(esc, start + 1);
    if (end < 0) break; // unterminated: keep the rest literally
    out += value.slice(i, start);
    const decoded = decodeOne(value.slice(start + 1, end), d);
    out += decoded ?? value.slice(start, end + 1);
    i = end + 1;
  }
  return out + value.slice(i);
}

/** Escapes delimiters in free text so that it can be placed in one component (e.g. MSA-3, ERR-8). */
export function escapeText(value: string, d: Delimiters): string {
  let out = '';
  for (const c of value) {
    if (c === d.escape) out += `${d.escape}E${d.escape}`;
    else if (c === d.field) out += `${d.escape}F${d.escape}`;
    else if (c === d.component) out += `${d.escape}S${d.escape}`;
    else if (c === d.subcomponent) out += `${d.escape}T${d.escape}`;
    else if (c === d.repetition) out += `${d.escape}R${d.escape}`;
    else if (c === '\r' || c === '\n') out += `${d.escape}.br${d.escape}`;
    else out += c;
  }
  return out;
}
