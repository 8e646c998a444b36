/**
 * Open-addressing hash index from ICD-10 code (up to 7 letters/digits, case-insensitive) to row number.
 * Much faster than Map<string, number> on 75k-79k codes: the key is computed from the characters
 * (base 37, no string hashing or allocation) and probed in flat typed arrays.
 */
const EMPTY = -1;

/** Value 1..36 of a code character (digits, then letters in either case), 0 when not alphanumeric. */
function charValue(ch: number): number {
  if (ch >= 48 && ch <= 57) return ch - 47; // 0-9 -> 1..10
  if (ch >= 65 && ch <= 90) return ch - 54; // A-Z -> 11..36
  if (ch >= 97 && ch <= 122) return ch - 86; // a-z -> 11..36
  return 0;
}

/** Ints per slot: keyA, keyB, row, then three payload values chosen by the table (see {@link CodeIndex.setPayload}). */
export const SLOT = 6;

export class CodeIndex {
  /**
   * Slots of [keyA, keyB, row, payload x3] next to each other, so a lookup and the code's most used
   * facts (severity, attribute range) cost one cache miss.
   */
  readonly slots: Int32Array;
  private readonly mask: number;
  readonly size: number;
  /** Slot offset of each row (for filling the payload). */
  readonly slotOfRow: Int32Array;

  /** An index over `codes`, or (with `restore`) the arrays of an index built before (see snapshot.ts). */
  constructor(codes: readonly string[], restore?: { slots: Int32Array; slotOfRow: Int32Array }) {
    if (restore) {
      this.slots = restore.slots;
      this.slotOfRow = restore.slotOfRow;
      this.mask = restore.slots.length / SLOT - 1;
      this.size = restore.slotOfRow.length;
      return;
    }
    let cap = 16;
    while (cap < codes.length * 2) cap *= 2;
    this.mask = cap - 1;
    this.slots = new Int32Array(cap * SLOT);
    for (let k = 2; k < this.slots.length; k += SLOT) this.slots[k] = EMPTY;
    this.size = codes.length;
    this.slotOfRow = new Int32Array(codes.length).fill(-1);
    codes.forEach((code, i) => {
      if (!this.insert(code, i)) throw new Error(`code ${code} cannot be indexed (1-7 letters or digits)`);
    });
  }

  /** Stores three payload values beside a row's key. */
  setPayload(row: number, p0: number, p1: number, p2: number): void {
    const at = this.slotOfRow[row] as number;
    if (at < 0) return;
    this.slots[at + 3] = p0;
    this.slots[at + 4] = p1;
    this.slots[at + 5] = p2;
  }

  /** Slot offset of a code (row at +2, payload at +3..+5), or -1. */
  find(code: string): number {
    const n = code.length;
    if (n < 1 || n > 7) return -1;
    let a = 0;
    let b = 0;
    for (let k = 0; k < 7; k++) {
      let v = 0;
      if (k < n) {
        v = charValue(code.charCodeAt(k));
        if (v === 0) return -1;
      }
      if (k < 4) a = a * 37 + v;
      else b = b * 37 + v;
    }
    let h = (Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca6b)) & this.mask;
    const t = this.slots;
    for (;;) {
      const at = h * SLOT;
      if (t[at + 2] === EMPTY) return -1;
      if (t[at] === a && t[at + 1] === b) return at;
      h = (h + 1) & this.mask;
    }
  }

  private insert(code: string, row: number): boolean {
    const n = code.length;
    if (n < 1 || n > 7) return false;
    let a = 0;
    let b = 0;
    for (let k = 0; k < 7; k++) {
      const v = k < n ? charValue(code.charCodeAt(k)) : 0;
      if (k < n && v === 0) return false;
      if (k < 4) a = a * 37 + v;
      else b = b * 37 + v;
    }
    let h = (Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca6b)) & this.mask;
    const t = this.slots;
    while (t[h * SLOT + 2] !== EMPTY) {
      if (t[h * SLOT] === a && t[h * SLOT + 1] === b) return true; // duplicate code: keep the first row
      h = (h + 1) & this.mask;
    }
    t[h * SLOT] = a;
    t[h * SLOT + 1] = b;
    t[h * SLOT + 2] = row;
    this.slotOfRow[row] = h * SLOT;
    return true;
  }

  /** Row of a code, or -1 when absent or malformed. */
  get(code: string): number {
    const at = this.find(code);
    return at < 0 ? -1 : (this.slots[at + 2] as number);
  }
}

/**
 * Set of (group, code) pairs in one flat open-addressing table: "is secondary dx `code` in CC-exclusion
 * group `group`?" costs one hash probe instead of a lookup in one of thousands of Set objects.
 */
export class PairSet {
  readonly keys: Int32Array;
  private readonly mask: number;

  /** A set of `count` pairs, or (with `restoreKeys`) the table of a set built before (see snapshot.ts). */
  constructor(
    readonly width: number,
    pairs: Iterable<readonly [number, number]>,
    count: number,
    restoreKeys?: Int32Array,
  ) {
    if (restoreKeys) {
      this.keys = restoreKeys;
      this.mask = restoreKeys.length - 1;
      return;
    }
    let cap = 16;
    while (cap < count * 2) cap *= 2;
    this.mask = cap - 1;
    this.keys = new Int32Array(cap);
    for (const [group, code] of pairs) {
      const key = group * width + code + 1;
      let h = Math.imul(key, 0x9e3779b1) & this.mask;
      while (this.keys[h] !== 0 && this.keys[h] !== key) h = (h + 1) & this.mask;
      this.keys[h] = key;
    }
  }

  has(group: number, code: number): boolean {
    const key = group * this.width + code + 1;
    let h = Math.imul(key, 0x9e3779b1) & this.mask;
    for (;;) {
      const k = this.keys[h] as number;
      if (k === key) return true;
      if (k === 0) return false;
      h = (h + 1) & this.mask;
    }
  }
}
