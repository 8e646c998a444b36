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
