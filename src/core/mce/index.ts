/** Medicare Code Editor (MCE): the public surface. See README.md. */
export { editClaim, type MceCodeEdits, type MceResult } from './mce-engine.js';
export { Edit, MCE_EDIT_NAMES, MceEditType, editTypeOf, type MceEditName } from './mce-edits.js';
export { createCodeEditor, parseDischargeDate, type CodeEditor, type CreateCodeEditorOptions } from './mce-editor.js';
export { findMceReleases, loadCodeEditor, type LoadCodeEditorOptions } from './mce-loader.js';
export { parseMceTables, type MceTables, type MceTableTexts } from './mce-tables.js';
export { DxFlag, SgFlag } from './mce-flags.js';
export { runMceBatch, toMceOutputLine, type MceBatchOptions, type MceBatchSummary } from './mce-batch.js';
export { benchmarkMce, readClaimsJsonl, type MceBenchmarkOptions, type MceBenchmarkResult } from './mce-bench.js';
