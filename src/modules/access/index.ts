export * from './access.rules.js';
export { requirePermission } from './access.service.js';
export { decideRecordAccess, listShowsDetails, type RecordDecision } from './record-access.rules.js';
export {
  createRecordAccess,
  scopeDetail,
  BREAK_GLASS_HOURS,
  type RecordAccess,
  type RecordAccessDeps,
  type RecordDirectory,
  type RecordFacts,
  type RecordScope,
  type ListScope,
  type RecordTarget,
  type RecordUse,
  type BreakGlassEntry,
} from './record-access.js';
