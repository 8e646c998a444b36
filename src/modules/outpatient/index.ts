export {
  sectionIvFindings,
  serviceLineFindings,
  suggestEmLevel,
  mdmLevel,
  ptpConflicts,
  mueExcess,
  oppsLine,
  ptpActive,
  EM_TABLE,
  MDM_LEVELS,
  PTP_MODIFIERS,
  type OutpatientFinding,
  type OutpatientDiagnosis,
  type ServiceLine,
  type EmInput,
  type EmSuggestion,
  type EmCategory,
  type MdmLevel,
  type PtpConflict,
  type MueExcess,
} from './outpatient.rules.js';
export { checkOutpatientCodes, type OutpatientCheck, type OutpatientCheckInput } from './outpatient.service.js';
export { outpatientRoutes } from './outpatient.routes.js';
export {
  getOutpatientAbstract,
  saveOutpatientDraft,
  finalOutpatient,
  reopenOutpatient,
  listOutpatientAbstractVersions,
  checkOutpatientAbstract,
  type OutpatientAbstractDeps,
  type OutpatientAbstractView,
  type OutpatientSaveResult,
  type OutpatientVersionView,
} from './outpatient-abstract.service.js';
export {
  OutpatientAbstractSchema,
  emptyOutpatientAbstract,
  diagnosesOf,
  defaultEmCategory,
  type OutpatientAbstractData,
  type OutpatientAbstractInput,
  type StoredServiceLine,
} from './outpatient-abstract.rules.js';
/** MPI merges (src/modules/mpi): outpatient abstracts and their versions follow their encounter through this module. */
export { outpatientMergeParticipant } from './outpatient-merge.js';
