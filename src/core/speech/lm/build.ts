/**
 * Builds the medical speech model: an ARPA 3-gram language model (ngram.ts) and its pronunciation dictionary
 * (pronounce.ts) from the medical text sources (sources.ts), with general English words from Debian's stock
 * model as the unigram background, written to a model folder (`model.json`, `medical.lm`, `medical.dict`).
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MODEL_MANIFEST, type ModelManifest } from '../model-dir.js';
import { STOCK_MODEL_DIR } from '../pocketsphinx.js';
import { DICTATION_PHRASES } from './dictation.js';
import { countNgrams, estimateBackoffModel, writeArpa, type NgramCounts } from './ngram.js';
import { espeakPronunciations, readLexicon, ruleBasedPronunciation, type Lexicon } from './pronounce.js';
import type { MedicalTextSources } from './sources.js';
import { spokenSentences, spokenWords } from './spoken.js';
import { readTrieUnigrams } from './stock-lm.js';

/** Bump when the model's sources, estimation or file layout change, so cached models are rebuilt. */
export const MEDICAL_MODEL_FORMAT_VERSION = 2;

export interface BuildModelOptions {
  /** Debian's pocketsphinx-en-us folder: cmudict and the general model's unigrams. */
  stockDir?: string | undefined;
  /** How many of the most frequent general English words join the vocabulary (default 5000). */
  generalWords?: number | undefined;
  /** Weight of the general English unigrams in the unigram level (default 0.1). */
  generalWeight?: number | undefined;
  /** Minimum count of a 2-gram and a 3-gram to be written (default [1, 1, 2]). */
  cutoffs?: readonly number[] | undefined;
  /** How many times the dictation phrases and the clinical text count (default 4 and 2): spoken style weighs more. */
  weights?: { dictation?: number; clinical?: number; physicians?: number } | undefined;
  /** Use espeak-ng for words cmudict lacks (default true); false uses the letter-to-sound rules. */
  espeak?: boolean | undefined;
  /** Language weight stored in the manifest for recognition. */
  languageWeight?: number | undefined;
  signal?: AbortSignal | undefined;
  progress?: ((message: string) => void) | undefined;
}

/** The spoken sentences of every source, each source repeated by its weight. */
export function medicalSentences(
  sources: MedicalTextSources,
  weights: BuildModelOptions['weights'] = {},
): { sentences: string[][]; bySource: Record<string, number> } {
  const sentences: string[][] = [];
  const bySource: Record<string, number> = {};
  const add = (name: string, list: string[][], times: number): void => {
    for (let i = 0; i < times; i++) sentences.push(...list);
    bySource[name] = list.length;
  };
  add(
    'dictation',
    DICTATION_PHRASES.map((p) => p.split(' ')),
    weights.dictation ?? 4,
  );
  const physicians = sources.physicianNames.flatMap(({ given, family }) =>
    [`doctor ${given} ${family}`, `doctor ${family}`, `this is doctor ${given} ${family}`, `${given} ${family} m d`].map((s) =>
      spokenWords(s),
    ),
  );
  add('physicians', physicians, weights.physicians ?? 4);
  add(
    'codeTitles',
    sources.codeTitles.flatMap((t) => spokenSentences(t)),
    1,
  );
  add(
    'indexTerms',
    sources.indexTerms.flatMap((t) => spokenSentences(t)),
    1,
  );
  add(
    'drugNames',
    sources.drugNames.flatMap((t) => spokenSentences(t)),
    1,
  );
  add(
    'clinicalText',
    sources.clinicalText.flatMap((t) => spokenSentences(t)),
    weights.clinical ?? 2,
  );
  return { sentences, bySource };
}

/** Builds the model into `outDir` (replaced whole: written beside it, then renamed). */
export async function buildMedicalModel(
  sources: MedicalTextSources,
  outDir: string,
  options: BuildModelOptions = {},
): Promise<ModelManifest> {
  const progress = options.progress ?? (() => undefined);
  const stockDir = options.stockDir ?? STOCK_MODEL_DIR;
  const { sentences, bySource } = medicalSentences(sources, options.weights);
  const counts: NgramCounts = countNgrams(sentences, 3);
  progress(`counted ${counts.counts.map((m) => m.size).join('/')} n-grams in ${String(sentences.length)} sentences`);

  const cmudict = await readLexicon(join(stockDir, 'cmudict-en-us.dict'));
  const general = await readTrieUnigrams(join(stockDir, 'en-us.lm.bin'));
  const generalTop = [...general]
    .filter(([w]) => cmudict.has(w))
    .sort((a, b) => b[1] - a[1])
    .slice(0, options.generalWords ?? 5000);
  const wanted = new Set<string>(generalTop.map(([w]) => w));
  for (const key of (counts.counts[0] as Map<string, number>).keys()) if (key !== '</s>') wanted.add(key);
  const lexicon = await pronounceAll([...wanted], cmudict, options);
  progress(`vocabulary ${String(lexicon.size)} words (${String(wanted.size - lexicon.size)} without a pronunciation left out)`);

  const model = estimateBackoffModel(counts, {
    vocabulary: generalTop.map(([w]) => w),
    background: new Map(generalTop.map(([w, lp]) => [w, 10 ** lp])),
    backgroundWeight: options.generalWeight ?? 0.1,
    cutoffs: options.cutoffs ?? [1, 1, 2],
    exclude: (w) => !lexicon.has(w),
  });
  const manifest: ModelManifest = {
    formatVersion: MEDICAL_MODEL_FORMAT_VERSION,
    name: `medical-v${String(MEDICAL_MODEL_FORMAT_VERSION)}`,
    lm: 'medical.lm',
    dict: 'medical.dict',
    ...(options.languageWeight !== undefined ? { languageWeight: options.languageWeight } : {}),
    sources: { ...bySource, ngrams: model.levels.map((l) => l.prob.size), vocabulary: lexicon.size },
  };
  const tmp = `${outDir}.tmp-${String(process.pid)}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  await writeFile(join(tmp, 'medical.lm'), writeArpa(model));
  await writeFile(join(tmp, 'medical.dict'), dictionaryText(lexicon, model.levels[0]?.prob.keys() ?? []));
  await writeFile(join(tmp, MODEL_MANIFEST), JSON.stringify(manifest, null, 2) + '\n');
  await rm(outDir, { recursive: true, force: true });
  await rename(tmp, outDir);
  return manifest;
}

/** cmudict's pronunciations, else espeak-ng's, else the letter rules; words none can say are left out. */
async function pronounceAll(words: string[], cmudict: Lexicon, options: BuildModelOptions): Promise<Lexicon> {
  const lex: Lexicon = new Map();
  const missing: string[] = [];
  for (const w of words) {
    const p = cmudict.get(w);
    if (p) lex.set(w, p);
    else missing.push(w);
  }
  let voiced: Lexicon = new Map();
  if (options.espeak !== false) {
    try {
      voiced = await espeakPronunciations(missing, { signal: options.signal });
    } catch (e) {
      options.progress?.(`espeak-ng unavailable (${(e as Error).message}); using letter-to-sound rules`);
    }
  }
  for (const w of missing) {
    const p =
      voiced.get(w) ??
      (() => {
        const r = ruleBasedPronunciation(w);
        return r === undefined ? undefined : [r];
      })();
    if (p) lex.set(w, p);
  }
  return lex;
}

function dictionaryText(lexicon: Lexicon, modelWords: Iterable<string>): string {
  const lines: string[] = [];
  for (const w of [...modelWords].filter((x) => x !== '</s>' && x !== '<s>').sort()) {
    (lexicon.get(w) ?? []).forEach((p, i) => lines.push(i === 0 ? `${w} ${p}` : `${w}(${String(i + 1)}) ${p}`));
  }
  return lines.join('\n') + '\n';
}
