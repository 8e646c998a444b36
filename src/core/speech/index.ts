/**
 * Public surface of local speech recognition (issue 23): `transcribeAudio(file, { modelDir })` decodes any audio
 * with ffmpeg and recognizes it with pocketsphinx, answering words with times and confidences.
 */
export { SpeechError, SpeechProblem, type SpeechTranscript, type SpeechWord } from './types.js';
export { decodeAudio, wavFromPcm, SAMPLE_RATE, type DecodedAudio, type DecodeOptions } from './decode.js';
export { recognizePcm, parseTimedOutput, stockModel, STOCK_MODEL_DIR, type SpeechModel, type RecognizeOptions } from './pocketsphinx.js';
export { transcribeAudio, transcribeFiles, ENGINE, type TranscribeOptions, type TranscribeResult } from './transcribe.js';
export { readModelDir, modelManifestSchema, MODEL_MANIFEST, type ModelManifest } from './model-dir.js';
export { wordErrorRate, corpusWordErrorRate, countWordErrors, normalizeWords, type WordErrors } from './wer.js';
export { synthesizeSpeech, addPinkNoise, type SynthOptions } from './synth.js';
export { ensureMedicalModel, loadMedicalSources, medicalModelFingerprint, defaultCorpusDir, type MedicalModelOptions } from './lm/store.js';
export { buildMedicalModel, medicalSentences, MEDICAL_MODEL_FORMAT_VERSION, type BuildModelOptions } from './lm/build.js';
export { textFromCodeSets, readClinicalText, type MedicalTextSources } from './lm/sources.js';
export {
  countNgrams,
  estimateBackoffModel,
  writeArpa,
  logProb,
  type NgramCounts,
  type BackoffModel,
  type EstimateOptions,
} from './lm/ngram.js';
export { spokenSentences, spokenWords, numberToWords } from './lm/spoken.js';
export { espeakToCmu, espeakPronunciations, ruleBasedPronunciation, parseLexicon, readLexicon, type Lexicon } from './lm/pronounce.js';
export { readTrieUnigrams } from './lm/stock-lm.js';
