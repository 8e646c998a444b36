/**
 * The file side of CAC: reading a CodiEsp split (English text files and gold *D.tsv / *P.tsv), and the built
 * knowledge cached as one v8 file (`<var>/cac/knowledge.v8`) beside a fingerprint of what it was built from (the
 * code-set snapshot's manifest, the corpus files' names and sizes, the format version). Stale or missing: rebuilt.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { CodeSets } from '../codesets/index.js';
import { CAC_FORMAT_VERSION, buildClassificationKnowledge } from './knowledge.js';
import { learnFromCorpus, type CodedDocument } from './learn.js';
import type { CacKnowledge, CacSystem } from './types.js';

/** CodiEsp codes are lower case with dots ("i50.23", "0dtj4zz"); ours are upper case without. */
export function normalizeCorpusCode(code: string): string {
  return code.trim().toUpperCase().replace(/\./g, '');
}

/**
 * Reads one CodiEsp split folder (`train`, `dev`): `text_files_en/<doc>.txt` and `<split>D.tsv` (diagnoses),
 * `<split>P.tsv` (procedures), one "doc<TAB>code" a line. Documents in file-name order; codes in file order, once.
 */
export function readCodiEspSplit(dir: string): CodedDocument[] {
  const split = path.basename(dir);
  const codes = new Map<string, { code: string; system: CacSystem }[]>();
  for (const [suffix, system] of [
    ['D', 'cm'],
    ['P', 'pcs'],
  ] as const) {
    const file = path.join(dir, `${split}${suffix}.tsv`);
    if (!existsSync(file)) continue;
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const [doc, code] = line.split('\t');
      if (!doc || !code) continue;
      const list = codes.get(doc) ?? [];
      const c = normalizeCorpusCode(code);
      if (!list.some((x) => x.code === c && x.system === system)) list.push({ code: c, system });
      codes.set(doc, list);
    }
  }
  const textDir = path.join(dir, 'text_files_en');
  return readdirSync(textDir)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) => {
      const name = f.slice(0, -4);
      return { name, text: readFileSync(path.join(textDir, f), 'utf8'), codes: codes.get(name) ?? [] };
    });
}

function corpusFingerprint(trainDir: string | undefined): string {
  if (trainDir === undefined || !existsSync(trainDir)) return 'none';
  const h = createHash('sha256');
  const walk = (d: string): void => {
    for (const f of readdirSync(d).sort()) {
      const p = path.join(d, f);
      const s = statSync(p);
      if (s.isDirectory()) walk(p);
      else h.update(`${path.relative(trainDir, p)}:${s.size}\n`);
    }
  };
  walk(trainDir);
  return h.digest('hex').slice(0, 16);
}

/** Builds the knowledge: the classification's rules, then (when a corpus split is given) learning and calibration on it. */
export function buildCacKnowledge(sets: CodeSets, trainDir?: string): CacKnowledge {
  const k = buildClassificationKnowledge(sets);
  return trainDir !== undefined && existsSync(trainDir) ? learnFromCorpus(k, readCodiEspSplit(trainDir), trainDir) : k;
}

export interface LoadKnowledgeOptions {
  /** The code sets, loaded only when the knowledge must be built. */
  sets: () => CodeSets;
  /** Fingerprint of the code sets (e.g. the snapshot's manifest text). */
  codesetsFingerprint: string;
  /** CodiEsp train split (folder holding text_files_en and trainD.tsv); absent: classification rules only. */
  trainDir?: string | undefined;
  /** Cache folder (`<var>/cac`); absent: build, no cache. */
  cacheDir?: string | undefined;
  /** Rebuild even when the cache is fresh. */
  force?: boolean;
}

/** The knowledge from the cache when it is fresh, else built (and cached). `built` says which. */
export function loadCacKnowledge(opts: LoadKnowledgeOptions): { knowledge: CacKnowledge; built: boolean; file?: string } {
  const fingerprint = createHash('sha256')
    .update(`${CAC_FORMAT_VERSION}|${opts.codesetsFingerprint}|${corpusFingerprint(opts.trainDir)}`)
    .digest('hex');
  const file = opts.cacheDir === undefined ? undefined : path.join(opts.cacheDir, 'knowledge.v8');
  const stamp = file === undefined ? undefined : `${file}.fingerprint`;
  if (!opts.force && file && stamp && existsSync(file) && existsSync(stamp) && readFileSync(stamp, 'utf8') === fingerprint)
    return { knowledge: readCacKnowledge(file), built: false, file };
  const knowledge = buildCacKnowledge(opts.sets(), opts.trainDir);
  if (file && stamp) {
    writeCacKnowledge(file, knowledge);
    writeFileSync(stamp, fingerprint);
  }
  return { knowledge, built: true, ...(file ? { file } : {}) };
}

/** Writes built knowledge to one v8 file (atomically). */
export function writeCacKnowledge(file: string, knowledge: CacKnowledge): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, serialize(knowledge));
  renameSync(tmp, file);
}

/** Reads knowledge written by `writeCacKnowledge` (refusing another format version). */
export function readCacKnowledge(file: string): CacKnowledge {
  const k = deserialize(readFileSync(file)) as CacKnowledge;
  if (k.formatVersion !== CAC_FORMAT_VERSION)
    throw new Error(
      `${file}: CAC knowledge format ${String(k.formatVersion)}, expected ${CAC_FORMAT_VERSION}: rebuild it with \`custodian cac build\``,
    );
  return k;
}
