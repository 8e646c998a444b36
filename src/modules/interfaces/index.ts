/** The HL7 v2 inbound interface: message store, ADT application, ACKs, MLLP listener, message log. */
export {
  receiveHl7,
  receiveHl7Batch,
  receiveHl7BatchFrame,
  receiveHl7Group,
  reprocessMessage,
  listHl7Messages,
  getHl7Message,
  type InterfaceDeps,
  type ReceiveResult,
  type MessageView,
} from './interface.service.js';
export { MessageStatus } from './hl7-messages.repository.js';
export { startMllpListener, type MllpListenerOptions } from './mllp-listener.js';
export { interfaceRoutes } from './interfaces.routes.js';
