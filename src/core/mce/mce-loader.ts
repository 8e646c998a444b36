import { existsSync, readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createCodeEditor, type CodeEditor } from './mce-editor.js';
import { parseMceTables } from './mce-tables.js';

/**
 * Reads an MCE release from the CMS data folder. A release is a folder `mce-NN.N` holding
 * i10dx_master.tsv, i10sg_master.tsv, age_ranges.tsv and discharge_status.tsv (layout of
 * ../shared/data/cms/fy2026/grouper-derived/mce-43.1); a new CMS release is a new folder, not new code.
 */

const TABLE_FILES = {
  dx: 'i10dx_master.tsv',
  sg: 'i10sg_master.tsv',
  ageRanges: 'age_ranges.tsv',
  dischargeStatus: 'discharge_status.tsv',
} as const;

export interface LoadCodeEditorOptions {
  /** release to load, e.g. "43.1"; default: the highest `mce-NN.N` folder found */
  readonly release?: string;
  /** override the last discharge date the release edits (YYYYMMDD) */
  readonly lastDischargeDate?: number;
}

const RELEASE_DIR = /^mce-(\d+)\.(\d+)$/;

function listDirs(dir: string): string[] {
  try {
    return readdirSync(dir).filter((n) => statSync(path.join(dir, n)).isDirectory());
  } catch {
    return [];
  }
}

/** Every `mce-NN.N` folder up to three levels below `dataDir` (e.g. fy2026/grouper-derived/mce-43.1). */
export function findMceReleases(dataDir: string): { release: string; dir: string }[] {
  const found: { release: string; dir: string }[] = [];
  const walk = (dir: string, depth: number): void => {
    for (const name of listDirs(dir)) {
      const full = path.join(dir, name);
      const m = RELEASE_DIR.exec(name);
      if (m) found.push({ release: `${m[1]}.${m[2]}`, dir: full });
      else if (depth < 3) walk(full, depth + 1);
    }
  };
  walk(dataDir, 0);
  const key = (r: string): number => r.split('.').reduce((acc, n) => acc * 1000 + Number(n), 0);
  return found.sort((a, b) => key(a.release) - key(b.release));
}

function resolveReleaseDir(dataDir: string, release: string | undefined): { release: string; dir: string } {
  if (existsSync(path.join(dataDir, TABLE_FILES.dx))) {
    const m = RELEASE_DIR.exec(path.basename(dataDir));
    return { release: release ?? (m ? `${m[1]}.${m[2]}` : 'unknown'), dir: dataDir };
  }
  const releases = findMceReleases(dataDir);
  const pick = release === undefined ? releases.at(-1) : releases.find((r) => r.release === release);
  if (pick === undefined) {
    const what = release === undefined ? 'no mce-NN.N folder' : `no mce-${release} folder`;
    throw new Error(`${what} under data dir ${dataDir}`);
  }
  return pick;
}

async function readTable(dir: string, file: string): Promise<string> {
  try {
    return await readFile(path.join(dir, file), 'utf8');
  } catch (err) {
    throw new Error(`cannot read MCE table ${path.join(dir, file)}: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * Loads a code editor. `dataDir` is the CMS data folder (searched for `mce-NN.N` folders; the server and the CLI
 * pass CUSTODIAN_DATA_DIR from the config) or a release folder itself.
 */
export async function loadCodeEditor(dataDir: string, opts: LoadCodeEditorOptions = {}): Promise<CodeEditor> {
  const { release, dir } = resolveReleaseDir(dataDir, opts.release);
  const [dx, sg, ageRanges, dischargeStatus] = await Promise.all([
    readTable(dir, TABLE_FILES.dx),
    readTable(dir, TABLE_FILES.sg),
    readTable(dir, TABLE_FILES.ageRanges),
    readTable(dir, TABLE_FILES.dischargeStatus),
  ]);
  const tables = parseMceTables({ dx, sg, ageRanges, dischargeStatus });
  return createCodeEditor(tables, { release, source: dir, lastDischargeDate: opts.lastDischargeDate });
}
