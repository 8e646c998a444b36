/**
 * The medical model cached under the var folder (`<var>/speech/medical-v<N>/`), beside a fingerprint of what it
 * was built from (format version, the code-set snapshot manifest or data folder, the clinical corpus files' names
 * and sizes, the physicians' names, the build options). Fresh: used as is; stale or missing: rebuilt.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { loadCodeSets } from '../../codesets/index.js';
import { MODEL_MANIFEST } from '../model-dir.js';
import { buildMedicalModel, MEDICAL_MODEL_FORMAT_VERSION, type BuildModelOptions } from './build.js';
import { readClinicalText, textFromCodeSets, type MedicalTextSources } from './sources.js';

export interface MedicalModelOptions {
  /** The official CMS/CDC files (`CUSTODIAN_DATA_DIR`). */
  dataDir: string;
  /** The code-set snapshot (`CUSTODIAN_CODESETS_DIR`); the raw files are read when it is absent. */
  codesetsDir?: string | undefined;
  /** Where the model is cached (`<var>/speech`). */
  cacheDir: string;
  /** CodiEsp (`<split>/text_files_en`); default `<data>/../../corpora/notes-icd10/codiesp`. */
  corpusDir?: string | undefined;
  /** The physicians who dictate (their names join the vocabulary). */
  physicianNames: readonly { given: string; family: string }[];
  /** Rebuild even when the cache is fresh. */
  force?: boolean | undefined;
  build?: BuildModelOptions | undefined;
}

/** CodiEsp beside the shared data, as the CAC commands find it. */
export function defaultCorpusDir(dataDir: string): string {
  return resolve(dataDir, '..', '..', 'corpora', 'notes-icd10', 'codiesp');
}

function filesFingerprint(dir: string): string {
  if (!existsSync(dir)) return 'none';
  const parts: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const s = statSync(p);
      if (s.isDirectory()) walk(p);
      else parts.push(`${p.slice(dir.length)}:${String(s.size)}`);
    }
  };
  walk(dir);
  return createHash('sha256').update(parts.join('\n')).digest('hex');
}

/** The fingerprint of everything the medical model is built from. */
export function medicalModelFingerprint(opts: MedicalModelOptions): string {
  const manifest = opts.codesetsDir === undefined ? undefined : join(opts.codesetsDir, 'manifest.json');
  const codesets =
    manifest !== undefined && existsSync(manifest) ? readFileSync(manifest, 'utf8') : `raw:${filesFingerprint(opts.dataDir)}`;
  const { signal: _signal, progress: _progress, ...buildOptions } = opts.build ?? {};
  return createHash('sha256')
    .update(
      [
        String(MEDICAL_MODEL_FORMAT_VERSION),
        codesets,
        filesFingerprint(opts.corpusDir ?? defaultCorpusDir(opts.dataDir)),
        opts.physicianNames.map((p) => `${p.given} ${p.family}`).join(','),
        JSON.stringify(buildOptions),
      ].join('|'),
    )
    .digest('hex');
}

/** Reads the sources: the code sets (snapshot, else raw files), the corpus, the physicians. */
export async function loadMedicalSources(opts: MedicalModelOptions): Promise<MedicalTextSources> {
  const sets = loadCodeSets({ dataDir: opts.dataDir, snapshotDir: opts.codesetsDir });
  return {
    ...textFromCodeSets(sets),
    clinicalText: await readClinicalText(opts.corpusDir ?? defaultCorpusDir(opts.dataDir)),
    physicianNames: opts.physicianNames.map((p) => ({ given: p.given, family: p.family })),
  };
}

const FINGERPRINT_FILE = 'fingerprint';

/**
 * The medical model's folder (for `transcribeAudio(file, { modelDir })`): the cached one when fresh, else built
 * (about a minute: loading the code sets, counting, espeak-ng for words cmudict lacks) and cached.
 */
export async function ensureMedicalModel(opts: MedicalModelOptions): Promise<{ modelDir: string; built: boolean }> {
  const modelDir = join(opts.cacheDir, `medical-v${String(MEDICAL_MODEL_FORMAT_VERSION)}`);
  const fingerprint = medicalModelFingerprint(opts);
  const stamp = join(modelDir, FINGERPRINT_FILE);
  if (!opts.force && existsSync(join(modelDir, MODEL_MANIFEST)) && existsSync(stamp) && (await readFile(stamp, 'utf8')) === fingerprint)
    return { modelDir, built: false };
  const sources = await loadMedicalSources(opts);
  await buildMedicalModel(sources, modelDir, opts.build);
  await writeFile(stamp, fingerprint);
  return { modelDir, built: true };
}
