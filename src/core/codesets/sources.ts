/**
 * Finds the official files in a data directory and reads them (gzip and zip members included). This is the
 * only module of the code-set library that touches the file system besides the snapshot store.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { unzipSync } from 'fflate';
import { CodeSetFileError } from './errors.js';

/** A file (or zip member) found in the data directory, with the fiscal year its name says it belongs to. */
export interface SourceFile {
  kind:
    | 'cm-order'
    | 'cm-chapters'
    | 'cm-sections'
    | 'cm-categories'
    | 'cm-tabular'
    | 'cm-index-xml'
    | 'cm-index-csv'
    | 'cm-eindex'
    | 'cm-drug'
    | 'cm-neoplasm'
    | 'pcs-tables'
    | 'pcs-definitions'
    | 'mce-dx'
    | 'mce-pcs'
    | 'hcpcs';
  /** Path relative to the data dir; zip members as "archive.zip!member.xml". */
  name: string;
  fiscalYear: number;
  /** Release date in the name ("2026-04-01"), or the fiscal year's first day. */
  releaseDate: string;
  excerpt: boolean;
  size: number;
  mtimeMs: number;
}

const PATTERNS: [SourceFile['kind'], RegExp][] = [
  ['cm-order', /^icd10cm_order_(\d{4}(?:-\d{2}-\d{2})?)\.txt(\.gz)?$/i],
  ['cm-chapters', /^icd10cm-chapters-(.+)\.csv$/i],
  ['cm-sections', /^icd10cm-sections-(.+)\.csv$/i],
  ['cm-categories', /^icd10cm-categories-(.+)\.csv$/i],
  ['cm-tabular', /^icd10cm_tabular_(\d{4}(?:-\d{2}-\d{2})?)(_EXCERPT.*)?\.xml(\.gz)?$/i],
  ['cm-index-xml', /^icd10cm_index_(\d{4}(?:-\d{2}-\d{2})?)\.xml(\.gz)?$/i],
  ['cm-index-csv', /^ICD10CM_(\d{4})_Index\.csv(\.gz)?$/i],
  ['cm-eindex', /^icd10cm_eindex_(\d{4}(?:-\d{2}-\d{2})?)\.xml(\.gz)?$/i],
  ['cm-drug', /^icd10cm_drug_(\d{4}(?:-\d{2}-\d{2})?)\.xml(\.gz)?$/i],
  ['cm-neoplasm', /^icd10cm_neoplasm_(\d{4}(?:-\d{2}-\d{2})?)\.xml(\.gz)?$/i],
  ['pcs-tables', /^icd10pcs_tables_(\d{4})\.xml$/i],
  ['pcs-definitions', /^icd10pcs_definitions_(\d{4})\.xml$/i],
  ['mce-dx', /^i10dx_master\.tsv$/],
  ['mce-pcs', /^i10sg_master\.tsv$/],
];

const MONTHS: Record<string, string> = { january: '01', april: '04', october: '10' };

/** Fiscal year and release date from a name part: "2026" -> FY2026 from 2025-10-01; "2026-04-01" -> FY2026 from 2026-04-01. */
export function fiscalYearOf(token: string): { fiscalYear: number; releaseDate: string } | undefined {
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(token);
  if (m) {
    const y = Number(m[1]);
    return { fiscalYear: Number(m[2]) >= 10 ? y + 1 : y, releaseDate: token };
  }
  m = /^(april|october|january)-(\d+)-(\d{4})$/i.exec(token);
  if (m) {
    const mm = MONTHS[(m[1] ?? '').toLowerCase()] ?? '01';
    return fiscalYearOf(`${m[3] ?? ''}-${mm}-${(m[2] ?? '1').padStart(2, '0')}`);
  }
  m = /^(\d{4})$/.exec(token);
  if (m) return { fiscalYear: Number(m[1]), releaseDate: `${Number(m[1]) - 1}-10-01` };
  return undefined;
}

const HCPCS_MONTHS: Record<string, string> = { JAN: '01', APR: '04', JUL: '07', OCT: '10' };
/** CMS HCPCS Level II alpha-numeric file: "HCPC2026_JAN_ANWEB_01122026.txt" (the year and quarter it takes effect). */
const HCPCS_FILE = /^HCPC(\d{4})_(JAN|APR|JUL|OCT)_ANWEB(?:_[\w]*)?\.txt(\.gz)?$/i;

function classify(base: string, dirFy: number | undefined): Omit<SourceFile, 'name' | 'size' | 'mtimeMs'> | undefined {
  const h = HCPCS_FILE.exec(base);
  if (h) {
    // Calendar-year quarterly releases; `fiscalYear` holds the calendar year for this kind.
    const month = HCPCS_MONTHS[(h[2] ?? '').toUpperCase()] ?? '01';
    return { kind: 'hcpcs', fiscalYear: Number(h[1]), releaseDate: `${h[1] ?? ''}-${month}-01`, excerpt: false };
  }
  for (const [kind, re] of PATTERNS) {
    const m = re.exec(base);
    if (!m) continue;
    const fy = m[1] !== undefined ? fiscalYearOf(m[1]) : undefined;
    const fiscalYear = fy?.fiscalYear ?? dirFy;
    if (fiscalYear === undefined) return undefined;
    return { kind, fiscalYear, releaseDate: fy?.releaseDate ?? `${fiscalYear - 1}-10-01`, excerpt: /EXCERPT/i.test(base) };
  }
  return undefined;
}

/** Lists every recognised file under `dataDir` (recursively, zip members included). */
export function discoverSources(dataDir: string): SourceFile[] {
  const out: SourceFile[] = [];
  const walk = (dir: string, dirFy: number | undefined): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      const fyDir = /^fy(\d{4})$/i.exec(entry.name);
      if (entry.isDirectory()) {
        walk(full, fyDir ? Number(fyDir[1]) : dirFy);
        continue;
      }
      const rel = path.relative(dataDir, full);
      const st = statSync(full);
      if (/\.zip$/i.test(entry.name)) {
        // List the members without inflating them (the filter sees each entry's header and declines it).
        unzipSync(readFileSync(full), {
          filter: (f) => {
            const c = classify(path.basename(f.name), dirFy);
            if (c) out.push({ ...c, name: `${rel}!${f.name}`, size: f.originalSize, mtimeMs: st.mtimeMs });
            return false;
          },
        });
        continue;
      }
      const c = classify(entry.name, dirFy);
      if (c) out.push({ ...c, name: rel, size: st.size, mtimeMs: st.mtimeMs });
    }
  };
  try {
    walk(dataDir, undefined);
  } catch (err) {
    throw new CodeSetFileError('not_found', dataDir, undefined, `cannot read data directory: ${(err as Error).message}`);
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** Reads a discovered file as text (UTF-8 unless told: the HCPCS file is Windows-1252), decompressing .gz and extracting zip members. */
export function readSourceText(dataDir: string, file: SourceFile, encoding = 'utf-8'): string {
  const [archive, member] = file.name.split('!');
  const full = path.join(dataDir, archive ?? '');
  try {
    if (member !== undefined) {
      const entries = unzipSync(readFileSync(full), { filter: (f) => f.name === member });
      const bytes = entries[member];
      if (!bytes) throw new Error(`member ${member} not in archive`);
      return new TextDecoder(encoding).decode(bytes);
    }
    const buf = readFileSync(full);
    return new TextDecoder(encoding).decode(/\.gz$/i.test(full) ? gunzipSync(buf) : buf);
  } catch (err) {
    if (err instanceof CodeSetFileError) throw err;
    throw new CodeSetFileError('invalid', file.name, undefined, `cannot read: ${(err as Error).message}`);
  }
}
