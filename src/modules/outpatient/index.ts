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
