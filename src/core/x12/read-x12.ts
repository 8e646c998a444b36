/**
 * A pure ASC X12 reader: finds the delimiters in the ISA, splits segments and elements, and checks the envelopes
 * (ISA/IEA, GS/GE, ST/SE: control numbers and counts). It never throws on bad input: every problem becomes an
 * {@link X12Issue} naming the segment by its position in the file (1 = the ISA) and its id, and reading goes on.
 * The transaction sets themselves (835, 999, 277CA, ...) are read by the parse-*.ts files on top of this.
 *
 * Spec: ASC X12 Control Segments (ISA/IEA, GS/GE, ST/SE) as given in every 005010 TR3, appendix B
 * ("Nomenclature": delimiters, the fixed-length ISA).
 */

/** The four delimiters of an interchange, all taken from its ISA. */
export interface X12Delimiters {
  /** The character at ISA position 4 (index 3). */
  readonly element: string;
  /** ISA16. */
  readonly component: string;
  /** ISA11 when it is a delimiter (005010 and later); undefined when ISA11 is a code such as `U` (004010). */
  readonly repetition: string | undefined;
  /** The character right after ISA16. */
  readonly segment: string;
}

/** One segment. `elements[0]` is the segment id, so `elements[n]` is element n as the TR3 numbers it (CLP04 = elements[4]). */
export interface X12Segment {
  /** Position in the file, 1-based (the ISA is 1). */
  readonly n: number;
  readonly id: string;
  readonly elements: readonly string[];
}

/** A problem found while reading, named by the segment (its position and id); segment 0 is the file as a whole. */
export interface X12Issue {
  readonly segment: number;
  readonly id: string;
  readonly message: string;
}

export interface X12TransactionSet {
  /** ST01: 835, 999, 277, 837 ... */
  readonly type: string;
  /** ST02. */
  readonly controlNumber: string;
  /** ST03 when present, else the group's GS08 (e.g. 005010X221A1). */
  readonly version: string;
  readonly st: X12Segment;
  /** The segments between ST and SE (neither included). */
  readonly segments: X12Segment[];
  se: X12Segment | undefined;
}

export interface X12FunctionalGroup {
  /** GS01: HP (835), FA (999), HN (277), HC (837) ... */
  readonly functionalId: string;
  /** GS06. */
  readonly controlNumber: string;
  /** GS08. */
  readonly version: string;
  readonly gs: X12Segment;
  readonly transactions: X12TransactionSet[];
  ge: X12Segment | undefined;
}

export interface X12Interchange {
  /** ISA13. */
  readonly controlNumber: string;
  /** ISA06 and ISA08, trimmed. */
  readonly sender: string;
  readonly receiver: string;
  /** ISA12: 00401, 00501 ... */
  readonly version: string;
  readonly isa: X12Segment;
  /** The delimiters of this interchange (files may concatenate interchanges with different ones). */
  readonly delimiters: X12Delimiters;
  /** TA1 segments (interchange acknowledgements) carried at the interchange level. */
  readonly ta1: X12Segment[];
  readonly groups: X12FunctionalGroup[];
  iea: X12Segment | undefined;
}

export interface X12Document {
  /** The first interchange's delimiters; undefined when the file does not begin with a readable ISA. */
  readonly delimiters: X12Delimiters | undefined;
  readonly interchanges: X12Interchange[];
  readonly errors: X12Issue[];
}

/** ISA01..ISA16 fixed widths (the ISA is 106 characters with its terminator). */
const ISA_WIDTHS = [2, 10, 2, 10, 2, 15, 2, 15, 6, 4, 1, 5, 9, 1, 1, 1] as const;
const SEGMENT_ID = /^[A-Z][A-Z0-9]{1,2}$/;
/** A byte-order mark, whether the file was decoded as UTF-8 or as Latin-1. */
const BOM = /^(\uFEFF|\u00EF\u00BB\u00BF)/;

/** Element `i` of a segment (TR3 numbering), '' when absent. */
export function el(seg: X12Segment, i: number): string {
  return seg.elements[i] ?? '';
}

/** The components of composite element `i` (SVC01 `HC:99213:25` -> ['HC', '99213', '25']). */
export function components(seg: X12Segment, i: number, d: X12Delimiters): string[] {
  const v = el(seg, i);
  return v === '' ? [] : v.split(d.component);
}

/** A numeric element as a number; undefined when empty or not a number. */
export function num(seg: X12Segment, i: number): number | undefined {
  const v = el(seg, i);
  if (v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

const issue = (segment: number, id: string, message: string): X12Issue => ({
  segment,
  id,
  message: `segment ${segment} (${id || 'no id'}): ${message}`,
});

interface IsaScan {
  delimiters: X12Delimiters;
  elements: string[];
  /** Index just past the ISA's terminator. */
  end: number;
}

/** Reads the delimiters from the ISA at `start`; undefined when there is no ISA with 16 elements there. */
function scanIsa(text: string, start: number): IsaScan | undefined {
  if (text.slice(start, start + 3) !== 'ISA') return undefined;
  const element = text[start + 3];
  if (element === undefined || /[A-Za-z0-9\s]/.test(element)) return undefined;
  let at = start + 3;
  for (let k = 0; k < 16; k++) {
    at = text.indexOf(element, at + (k === 0 ? 0 : 1));
    // 16 separators within a sane distance: a damaged ISA must not swallow the file.
    if (at < 0 || at - start > 200) return undefined;
  }
  const component = text[at + 1];
  const segment = text[at + 2];
  if (component === undefined || segment === undefined) return undefined;
  const elements = text.slice(start, at + 2).split(element);
  const isa11 = elements[11] ?? '';
  const repetition = isa11.length === 1 && !/[A-Za-z0-9 ]/.test(isa11) ? isa11 : undefined;
  return { delimiters: { element, component, repetition, segment }, elements, end: at + 3 };
}

function checkIsa(elements: readonly string[], n: number, errors: X12Issue[]): void {
  ISA_WIDTHS.forEach((width, k) => {
    const v = elements[k + 1] ?? '';
    if (v.length !== width) {
      const name = `ISA${String(k + 1).padStart(2, '0')}`;
      errors.push(issue(n, 'ISA', `${name} must be ${width} characters, found ${v.length}`));
    }
  });
}

interface RawSegment {
  readonly text: string;
  readonly d: X12Delimiters;
}

const sameDelimiters = (a: X12Delimiters, b: X12Delimiters): boolean =>
  a.element === b.element && a.component === b.component && a.segment === b.segment && a.repetition === b.repetition;

const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13;
const LINE_BREAK = /\r\n|\r|\n/g;

/**
 * Walks the text segment by segment from the first ISA, skipping line breaks and indentation between segments.
 * An ISA with other delimiters than the current ones (a file of concatenated interchanges) switches to its own.
 */
function splitSegments(text: string, first: IsaScan): RawSegment[] {
  let d = first.delimiters;
  const out: RawSegment[] = [{ text: text.slice(0, first.end - 1), d }];
  let pos = first.end;
  while (pos < text.length) {
    while (pos < text.length && isSpace(text.charCodeAt(pos))) pos++;
    if (pos >= text.length) break;
    if (text.startsWith('ISA', pos)) {
      const scan = scanIsa(text, pos);
      if (scan && !sameDelimiters(scan.delimiters, d)) {
        d = scan.delimiters;
        out.push({ text: text.slice(pos, scan.end - 1), d });
        pos = scan.end;
        continue;
      }
    }
    let end: number;
    let next: number;
    if (d.segment === '\n' || d.segment === '\r') {
      LINE_BREAK.lastIndex = pos;
      const m = LINE_BREAK.exec(text);
      [end, next] = m ? [m.index, m.index + m[0].length] : [text.length, text.length];
    } else {
      end = text.indexOf(d.segment, pos);
      if (end < 0) end = text.length;
      next = end + 1;
    }
    const raw = text.slice(pos, end).replace(/[\r\n]+$/, '');
    if (raw !== '') out.push({ text: raw, d });
    pos = next;
  }
  return out;
}

/**
 * Reads an X12 file into interchanges, groups and transaction sets. Never throws: problems are in `errors`,
 * each naming its segment; what could be read is returned.
 */
export function readX12(input: string): X12Document {
  const errors: X12Issue[] = [];
  let text = input.replace(BOM, '');
  const lead = /^\s*/.exec(text)?.[0].length ?? 0;
  text = text.slice(lead);
  if (text === '') return { delimiters: undefined, interchanges: [], errors: [issue(0, '', 'the file is empty')] };
  const scan = scanIsa(text, 0);
  if (!scan) {
    const id = /^[A-Za-z0-9]{1,3}/.exec(text)?.[0] ?? '';
    const why =
      id === 'ISA'
        ? 'the ISA header is damaged (it needs 16 elements and a segment terminator)'
        : 'the file must begin with an ISA interchange header';
    return { delimiters: undefined, interchanges: [], errors: [issue(1, id, why)] };
  }
  const raws = splitSegments(text, scan);
  const reader = new EnvelopeReader(errors);
  raws.forEach(({ text: raw, d }, k) => {
    const elements = raw.split(d.element);
    const id = elements[0] ?? '';
    const seg: X12Segment = { n: k + 1, id, elements };
    if (!SEGMENT_ID.test(id)) {
      errors.push(issue(seg.n, id, `"${id.slice(0, 10)}" is not a valid segment id (2-3 upper-case letters or digits)`));
      reader.count(seg);
      return;
    }
    reader.take(seg, d);
  });
  reader.finish(raws.length);
  errors.sort((a, b) => a.segment - b.segment);
  return { delimiters: scan.delimiters, interchanges: reader.interchanges, errors };
}

/** The envelope state machine: ISA > GS > ST ... SE > GE > IEA, with control numbers and counts. */
class EnvelopeReader {
  readonly interchanges: X12Interchange[] = [];
  private ich: X12Interchange | undefined;
  private group: X12FunctionalGroup | undefined;
  private tx: X12TransactionSet | undefined;
  private outsideReported = false;

  constructor(private readonly errors: X12Issue[]) {}

  private err(seg: X12Segment, message: string): void {
    this.errors.push(issue(seg.n, seg.id, message));
  }

  /** A segment that could not be identified still counts toward SE01. */
  count(seg: X12Segment): void {
    this.tx?.segments.push(seg);
  }

  take(seg: X12Segment, d: X12Delimiters): void {
    switch (seg.id) {
      case 'ISA': {
        this.isa(seg, d);
        return;
      }
      case 'IEA': {
        this.iea(seg);
        return;
      }
      case 'GS': {
        this.gs(seg);
        return;
      }
      case 'GE': {
        this.ge(seg);
        return;
      }
      case 'ST': {
        this.st(seg);
        return;
      }
      case 'SE': {
        this.se(seg);
        return;
      }
      case 'TA1':
        if (this.ich && !this.group) {
          this.ich.ta1.push(seg);
          return;
        }
        break;
    }
    if (this.tx) {
      this.tx.segments.push(seg);
    } else if (!this.outsideReported) {
      this.outsideReported = true;
      this.err(seg, 'segment outside a transaction set (no open ST); further ones are not reported');
    }
  }

  private isa(seg: X12Segment, d: X12Delimiters): void {
    if (this.ich) {
      this.err(seg, `ISA before the IEA of interchange ${this.ich.controlNumber} (segment ${this.ich.isa.n})`);
      this.closeOpen(seg.n);
    }
    if (seg.n > 1 && seg.elements.length !== 17) this.err(seg, `ISA must have 16 elements, found ${seg.elements.length - 1}`);
    checkIsa(seg.elements, seg.n, this.errors);
    const ich: X12Interchange = {
      controlNumber: el(seg, 13),
      sender: el(seg, 6).trim(),
      receiver: el(seg, 8).trim(),
      version: el(seg, 12),
      isa: seg,
      delimiters: d,
      ta1: [],
      groups: [],
      iea: undefined,
    };
    this.interchanges.push(ich);
    this.ich = ich;
  }

  private gs(seg: X12Segment): void {
    if (!this.ich) {
      this.err(seg, 'GS outside an interchange (no open ISA)');
      return;
    }
    if (this.group) {
      this.err(seg, `GS before the GE of group ${this.group.controlNumber} (segment ${this.group.gs.n})`);
      this.closeGroup(seg.n);
    }
    if (el(seg, 6) === '') this.err(seg, 'GS06 group control number is missing');
    const group: X12FunctionalGroup = {
      functionalId: el(seg, 1),
      controlNumber: el(seg, 6),
      version: el(seg, 8),
      gs: seg,
      transactions: [],
      ge: undefined,
    };
    this.ich.groups.push(group);
    this.group = group;
  }

  private st(seg: X12Segment): void {
    if (!this.group) {
      this.err(seg, 'ST outside a functional group (no open GS)');
      return;
    }
    if (this.tx) {
      this.err(seg, `ST before the SE of transaction set ${this.tx.controlNumber} (segment ${this.tx.st.n})`);
      this.tx = undefined;
    }
    if (el(seg, 1) === '' || el(seg, 2) === '') this.err(seg, 'ST01 (transaction set id) and ST02 (control number) are required');
    const tx: X12TransactionSet = {
      type: el(seg, 1),
      controlNumber: el(seg, 2),
      version: el(seg, 3) || this.group.version,
      st: seg,
      segments: [],
      se: undefined,
    };
    this.group.transactions.push(tx);
    this.tx = tx;
  }

  private se(seg: X12Segment): void {
    const tx = this.tx;
    if (!tx) {
      this.err(seg, 'SE without an open ST');
      return;
    }
    tx.se = seg;
    this.tx = undefined;
    const expected = tx.segments.length + 2;
    if (el(seg, 1) !== String(expected))
      this.err(seg, `SE01 says ${el(seg, 1) || 'nothing'} segments, the transaction set has ${expected}`);
    if (el(seg, 2) !== tx.controlNumber) this.err(seg, `SE02 ${el(seg, 2)} does not match ST02 ${tx.controlNumber} (segment ${tx.st.n})`);
  }

  private ge(seg: X12Segment): void {
    const group = this.group;
    if (!group) {
      this.err(seg, 'GE without an open GS');
      return;
    }
    if (this.tx) this.closeTx(seg.n);
    group.ge = seg;
    this.group = undefined;
    const n = group.transactions.length;
    if (el(seg, 1) !== String(n)) this.err(seg, `GE01 says ${el(seg, 1) || 'nothing'} transaction sets, the group has ${n}`);
    if (el(seg, 2) !== group.controlNumber)
      this.err(seg, `GE02 ${el(seg, 2)} does not match GS06 ${group.controlNumber} (segment ${group.gs.n})`);
  }

  private iea(seg: X12Segment): void {
    const ich = this.ich;
    if (!ich) {
      this.err(seg, 'IEA without an open ISA');
      return;
    }
    if (this.group) this.closeGroup(seg.n);
    ich.iea = seg;
    this.ich = undefined;
    const n = ich.groups.length;
    if (el(seg, 1) !== String(n)) this.err(seg, `IEA01 says ${el(seg, 1) || 'nothing'} functional groups, the interchange has ${n}`);
    if (el(seg, 2) !== ich.controlNumber)
      this.err(seg, `IEA02 ${el(seg, 2)} does not match ISA13 ${ich.controlNumber} (segment ${ich.isa.n})`);
  }

  private closeTx(at: number): void {
    if (!this.tx) return;
    this.errors.push(issue(this.tx.st.n, 'ST', `transaction set ${this.tx.controlNumber} has no SE (next envelope at segment ${at})`));
    this.tx = undefined;
  }

  private closeGroup(at: number): void {
    this.closeTx(at);
    if (!this.group) return;
    this.errors.push(
      issue(this.group.gs.n, 'GS', `functional group ${this.group.controlNumber} has no GE (next envelope at segment ${at})`),
    );
    this.group = undefined;
  }

  private closeOpen(at: number): void {
    this.closeGroup(at);
    this.ich = undefined;
  }

  /** End of file: whatever is still open lacks its trailer. */
  finish(total: number): void {
    if (this.tx)
      this.errors.push(issue(this.tx.st.n, 'ST', `transaction set ${this.tx.controlNumber} has no SE before the end of the file`));
    this.tx = undefined;
    if (this.group)
      this.errors.push(issue(this.group.gs.n, 'GS', `functional group ${this.group.controlNumber} has no GE before the end of the file`));
    this.group = undefined;
    if (this.ich)
      this.errors.push(
        issue(this.ich.isa.n, 'ISA', `interchange ${this.ich.controlNumber} has no IEA before the end of the file (${total} segments)`),
      );
    this.ich = undefined;
  }
}

/** Every transaction set of a document, in file order. */
export function transactionSets(doc: X12Document): X12TransactionSet[] {
  return doc.interchanges.flatMap((i) => i.groups.flatMap((g) => g.transactions));
}
