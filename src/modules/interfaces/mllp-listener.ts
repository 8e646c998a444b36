import { createMllpServer, isBatch, type MllpServer } from '../../core/hl7/index.js';
import { isoNow } from '../../core/shared/clock.js';
import { newId } from '../../core/shared/ids.js';
import { GROUP_MAX, receiveHl7, receiveHl7BatchFrame, receiveHl7Group, type InterfaceDeps } from './interface.service.js';
import { insertMessage, MessageStatus } from './hl7-messages.repository.js';

export interface MllpListenerOptions {
  port: number;
  host?: string;
  /** See MllpServerOptions (src/core/hl7/mllp-server.ts); unset means MLLP_DEFAULT_LIMITS. */
  idleTimeoutMs?: number;
  maxConnections?: number;
  maxMessageBytes?: number;
}

/**
 * The MLLP listener of `custodian serve --mllp-port N`: messages of a connection in arrival order, each answered
 * with its ACK only after the commit; what a pipelining sender has queued meanwhile is committed as one group. A frame
 * that holds a batch (FHS/BHS ... BTS/FTS) is answered with a batch of ACKs, one per message. A frame that arrives
 * broken (cut off, too large) is stored too, as rejected, before its AR, so nothing received is lost. Limits (idle
 * timeout, connections, message size) come from the settings through `custodian serve`.
 */
export async function startMllpListener(
  deps: InterfaceDeps & { logger?: { warn(o: object, msg: string): void } },
  opts: MllpListenerOptions,
): Promise<MllpServer> {
  return createMllpServer({
    port: opts.port,
    host: opts.host ?? '0.0.0.0',
    ...(opts.idleTimeoutMs !== undefined ? { idleTimeoutMs: opts.idleTimeoutMs } : {}),
    ...(opts.maxConnections !== undefined ? { maxConnections: opts.maxConnections } : {}),
    ...(opts.maxMessageBytes !== undefined ? { maxMessageBytes: opts.maxMessageBytes } : {}),
    onConnectionRefused: () =>
      deps.logger?.warn({ maxConnections: opts.maxConnections }, 'MLLP connection refused: too many connections open'),
    now: () => deps.clock.now(),
    onMessage: async (raw) =>
      isBatch(raw)
        ? (await receiveHl7BatchFrame(deps, raw, { channel: 'mllp' })).ack
        : (await receiveHl7(deps, raw, { channel: 'mllp' })).ack,
    // Messages a pipelining sender has queued are committed together (group commit), then acknowledged in order;
    // a frame that holds a batch (FHS/BHS) is received on its own and answered with a batch of ACKs.
    onMessages: async (raws) => {
      if (!raws.some(isBatch)) return (await receiveHl7Group(deps, raws, { channel: 'mllp' })).map((r) => r.ack);
      const acks: string[] = [];
      let run: string[] = [];
      const flush = async () => {
        if (run.length > 0) for (const r of await receiveHl7Group(deps, run, { channel: 'mllp' })) acks.push(r.ack);
        run = [];
      };
      for (const raw of raws) {
        if (!isBatch(raw)) {
          run.push(raw);
          continue;
        }
        await flush();
        acks.push((await receiveHl7BatchFrame(deps, raw, { channel: 'mllp' })).ack);
      }
      await flush();
      return acks;
    },
    maxGroup: GROUP_MAX,
    // Stored before the AR is sent (the server awaits this); a too-large frame is stored with its first maxMessageBytes.
    onFrameError: (reason, raw) =>
      insertMessage(deps.db, {
        id: newId(),
        received_at: isoNow(deps.clock),
        channel: 'mllp',
        control_id: null,
        sending_application: null,
        sending_facility: null,
        message_type: null,
        trigger_event: null,
        version: null,
        status: MessageStatus.rejected,
        ack_code: 'AR',
        error_code: '207',
        error_text: reason,
        raw,
        patient_id: null,
        attempts: 1,
        processed_at: isoNow(deps.clock),
      }).catch(() => deps.logger?.warn({ reason }, 'a broken MLLP frame could not be stored')),
  });
}
