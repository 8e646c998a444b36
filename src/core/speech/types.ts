import { DomainError, ErrorCode } from '../errors.js';

/** One recognized word: times in seconds from the start of the audio, confidence (posterior probability) 0..1. */
export interface SpeechWord {
  word: string;
  start: number;
  end: number;
  confidence: number;
}

/** What the recognizer heard in one audio file. */
export interface SpeechTranscript {
  /** The words joined by single spaces (utterances too), lower case as the recognizer spells them. */
  text: string;
  words: SpeechWord[];
  durationSeconds: number;
  /** Engine and language model, e.g. `pocketsphinx-0.8/medical-v1`. */
  engine: string;
}

/** Why a file could not be transcribed. */
export const SpeechProblem = {
  /** No such file, a folder, or no permission. */
  unreadable: 'unreadable',
  /** A file of zero bytes. */
  empty: 'empty',
  /** Not audio ffmpeg can decode: corrupt, truncated before any audio, or a format it does not know. */
  undecodable: 'undecodable',
  /** A file without an audio stream (an image, a silent video). */
  noAudio: 'no_audio',
  /** ffmpeg or pocketsphinx (or its model) is missing or failed. */
  engine: 'engine',
  /** The caller's AbortSignal fired. */
  aborted: 'aborted',
} as const;
export type SpeechProblem = (typeof SpeechProblem)[keyof typeof SpeechProblem];

/**
 * The domain error of speech work: `problem` says what is wrong, the message names the file (its base name) and
 * the problem in words. A file the user gave is `invalid`; a missing engine is `precondition_failed`.
 */
export class SpeechError extends DomainError {
  constructor(
    readonly problem: SpeechProblem,
    message: string,
  ) {
    super(problem === SpeechProblem.engine ? ErrorCode.preconditionFailed : ErrorCode.invalid, message, { problem });
    this.name = 'SpeechError';
  }
}
