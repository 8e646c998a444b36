/** OCR of scanned pages and images: the engine, its port for the documents module, and the `document.ocr` job. */
export { createOcrEngine, type OcrEngine, type OcrEngineOptions, type OcrPort, type RecognizeOptions } from './ocr.service.js';
export { DeskewMethod, UnreadableContentError } from './ocr.pages.js';
export { createOcrJobHandler, OCR_JOB_KIND, type OcrJobDeps, type OcrJobResult } from './ocr.job.js';
export {
  OcrSetupError,
  debianPackageOf,
  describeMissingTool,
  findMissingOcrTools,
  type MissingOcrTool,
  type OcrTool,
  type OcrToolPaths,
} from './ocr.tools.js';
export {
  OcrMediaType,
  characterErrorRate,
  countTiffPages,
  detectMediaType,
  levenshtein,
  normalizeWhitespace,
  wordBoxesFromTsv,
  type OcrPage,
  type WordBox,
  type OcrResult,
} from './ocr.rules.js';
