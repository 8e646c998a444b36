/** The HL7 v2 inbound interface: message store, ADT and MDM application, ACKs, MLLP listener, message log. */
export {
  receiveHl7,
  receiveHl7Batch,
  receiveHl7BatchFrame,
  receiveHl7Group,
  type InterfaceDeps,
  type ReceiveResult,
} from './interface.service.js';
export { reprocessMessage, listHl7Messages, getHl7Message, type MessageView } from './hl7-log.service.js';
export { createFacilityDirectory, type FacilityDirectory } from './facility-directory.js';
export type { MdmDocuments, MdmDocument, MdmNewDocument, MdmNewVersion, MdmContent } from './mdm.port.js';
export { NO_MDM_SETTINGS, LOINC_OF_HL7_DOCUMENT_TYPE, type MdmSettings } from './mdm.rules.js';
export { MessageStatus } from './hl7-messages.repository.js';
export { startMllpListener, type MllpListenerOptions } from './mllp-listener.js';
export { interfaceRoutes } from './interfaces.routes.js';
/** Aggregates for the director's dashboard (src/modules/reports). */
export { interfaceHealth, type InterfaceHealth } from './interface-health.js';
