export {
  createCodesService,
  defaultEncoderDate,
  defaultDateNotice,
  searchEncoder,
  codeDetails,
  validateCodes,
  pcsBuilder,
  indexBrowse,
  type CodesService,
} from './codes.service.js';
export { codesRoutes } from './codes.routes.js';
