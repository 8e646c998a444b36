import type { Delimiters } from './encoding.js';
import { Hl7Error, Hl7ErrorCode } from './hl7-error.js';

/**
 * A parsed segment. `fields[n]` is HL7 field n (1-based; `fields[0]` holds the segment id), as
 * repetitions -> components -> subcomponents, all unescaped. For MSH/FHS/BHS, field 1 is the field
 * separator and field 2 the encoding characters, as the standard counts them.
 */
export interface Hl7Segment {
  name: string;
  fields: string[][][][];
}

/** Explicit HL7 null (`""`): "delete the stored value", as opposed to an empty field, "no change". */
export const HL7_NULL = '""';

/** A parsed message: delimiters, segments in order (Z-segments included). */
export class Hl7Message {
  constructor(
    readonly delimiters: Delimiters,
    readonly segments: readonly Hl7Segment[],
  ) {}

  /** The `occurrence`-th (1-based) segment with this id. */
  segment(name: string, occurrence = 1): Hl7Segment | undefined {
    let seen = 0;
    for (const s of this.segments) if (s.name === name && ++seen === occurrence) return s;
    return undefined;
  }

  /** Every segment with this id, in order. */
  all(name: string): Hl7Segment[] {
    return this.segments.filter((s) => s.name === name);
  }

  /**
   * Value at a terser-style path: `PID-5`, `PID-3[2].4`, `PID-3(2)-4-2`, `IN1(2)-36`; repetition,
   * component and subcomponent default to 1. Empty string when absent.
   */
  get(path: string): string {
    const m = /^([A-Z][A-Z0-9]{2})(?:\((\d+)\))?-(\d+)(?:[[(](\d+)[\])])?(?:[.-](\d+))?(?:[.-](\d+))?$/.exec(path);
    if (!m) throw new Hl7Error(Hl7ErrorCode.applicationInternalError, `bad HL7 path "${path}"`);
    const seg = this.segment(m[1]!, Number(m[2] ?? 1));
    return seg ? value(seg, Number(m[3]), Number(m[4] ?? 1), Number(m[5] ?? 1), Number(m[6] ?? 1)) : '';
  }
}

/** Repetitions of field `n` (empty array when absent or empty). */
export function repetitions(seg: Hl7Segment, n: number): string[][][] {
  const f = seg.fields[n];
  if (!f || (f.length === 1 && f[0]!.length === 1 && f[0]![0]!.length === 1 && f[0]![0]![0] === '')) return [];
  return f;
}

/** One leaf value; 1-based indexes, '' when absent. */
export function value(seg: Hl7Segment, field: number, rep = 1, comp = 1, sub = 1): string {
  return seg.fields[field]?.[rep - 1]?.[comp - 1]?.[sub - 1] ?? '';
}

/** Whole component (subcomponents joined back with `&`-less semantics: first subcomponent). */
export function component(rep: string[][] | undefined, comp: number, sub = 1): string {
  return rep?.[comp - 1]?.[sub - 1] ?? '';
}
