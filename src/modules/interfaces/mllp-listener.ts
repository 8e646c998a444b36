import { createMllpServer, type MllpServer } from '../../core/hl7/index.js';
import { isoNow } from '../../core/shared/clock.js';
import { newId } from '../../core/shared/ids.js';
import { receiveHl7, type InterfaceDeps } from './interface.service.js';
import { insertMessage, MessageStatus } from './hl7-messages.repository.js';

/**
 * The MLLP listener of `custodian serve --mllp-port N`: one message at a time per connection, each answered
 * with the ACK of receiveHl7 (sent only after the commit). A frame that arrives broken (cut off, too large) is
 * stored too, as rejected, so nothing received is lost.
 */
export async function startMllpListener(deps: InterfaceDeps & { logger?: { warn(o: object, msg: string): void } }, opts: { port: number; host?: string }): Promise<MllpServer> {
  return createMllpServer({
    port: opts.port,
    host: opts.host ?? '0.0.0.0',
    now: () => deps.clock.now(),
    onMessage: async (raw) => (await receiveHl7(deps, raw, { channel: 'mllp' })).ack,
    onFrameError: (reason, raw) => {
      void insertMessage(deps.db, {
        id: newId(), received_at: isoNow(deps.clock), channel: 'mllp', control_id: null, sending_application: null, sending_facility: null, message_type: null,
        trigger_event: null, version: null, status: MessageStatus.rejected, ack_code: 'AR', error_code: '207', error_text: reason, raw, patient_id: null, attempts: 1,
        processed_at: isoNow(deps.clock),
      }).catch(() => deps.logger?.warn({ reason }, 'a broken MLLP frame could not be stored'));
    },
  });
}
