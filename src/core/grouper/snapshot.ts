/**
 * Compiled snapshot of one MS-DRG version's tables: the parsed tables of tables.ts, their code indexes and
 * the Table 6K pair set, as typed arrays in one file that loads with a read and a few views (no TSV
 * parsing, no hashing of 150,000 codes). Kept under the var dir (`<var>/grouper/`), named by a SHA-256 of
 * the table files it was made from (and of SNAPSHOT_FORMAT), so a changed table file is never served
 * stale: the next run parses the files again and writes a new snapshot. Nothing here is needed to group:
 * without a cache folder, or when it cannot be written, the tables are parsed as before.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { CodeIndex, PairSet } from './code-index.js';
import { AttributeSpace, type DxTable, type FormulaRow, type RawTables } from './tables.js';

/** Bump when the layout of RawTables, CodeIndex or PairSet changes (old snapshots are then ignored). */
export const SNAPSHOT_FORMAT = 4;
const MAGIC = 'CUSTGRP1';

type Kind = 'u8' | 'u16' | 'u32' | 'i32';
type Typed = Uint8Array | Uint16Array | Uint32Array | Int32Array;
const BYTES: Readonly<Record<Kind, number>> = { u8: 1, u16: 2, u32: 4, i32: 4 };

interface Header {
  format: number;
  key: string;
  version: string;
  names: string[];
  dxCodes: string;
  prCodes: string;
  hac: [number, string[]][];
  groupNames: string[];
  formulas: FormulaRow[];
  drgTitles: [string, string][];
  mdcTitles: [string, string][];
  dischargeStatus: number[];
  pairWidth: number;
  arrays: Record<string, [Kind, number, number]>;
}

export interface Snapshot {
  raw: RawTables;
  dischargeStatus: Set<number>;
  exclusions: PairSet;
}

/**
 * SHA-256 (hex) of the snapshot format, the version and each table file's path, size, modification time and
 * inode: a stat per file instead of reading and hashing ~7 MB per version at every start (as make decides
 * what is stale). A changed or replaced file has another size, time or inode, so a new key.
 */
export function snapshotKey(version: string, files: readonly string[]): string {
  const h = crypto.createHash('sha256');
  h.update(`${SNAPSHOT_FORMAT}\0${version}\0`);
  for (const f of files) {
    const st = fs.statSync(f, { throwIfNoEntry: false, bigint: true });
    h.update(`${path.resolve(f)}\0${st ? `${st.size}:${st.mtimeNs}:${st.ino}` : '-'}\0`);
  }
  return h.digest('hex');
}

export function snapshotPath(cacheDir: string, version: string, key: string): string {
  return path.join(cacheDir, `msdrg-v${version}-${key.slice(0, 24)}.bin`);
}

function kindOf(a: Typed): Kind {
  if (a instanceof Uint8Array) return 'u8';
  if (a instanceof Uint16Array) return 'u16';
  if (a instanceof Uint32Array) return 'u32';
  return 'i32';
}

function view(buf: Buffer, kind: Kind, offset: number, length: number): Typed {
  const at = buf.byteOffset + offset;
  switch (kind) {
    case 'u8':
      return new Uint8Array(buf.buffer, at, length);
    case 'u16':
      return new Uint16Array(buf.buffer, at, length);
    case 'u32':
      return new Uint32Array(buf.buffer, at, length);
    case 'i32':
      return new Int32Array(buf.buffer, at, length);
  }
}

/**
 * Writes the snapshot (to a temporary file, then renamed); removes older snapshots of the same version. Call it
 * after compileGrouper: the code indexes are stored whole, payloads filled, and load as views with no copy.
 */
export function writeSnapshot(file: string, key: string, raw: RawTables, dischargeStatus: ReadonlySet<number>, exclusions: PairSet): void {
  const { dx, pr } = raw;
  const groupOff = new Uint32Array(raw.exclusionGroups.length + 1);
  raw.exclusionGroups.forEach((g, i) => (groupOff[i + 1] = (groupOff[i] as number) + g.members.length));
  const groupMembers = new Int32Array(groupOff[raw.exclusionGroups.length] as number);
  raw.exclusionGroups.forEach((g, i) => groupMembers.set(g.members, groupOff[i]));
  const arrays: Record<string, Typed> = {
    dxAttrOff: dx.attrOff,
    dxAttrIds: dx.attrIds,
    dxMdc: dx.mdc,
    dxSeverity: dx.severity,
    dxExclGroup: dx.exclGroup,
    dxMale: dx.mdcMale,
    dxFemale: dx.mdcFemale,
    dxSlots: dx.index.slots,
    dxSlotOfRow: dx.index.slotOfRow,
    prAttrOff: pr.attrOff,
    prAttrIds: pr.attrIds,
    prSlots: pr.index.slots,
    prSlotOfRow: pr.index.slotOfRow,
    groupOff,
    groupMembers,
    pairKeys: exclusions.keys,
  };
  const layout: Header['arrays'] = {};
  let size = 0;
  for (const [name, a] of Object.entries(arrays)) {
    layout[name] = [kindOf(a), size, a.length];
    size += Math.ceil(a.byteLength / 8) * 8;
  }
  const hac: [number, string[]][] = [];
  dx.hac.forEach((h, i) => {
    if (h) hac.push([i, [...h]]);
  });
  const header: Header = {
    format: SNAPSHOT_FORMAT,
    key,
    version: raw.version,
    names: raw.attrs.names,
    dxCodes: dx.codes.join(','),
    prCodes: pr.codes.join(','),
    hac,
    groupNames: raw.exclusionGroups.map((g) => g.name),
    formulas: raw.formulas,
    drgTitles: [...raw.drgTitles],
    mdcTitles: [...raw.mdcTitles],
    dischargeStatus: [...dischargeStatus],
    pairWidth: exclusions.width,
    arrays: layout,
  };
  const json = Buffer.from(JSON.stringify(header));
  const start = Math.ceil((MAGIC.length + 4 + json.length) / 8) * 8;
  const out = Buffer.alloc(start + size);
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt32LE(json.length, MAGIC.length);
  json.copy(out, MAGIC.length + 4);
  for (const [name, a] of Object.entries(arrays)) {
    const [, offset] = layout[name] as [Kind, number, number];
    Buffer.from(a.buffer, a.byteOffset, a.byteLength).copy(out, start + offset);
  }
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true });
  const tmp = `${file}.${crypto.randomUUID()}.tmp`; // unique per process and worker thread
  fs.writeFileSync(tmp, out);
  fs.renameSync(tmp, file);
  const prefix = `msdrg-v${raw.version}-`;
  for (const other of fs.readdirSync(dir)) {
    if (other.startsWith(prefix) && other.endsWith('.bin') && other !== path.basename(file))
      fs.rmSync(path.join(dir, other), { force: true });
  }
}

/** Reads a snapshot written by {@link writeSnapshot}; undefined when missing, of another format or key, or damaged. */
export function readSnapshot(file: string, key: string): Snapshot | undefined {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch {
    return undefined;
  }
  if (buf.length < MAGIC.length + 4 || buf.toString('latin1', 0, MAGIC.length) !== MAGIC) return undefined;
  const jsonLength = buf.readUInt32LE(MAGIC.length);
  let header: Header;
  try {
    header = JSON.parse(buf.toString('utf8', MAGIC.length + 4, MAGIC.length + 4 + jsonLength)) as Header;
  } catch {
    return undefined;
  }
  if (header.format !== SNAPSHOT_FORMAT || header.key !== key) return undefined;
  const start = Math.ceil((MAGIC.length + 4 + jsonLength) / 8) * 8;
  // Typed-array views need aligned offsets: copy the (rare) buffer that does not start on a multiple of 8.
  const data = buf.byteOffset % 8 === 0 ? buf : Buffer.from(buf);
  const arrays: Record<string, Typed> = {};
  for (const [name, [kind, offset, length]] of Object.entries(header.arrays)) {
    if (start + offset + length * BYTES[kind] > data.length) return undefined;
    arrays[name] = view(data, kind, start + offset, length);
  }
  const a = (name: string): Typed => {
    const v = arrays[name];
    if (!v) throw new Error(`grouper snapshot ${file}: ${name} missing`);
    return v;
  };
  const u8 = (name: string) => a(name) as Uint8Array;
  const u16 = (name: string) => a(name) as Uint16Array;
  const u32 = (name: string) => a(name) as Uint32Array;
  const i32 = (name: string) => a(name) as Int32Array;
  const dxCodes = header.dxCodes.split(',');
  const prCodes = header.prCodes.split(',');
  const hac = new Array<readonly string[] | undefined>(dxCodes.length);
  for (const [i, h] of header.hac) hac[i] = h;
  const dx: DxTable = {
    index: new CodeIndex(dxCodes, { slots: i32('dxSlots'), slotOfRow: i32('dxSlotOfRow') }),
    codes: dxCodes,
    attrOff: u32('dxAttrOff'),
    attrIds: u16('dxAttrIds'),
    mdc: u8('dxMdc'),
    severity: u8('dxSeverity'),
    exclGroup: i32('dxExclGroup'),
    mdcMale: u8('dxMale'),
    mdcFemale: u8('dxFemale'),
    hac,
  };
  const groupOff = u32('groupOff');
  const groupMembers = i32('groupMembers');
  const raw: RawTables = {
    version: header.version,
    attrs: AttributeSpace.from(header.names),
    dx,
    pr: {
      index: new CodeIndex(prCodes, { slots: i32('prSlots'), slotOfRow: i32('prSlotOfRow') }),
      codes: prCodes,
      attrOff: u32('prAttrOff'),
      attrIds: u16('prAttrIds'),
    },
    exclusionGroups: header.groupNames.map((name, i) => ({
      name,
      members: groupMembers.subarray(groupOff[i] as number, groupOff[i + 1] as number),
    })),
    formulas: header.formulas,
    drgTitles: new Map(header.drgTitles),
    mdcTitles: new Map(header.mdcTitles),
  };
  const exclusions = new PairSet(header.pairWidth, [], 0, i32('pairKeys'));
  return { raw, dischargeStatus: new Set(header.dischargeStatus), exclusions };
}
