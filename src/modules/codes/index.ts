export {
  createCodesService,
  defaultEncoderDate,
  defaultDateNotice,
  searchEncoder,
  codeDetails,
  validateCodes,
  pcsBuilder,
  indexBrowse,
  levelTwoModifiers,
  outpatientReleases,
  encoderCall,
  type CodesService,
  type EncoderSystem,
} from './codes.service.js';
export { codesRoutes } from './codes.routes.js';
